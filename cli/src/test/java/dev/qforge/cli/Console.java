package dev.qforge.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** What a piece of code prints on stdout or stderr. */
final class Console {
    private Console() { }

    static String stdout(Runnable r) {
        return capture(r, System.out, System::setOut);
    }

    static String stderr(Runnable r) {
        return capture(r, System.err, System::setErr);
    }

    private static String capture(Runnable r, PrintStream saved, Consumer<PrintStream> redirect) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        redirect.accept(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            redirect.accept(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}

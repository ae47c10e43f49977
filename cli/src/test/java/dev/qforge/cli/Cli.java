package dev.qforge.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs the command line in-process and captures what it prints. */
final class Cli {
    private Cli() { }

    /** {exit code, stdout, stderr}. */
    static String[] run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(argv);
            return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    /** {@code argv} followed by {@code more}: a command line and options added to it. */
    static String[] with(String[] argv, String... more) {
        String[] all = Arrays.copyOf(argv, argv.length + more.length);
        System.arraycopy(more, 0, all, argv.length, more.length);
        return all;
    }

    /** The one-line usage error (exit code 2) of {@code argv}. */
    static String error(String... argv) {
        String[] r = run(argv);
        assertEquals("2", r[0], r[1] + r[2]);
        return r[2].strip();
    }
}

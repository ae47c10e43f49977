package dev.qforge.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElaborateBenchTest {
    @Test
    void printsTheResultLineAndWritesTheArray(@TempDir Path dir) throws Exception {
        String out = capture(() -> assertEquals(0, Main.run(new String[] {"bench", "elaborate", "--n", "8", "-o", dir.toString()})));
        String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.matches("elaborate n=8 pes=64 ms=\\d+ heap_mb=\\d+ verilog_lines=\\d+ out=" + java.util.regex.Pattern.quote(dir.toString())),
                last);
        assertEquals("MacPe_s8xs8_acc32.v\nSystolicArray.v\n", Files.readString(dir.resolve("filelist.f")));
        long lines = Files.readString(dir.resolve("SystolicArray.v")).lines().count() + Files.readString(dir.resolve("MacPe_s8xs8_acc32.v")).lines().count();
        assertTrue(last.contains("verilog_lines=" + lines + " "), last + " vs " + lines);
    }

    @Test
    void badOptionGivesAUsageErrorNotAStackTrace() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Main.run(new String[] {"bench", "elaborate", "--n", "zero"}));
        } finally {
            System.setErr(saved);
        }
        assertEquals("qforge bench elaborate: --n takes a whole number, got 'zero'", err.toString(StandardCharsets.UTF_8).strip());
    }

    private static String capture(Runnable r) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}

package dev.qforge.testbenches.bench;

import dev.qforge.testbenches.junit.Cosim;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Cosim
class CosimBenchTest {
    @Test
    void printsItsLineLast() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            code = CosimBench.run(3, 20_000, 2);
        } finally {
            System.setOut(stdout);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).trim().split("\n");
        String last = lines[lines.length - 1];
        assertEquals(0, code, last);
        assertTrue(lines.length >= 3 && lines[lines.length - 3].matches("round 1: java_cps=\\d+ cpp_cps=\\d+"), String.join("\n", lines));
        assertTrue(lines[lines.length - 2].matches("round 2: java_cps=\\d+ cpp_cps=\\d+"), String.join("\n", lines));
        assertTrue(last.matches("cosim n=3 rounds=2 cycles=\\d+ java_cps=\\d+ cpp_cps=\\d+ ratio=\\d+\\.\\d{3}"), last);
        long cycles = Long.parseLong(last.replaceAll(".* cycles=(\\d+) .*", "$1"));
        assertTrue(cycles >= 20_000, last);
        assertEquals(0, cycles % (3 + 256 + 3 + 3 - 1), "whole tiles of 264 cycles: " + last);
    }
}

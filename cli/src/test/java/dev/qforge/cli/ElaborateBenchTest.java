package dev.qforge.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElaborateBenchTest {
    @Test
    void printsTheResultLineAndWritesTheArray(@TempDir Path dir) throws Exception {
        String out = Console.stdout(() -> assertEquals(0, Main.run(new String[] {"bench", "elaborate", "--n", "8", "-o", dir.toString()})));
        String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.matches("elaborate n=8 pes=64 ms=\\d+ heap_mb=\\d+ verilog_lines=\\d+ out=" + java.util.regex.Pattern.quote(dir.toString())),
                last);
        assertEquals("MacPe_s8xs8_acc32.v\nSystolicArray.v\n", Files.readString(dir.resolve("filelist.f")));
        long lines = Files.readString(dir.resolve("SystolicArray.v")).lines().count() + Files.readString(dir.resolve("MacPe_s8xs8_acc32.v")).lines().count();
        assertTrue(last.contains("verilog_lines=" + lines + " "), last + " vs " + lines);
    }

    @Test
    void peakHeapIncludesMemoryFreedBeforeItIsRead() throws Exception {
        long block = 64L * 1024 * 1024;
        long peak;
        try (ElaborateBench.PeakHeap heap = new ElaborateBench.PeakHeap()) {
            byte[] big = new byte[(int) block];
            big[big.length - 1] = 1;
            assertEquals(1, big[big.length - 1]);
            big = null;
            System.gc(); // frees the block: only the collection's before-GC figure still sees it
            peak = heap.peakBytes();
        }
        long usedNow = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        assertTrue(usedNow < block, "the block should be gone after the collection, used " + usedNow);
        assertTrue(peak >= block, "peak " + peak + " misses the " + block + "-byte block");
    }

    @Test
    void badOptionGivesAUsageErrorNotAStackTrace() throws Exception {
        String err = Console.stderr(() -> assertEquals(2, Main.run(new String[] {"bench", "elaborate", "--n", "zero"})));
        assertEquals("qforge bench elaborate: --n takes a whole number, got 'zero'", err.strip());
        assertEquals("qforge bench elaborate: --n must be in 1..1024, got 2147483648", Cli.error("bench", "elaborate", "--n", "2147483648"));
    }
}

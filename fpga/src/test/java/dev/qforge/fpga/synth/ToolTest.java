package dev.qforge.fpga.synth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tool runs are time-bound and their failures say what ran; the cache runs a producer once per key. */
class ToolTest {
    private static Tool fake(Path dir, String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        String old = System.setProperty("qforge." + name, script.toString());
        try {
            return Tool.find(name).orElseThrow();
        } finally {
            if (old == null) {
                System.clearProperty("qforge." + name);
            } else {
                System.setProperty("qforge." + name, old);
            }
        }
    }

    @Test
    void aToolThatRunsTooLongIsKilled(@TempDir Path tmp) throws IOException {
        Tool slow = fake(tmp, "slowtool", "echo started\nsleep 60");
        long t0 = System.nanoTime();
        Tool.ToolException e = assertThrows(Tool.ToolException.class, () -> slow.run(List.of("x"), tmp, Duration.ofMillis(500)));
        assertTrue((System.nanoTime() - t0) / 1_000_000_000.0 < 10, "killed promptly");
        assertTrue(e.getMessage().startsWith("slowtool x did not finish within 0.5 s and was killed"), e.getMessage());
        assertTrue(e.getMessage().contains("started"), e.getMessage());
    }

    @Test
    void aFailureNamesTheCommandAndTheTailOfItsOutput(@TempDir Path tmp) throws IOException {
        Tool bad = fake(tmp, "badtool", "echo 'ERROR: no such cell'\nexit 2");
        Tool.Result r = bad.run(List.of("-q", "in.ys"), tmp, Duration.ofSeconds(30));
        assertEquals(2, r.exitCode());
        Tool.ToolException e = assertThrows(Tool.ToolException.class, r::requireSuccess);
        assertEquals("badtool -q in.ys failed with exit code 2; last lines of its output:\nERROR: no such cell", e.getMessage());
    }

    @Test
    void aMissingToolIsNotFound() {
        String old = System.setProperty("qforge.nosuchtool", "/nonexistent/nosuchtool");
        try {
            assertFalse(Tool.find("nosuchtool").isPresent());
        } finally {
            if (old == null) {
                System.clearProperty("qforge.nosuchtool");
            }
        }
    }

    @Test
    void theCacheProducesEachKeyOnce(@TempDir Path tmp) {
        SynthCache cache = new SynthCache(tmp);
        AtomicInteger runs = new AtomicInteger();
        String key = SynthCache.key("rtl", "script", "version");
        Path first = cache.get(key, dir -> {
            runs.incrementAndGet();
            try {
                Files.writeString(dir.resolve("out.txt"), "result");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Path second = cache.get(key, dir -> runs.incrementAndGet());
        assertEquals(first, second);
        assertEquals(1, runs.get());
        assertTrue(Files.exists(first.resolve("out.txt")));
        assertFalse(SynthCache.key("ab", "c").equals(SynthCache.key("a", "bc")), "parts are length-prefixed");
    }

    @Test
    void aRunThatLosesThePublishingRaceReturnsTheWinnersEntry(@TempDir Path tmp) throws IOException {
        SynthCache cache = new SynthCache(tmp);
        // a second run of the same key publishes while the first is still producing (what two JVMs do)
        Path published = cache.get("k", dir -> {
            write(dir.resolve("out.txt"), "loser");
            cache.get("k", other -> write(other.resolve("out.txt"), "winner"));
        });
        assertEquals(tmp.resolve("k"), published);
        assertEquals("winner", Files.readString(published.resolve("out.txt")));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "the loser's working folder is removed");
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aFailedProductionLeavesNoEntry(@TempDir Path tmp) throws IOException {
        SynthCache cache = new SynthCache(tmp);
        assertThrows(IllegalStateException.class, () -> cache.get("k", dir -> {
            throw new IllegalStateException("tool failed");
        }));
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void yosysStatisticsWithTheHierarchyLineInsideAreRead() throws IOException {
        // as Yosys 0.23 wrote it for a top with one submodule instance (trimmed)
        String stat = """
                {
                   "creator": "Yosys 0.23 (git sha1 7ce5011c24b)",
                   "modules": {
                      "\\\\PipelineStage_data_s12": {
                         "num_cells_by_type": {
                            "SB_DFFE": 12,
                            "SB_LUT4": 2
                         }
                      }
                   },
                       PipelineStage_data_s12        1
                      "design": {
                         "num_cells_by_type": {
                            "SB_CARRY": 154,
                            "SB_LUT4": 215
                         }
                      }
                }
                """;
        var json = Yosys.parseStat(stat);
        assertEquals(215, json.path("design").path("num_cells_by_type").path("SB_LUT4").asInt());
        assertEquals(12, json.path("modules").path("\\PipelineStage_data_s12").path("num_cells_by_type").path("SB_DFFE").asInt());
    }

    @Test
    void nextpnrLogsAreRead() {
        String fits = "Info: \t         ICESTORM_LC:   222/ 5280     4%\n"
                + "Info: Max frequency for clock 'clk$SB_IO_IN_$glb_clk': 40.00 MHz (FAIL at 46.60 MHz)\n"
                + "Info: Max frequency for clock 'clk$SB_IO_IN_$glb_clk': 42.77 MHz (FAIL at 46.60 MHz)\n"
                + "Info: Program finished normally.\n";
        Nextpnr.Result r = Nextpnr.parse(fits, "nextpnr-ice40 ...");
        assertTrue(r.fits());
        assertEquals(42.77, r.fmaxMhz());
        assertEquals(222, r.utilization().get("ICESTORM_LC").used());
        Nextpnr.Result full = Nextpnr.parse("ERROR: Unable to place cell 'x', no BELs remaining to implement cell type 'ICESTORM_LC'\n", "c");
        assertFalse(full.fits());
        assertTrue(full.reason().startsWith("ERROR: Unable to place cell"), full.reason());
    }
}

package dev.qforge.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** qforge check, build and bench check on the example specs and on a spec with mistakes. */
class SpecCommandTest {
    private static final String MLP = "../examples/specs/mlp_int8.qf";

    @Test
    void checkPrintsTheEstimateAndTheWorkloadTable() {
        String[] r = Cli.run("check", MLP);
        assertEquals("0", r[0], r[2]);
        String out = r[1];
        assertTrue(out.startsWith("spec mlp_int8: target xc7z020 (Xilinx 7-series"), out);
        assertTrue(out.contains("\n  l0.out -> l1.act (fifo 4): 2 lanes of int8\n"), out);
        assertTrue(out.contains("\nworkload two_layers at 100 MHz (the clock):\n  layer        kind      shape"), out);
        assertTrue(out.contains("\n  fc0          gemm      16 x 64 x 2 "), out);
        assertTrue(out.contains(" tokens/s"), out);
        assertTrue(out.contains("\nroofline of xc7z020 at 100 MHz: compute 12 MAC/cycle = 1.2 GMAC/s; memory 4.26 GB/s"), out);
        assertTrue(out.matches("(?s).*\nchecked in [0-9]+ ms\n"), out);
    }

    @Test
    void mistakesGoToStderrAllOfThem(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.qf");
        Files.writeString(bad, "target xc7z020;\nblock g = systolic(rows: 0, cols: 300);\n");
        String[] r = Cli.run("check", bad.toString());
        assertEquals("1", r[0]);
        assertEquals("", r[1]);
        assertEquals(bad + ":2:26: error: rows must be in 1..256, got 0\n"
                + " 2 | block g = systolic(rows: 0, cols: 300);\n"
                + "   |                          ^\n"
                + bad + ":2:35: error: cols must be in 1..256, got 300\n"
                + " 2 | block g = systolic(rows: 0, cols: 300);\n"
                + "   |                                   ^^^\n"
                + "2 errors\n", r[2]);
        assertEquals("qforge check: no spec file " + dir.resolve("none.qf"), Cli.error("check", dir.resolve("none.qf").toString()));
        assertEquals("qforge check: " + dir + " is a folder, not a spec file", Cli.error("check", dir.toString()));
        assertEquals("qforge check: missing the spec file, e.g. examples/specs/cnn_int8.qf", Cli.error("check", ""));
        assertEquals("qforge build: " + dir + " is a folder, not a spec file", Cli.error("build", dir.toString()));
    }

    @Test
    void buildWritesEveryBlockTheTopTheReportAndTheWorkload(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("mlp");
        String[] r = Cli.run("build", MLP, "-o", out.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals("build " + MLP + ": top=mlp_int8 blocks=2 out=" + out + "\n", r[1]);
        try (Stream<Path> files = Files.list(out)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.containsAll(List.of("mlp_int8.v", "GemmEngine_ws_4x2_s8xs8_acc22_m16k64n2_p3_rqsgl.v",
                    "GemmEngine_ws_2x2_s8xs8_acc17_m16k2n2_p3_rqdbl.v", "SyncFifo_w16_d4.v", "filelist.f", "README.md", "report.json",
                    "report.txt", "workload.txt", "mlp_int8.core")), names.toString());
        }
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("| `x_0..x_3` | in | 8 | l0.act: lane r of beat m = A[m][k0 + r], int8; lanes past K ignored |"), readme);
        assertTrue(readme.contains("- connection l0.out -> l1.act: through a FIFO of depth 4\n"), readme);
        assertTrue(Files.readString(out.resolve("report.txt")).contains("\nworkload two_layers at 100 MHz"));
        assertTrue(Files.readString(out.resolve("filelist.f")).endsWith("mlp_int8.v\n"));
    }

    @Test
    void buildWithABoardWritesTheComposedTopsKitBesideTheRtlOrRefusesBoth(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("mlp");
        String[] r = Cli.run("build", MLP, "--board", "pynq-z2", "-o", out.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].endsWith("build: the Vivado kit of AxiShell_mlp_int8 on the TUL PYNQ-Z2 (Zynq-7000 XC7Z020) (8 AXI4-Stream interfaces) in "
                + out.resolve("pynq-z2") + "; build it with `cd " + out.resolve("pynq-z2") + " && vivado -mode batch -source build.tcl` "
                + "(see its README.md; Vivado is not run here)\n"), r[1]);
        assertTrue(Files.isRegularFile(out.resolve("mlp_int8.v")) && Files.isRegularFile(out.resolve("pynq-z2/build.tcl")));

        String[] ice = Cli.run("build", "../examples/specs/ice40_small.qf", "--board", "icebreaker", "-o", dir.resolve("ice").toString());
        assertEquals("1", ice[0]);
        assertTrue(ice[2].startsWith("qforge build ../examples/specs/ice40_small.qf: --board icebreaker: the iCE40 bring-up kit is one GEMM "
                + "engine behind the UART bridge"), ice[2]);
        assertTrue(Files.notExists(dir.resolve("ice")), "a refused kit writes nothing, the RTL neither");
    }

    @Test
    void aBuildRefusesASweepRange(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("sweep.qf");
        Files.writeString(spec, "target xc7z020;\nrows in [2, 4];\nblock g = systolic(rows: rows, cols: 2);\n");
        assertEquals("0", Cli.run("check", spec.toString())[0], "check takes a range and checks its first value");
        String[] r = Cli.run("build", spec.toString(), "-o", dir.resolve("out").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].startsWith(spec + ":2:1: error: 'rows' is a sweep range of 2 values: a build makes one design; sweep the file"), r[2]);
        assertTrue(Files.notExists(dir.resolve("out")));
    }

    @Test
    void benchCheckPrintsItsTime() {
        String[] r = Cli.run("bench", "check", MLP, "--rounds", "2");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].matches("bench check \\.\\./examples/specs/mlp_int8\\.qf: 2 blocks, 3 connections; warm check time best [0-9.]+ ms, "
                + "median [0-9.]+ ms \\(CPU time of the checking thread: best [0-9.]+ ms, median [0-9.]+ ms; 2 rounds after 2 warm-up\\)\n"), r[1]);
    }
}

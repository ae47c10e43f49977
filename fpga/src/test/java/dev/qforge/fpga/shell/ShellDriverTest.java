package dev.qforge.fpga.shell;

import dev.qforge.fpga.shell.driver.DriverFiles;
import dev.qforge.generators.attention.AttentionConfig;
import dev.qforge.generators.attention.AttentionGolden;
import dev.qforge.generators.dequant.DequantConfig;
import dev.qforge.generators.dequant.DequantGolden;
import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmGolden;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.process.Tools;
import dev.qforge.testbenches.systolic.GemmRunner;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.generators.systolic.SystolicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The emitted drivers against the simulated shell. The Python driver runs on a fake {@code pynq}
 * and the C driver on a fake platform, both forwarding every register access and DMA transfer over
 * a pipe to {@link DriverLink}, which carries it out on the AXI bus-functional models with random
 * gaps: the results must equal the golden model's, and the bytes the driver put on each stream the
 * golden model's beats, packed as the shell documents.
 */
@Cosim(tools = {"verilator", "python3", "gcc"})
class ShellDriverTest {
    private static final int[][] SHAPES = {{1, 1, 1}, {3, 5, 3}, {8, 8, 8}, {2, 7, 5}};

    /** A weight-stationary int8 engine with bias, and an output-stationary uint8 engine with a zero point and requantization. */
    static Stream<SystolicConfig> engines() {
        return Stream.of(ShellDesigns.GEMM, ShellDesigns.GEMM_OS_REQUANT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void pythonDriverRunsGemms(SystolicConfig cfg, @TempDir Path dir, CosimSession cosim) throws Exception {
        AxiShell shell = ShellDesigns.gemm(cfg);
        List<Gemm> gemms = gemms(cfg, new Random(21));
        StringJoiner jobs = new StringJoiner(",", "[", "]");
        for (Gemm g : gemms) {
            String requant = g.requant() == null ? "null" : "[" + json(g.requant().mult()) + ", " + json(g.requant().shift()) + ", "
                    + g.requant().outZp() + ", " + g.requant().actMin() + ", " + g.requant().actMax() + "]";
            jobs.add("{\"kind\": \"gemm\", \"a\": " + json(g.a()) + ", \"b\": " + json(g.b()) + ", \"bias\": "
                    + (g.bias() == null ? "null" : json(g.bias())) + ", \"zp\": " + g.zeroPoint() + ", \"requant\": " + requant + "}");
        }
        List<String> results = runPython(dir, shell, jobs.toString(), cosim, cfg, gemms, 21);
        for (int i = 0; i < gemms.size(); i++) {
            assertEquals(json(expectedY(cfg, gemms.get(i))), results.get(2 * i), "Y of " + gemms.get(i));
            assertEquals(Long.toString(i + 1), results.get(2 * i + 1), "RESULTS after GEMM " + i);
        }
    }

    @Test
    void pythonDriverRunsDequantSteps(@TempDir Path dir, CosimSession cosim) throws Exception {
        AxiShell shell = ShellDesigns.dequant();
        DequantConfig cfg = ShellDesigns.dequantBlock().config();
        Random rnd = new Random(22);
        StringJoiner jobs = new StringJoiner(",", "[", "]");
        List<List<Long>> expected = new ArrayList<>();
        for (int groups : new int[] {1, 3, 8}) {
            int[] codes = new int[groups * cfg.groupSize()];
            long[] scales = new long[groups];
            List<Long> bits = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                scales[g] = rnd.nextInt(1 << 16);
            }
            for (int i = 0; i < codes.length; i++) {
                codes[i] = rnd.nextInt(1 << cfg.codeBits());
                bits.add(DequantGolden.lane(cfg, codes[i], scales[i / cfg.groupSize()], 0));
            }
            expected.add(bits);
            jobs.add("{\"kind\": \"dequant\", \"codes\": " + json(codes) + ", \"scales\": " + json(scales) + "}");
        }
        List<String> results = runPython(dir, shell, jobs.toString(), cosim, null, List.of(), 22);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).toString().replace(" ", ""), results.get(2 * i).replace(" ", ""), "dequant step " + i);
        }
    }

    /** Two sequences: the first past the cache's 8 rows (the last 3 tokens dropped), then a new one of 3 tokens. */
    @Test
    void pythonDriverRunsAttentionSteps(@TempDir Path dir, CosimSession cosim) throws Exception {
        AxiShell shell = ShellDesigns.attention();
        AttentionConfig cfg = ShellDesigns.attentionBlock().config();
        AttentionGolden golden = new AttentionGolden(cfg);
        Random rnd = new Random(24);
        ByteArrayOutputStream inBytes = new ByteArrayOutputStream(); // the token's beats as the engine's port table lays them out
        StringJoiner jobs = new StringJoiner(",", "[", "]");
        List<String> expected = new ArrayList<>();
        for (int t = 0; t < cfg.maxSeq() + 3 + 3; t++) {
            boolean first = t == 0 || t == cfg.maxSeq() + 3;
            int[] q = int8Row(rnd, cfg.headDim());
            int[] k = int8Row(rnd, cfg.headDim());
            int[] v = int8Row(rnd, cfg.headDim());
            AttentionGolden.Output o = golden.decode(first, q, k, v);
            for (int c = 0; c < cfg.chunks(); c++) {
                Map<String, Long> fields = new HashMap<>(Map.of("in_first", first && c == 0 ? 1L : 0L));
                for (int l = 0; l < cfg.lanes(); l++) {
                    int e = c * cfg.lanes() + l;
                    fields.putAll(Map.of("in_q_" + l, (long) q[e], "in_k_" + l, (long) k[e], "in_v_" + l, (long) v[e]));
                }
                inBytes.writeBytes(shell.stream("in").pack(ShellBench.beat(shell.stream("in"), fields)));
            }
            expected.add("[" + json(o.o()[0]) + ", " + o.dropped() + "]");
            jobs.add("{\"kind\": \"attention\", \"first\": " + first + ", \"q\": " + json(q) + ", \"k\": " + json(k) + ", \"v\": "
                    + json(v) + "}");
        }
        DriverLink link = serve(cosim, shell, 24, pythonDriver(dir, shell, jobs.toString()), dir);
        assertEquals(HexFormat.of().formatHex(inBytes.toByteArray()), HexFormat.of().formatHex(link.sent.get("in").toByteArray()), "bytes on in");
        List<String> results = Files.readAllLines(dir.resolve("results.txt"));
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), results.get(2 * i), "[O, dropped] of token " + i);
            assertEquals(Long.toString(i + 1), results.get(2 * i + 1), "RESULTS after token " + i);
        }
        assertEquals(3, expected.stream().filter(e -> e.endsWith("true]")).count(), "the first sequence overflows the cache");
    }

    private static int[] int8Row(Random rnd, int n) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextInt(256) - 128;
        }
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void cDriverRunsGemms(SystolicConfig cfg, @TempDir Path dir, CosimSession cosim) throws Exception {
        AxiShell shell = ShellDesigns.gemm(cfg);
        Path design = writeDesign(dir, shell);
        for (String f : List.of("fake_platform.c", "gemm_check.c")) {
            Files.writeString(design.resolve(f), resource(f));
        }
        String gcc = Tools.require("gcc").toString();
        Processes.Result cc = Processes.run(List.of(gcc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-O1", "-o", "gemm_check", "qf_shell.c",
                "fake_platform.c", "gemm_check.c"), design, Map.of(), dir.resolve("gcc.log"), Duration.ofMinutes(2));
        assertEquals(0, cc.exitCode(), cc.output());
        Processes.Result uio = Processes.run(List.of(gcc, "-std=gnu99", "-Wall", "-Wextra", "-Werror", "-c", "-o", "qf_uio.o", "qf_uio.c"),
                design, Map.of(), dir.resolve("gcc-uio.log"), Duration.ofMinutes(2));
        assertEquals(0, uio.exitCode(), "the Linux UIO platform compiles: " + uio.output());
        List<Gemm> gemms = gemms(cfg, new Random(23));
        StringBuilder in = new StringBuilder();
        for (Gemm g : gemms) {
            Gemm.Requant rq = g.requant();
            in.append(g.m()).append(' ').append(g.k()).append(' ').append(g.n()).append(' ').append(g.zeroPoint())
                    .append(rq == null ? " 0\n" : " 1\n");
            int[] bias = g.bias() == null ? new int[g.n()] : g.bias();
            List<int[][]> values = new ArrayList<>(List.of(g.a(), g.b(), new int[][] {bias}));
            if (rq != null) {
                values.addAll(List.of(new int[][] {rq.mult()}, new int[][] {rq.shift()}, new int[][] {{rq.outZp(), rq.actMin(), rq.actMax()}}));
            }
            for (int[][] x : values) {
                for (int[] row : x) {
                    for (int v : row) {
                        in.append(v).append(' ');
                    }
                }
                in.append('\n');
            }
        }
        Files.writeString(dir.resolve("gemms.txt"), in);
        DriverLink link = serve(cosim, shell, 23, new ProcessBuilder(design.resolve("gemm_check").toString(), dir.resolve("gemms.txt").toString(),
                dir.resolve("y.txt").toString()).directory(design.toFile()), dir);
        List<String> y = Files.readAllLines(dir.resolve("y.txt"));
        assertEquals("check 0", y.get(0), "qf_check accepts the simulated shell");
        for (int i = 0; i < gemms.size(); i++) {
            StringBuilder want = new StringBuilder("gemm 0");
            for (int[] row : expectedY(cfg, gemms.get(i))) {
                for (int v : row) {
                    want.append(' ').append(v);
                }
            }
            assertEquals(want.toString(), y.get(i + 1), "Y of " + gemms.get(i));
        }
        assertStreamBytes(shell, cfg, gemms, link);
    }

    private static List<Gemm> gemms(SystolicConfig cfg, Random rnd) {
        List<Gemm> gemms = new ArrayList<>();
        for (int[] s : SHAPES) {
            gemms.add(GemmRunner.randomGemm(cfg, rnd, s[0], s[1], s[2]));
        }
        return gemms;
    }

    private static List<String> runPython(Path dir, AxiShell shell, String jobs, CosimSession cosim, SystolicConfig cfg, List<Gemm> gemms,
                                          long seed)
            throws Exception {
        DriverLink link = serve(cosim, shell, seed, pythonDriver(dir, shell, jobs), dir);
        if (!gemms.isEmpty()) {
            assertStreamBytes(shell, cfg, gemms, link);
        }
        return Files.readAllLines(dir.resolve("results.txt"));
    }

    /** driver_check.py on the jobs, over the fake pynq, writing results.txt. */
    private static ProcessBuilder pythonDriver(Path dir, AxiShell shell, String jobs) throws IOException {
        Path design = writeDesign(dir, shell);
        Path pynq = Files.createDirectories(dir.resolve("fakepynq/pynq"));
        Files.writeString(pynq.resolve("__init__.py"), resource("fakepynq/pynq/__init__.py"));
        Files.writeString(dir.resolve("driver_check.py"), resource("driver_check.py"));
        Files.writeString(dir.resolve("jobs.json"), jobs);
        ProcessBuilder pb = new ProcessBuilder(Tools.require("python3").toString(), dir.resolve("driver_check.py").toString(), design.toString(),
                dir.resolve("jobs.json").toString(), dir.resolve("results.txt").toString()).directory(dir.toFile());
        pb.environment().put("PYTHONPATH", dir.resolve("fakepynq") + ":" + design);
        return pb;
    }

    private static Path writeDesign(Path dir, AxiShell shell) throws IOException {
        Path design = Files.createDirectories(dir.resolve("design"));
        for (Map.Entry<String, String> f : DriverFiles.of(shell).entrySet()) {
            Files.writeString(design.resolve(f.getKey()), f.getValue());
        }
        return design;
    }

    private static DriverLink serve(CosimSession cosim, AxiShell shell, long seed, ProcessBuilder pb, Path dir) throws Exception {
        Simulator sim = cosim.open(shell.core(), seed);
        sim.reset();
        ShellBench bench = new ShellBench(shell, sim, seed, 0.25);
        DriverLink link = new DriverLink(bench);
        pb.redirectError(dir.resolve("driver.err").toFile());
        Process p = pb.start();
        try {
            link.serve(p);
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                throw new AssertionError("the driver did not exit");
            }
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), "the driver failed:\n" + Files.readString(dir.resolve("driver.err")) + "\nlast requests: "
                + link.requests.subList(Math.max(0, link.requests.size() - 5), link.requests.size()));
        return link;
    }

    /** The bytes the driver sent on every input stream are the golden model's beats, packed (unused lanes 0). */
    private static void assertStreamBytes(AxiShell shell, SystolicConfig cfg, List<Gemm> gemms, DriverLink link) {
        GemmRunner.Beats beats = GemmRunner.beats(cfg, gemms, null);
        beats.inputs().forEach((stream, list) -> {
            ByteArrayOutputStream want = new ByteArrayOutputStream();
            list.forEach(b -> want.writeBytes(shell.stream(stream).pack(b)));
            assertEquals(HexFormat.of().formatHex(want.toByteArray()), HexFormat.of().formatHex(link.sent.get(stream).toByteArray()),
                    "bytes on " + stream);
        });
    }

    /** Y from the golden model's result beats: beat f*M + m holds Y[m][f*C + c] in lane c. */
    private static int[][] expectedY(SystolicConfig cfg, Gemm g) {
        List<long[]> beats = new GemmGolden(cfg).resultBeats(g);
        int cols = cfg.cols();
        int[][] y = new int[g.m()][g.n()];
        for (int i = 0; i < beats.size(); i++) {
            for (int c = 0; c < cols && (i / g.m()) * cols + c < g.n(); c++) {
                y[i % g.m()][(i / g.m()) * cols + c] = Math.toIntExact(beats.get(i)[c]);
            }
        }
        return y;
    }

    private static String json(int[][] x) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (int[] row : x) {
            j.add(json(row));
        }
        return j.toString();
    }

    private static String json(int[] x) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (int v : x) {
            j.add(Integer.toString(v));
        }
        return j.toString();
    }

    private static String json(long[] x) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (long v : x) {
            j.add(Long.toString(v));
        }
        return j.toString();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ShellDriverTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}

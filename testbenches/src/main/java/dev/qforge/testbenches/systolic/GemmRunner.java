package dev.qforge.testbenches.systolic;

import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmGolden;
import dev.qforge.generators.systolic.GroupScale;
import dev.qforge.generators.systolic.MxBlocks;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.IntFormat;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.TfliteRequant;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs GEMMs through a GEMM engine simulator as one stream transaction and checks every result
 * beat against the golden model (used by the co-simulation tests and by {@code qforge demo}).
 */
public final class GemmRunner {
    private GemmRunner() { }

    /** Random int values in [min, max]. */
    public static int[][] random(Random rnd, int rows, int cols, int min, int max) {
        int[][] x = new int[rows][cols];
        for (int[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = min + rnd.nextInt(max - min + 1);
            }
        }
        return x;
    }

    /**
     * A random GEMM of the given shape in the engine's types (with a random int32 bias, zero point
     * and requant parameters when it has them).
     */
    public static Gemm randomGemm(SystolicConfig cfg, Random rnd, int m, int k, int n) {
        if (cfg.mx() != null) {
            return randomMxGemm(cfg.mx(), rnd, m, k, n);
        }
        int[] bias = null;
        if (cfg.requant() != null) {
            bias = new int[n];
            for (int i = 0; i < n; i++) {
                bias[i] = rnd.nextInt(1 << 21) - (1 << 20);
            }
        } else if (cfg.bias()) {
            bias = new int[n];
            for (int i = 0; i < n; i++) {
                bias[i] = rnd.nextInt();
            }
        }
        IntFormat a = cfg.actFormat();
        IntFormat w = cfg.weightFormat();
        int zp = a.signed() ? 0 : rnd.nextInt((int) a.max() + 1);
        Gemm g = new Gemm(random(rnd, m, k, (int) a.min(), (int) a.max()), random(rnd, k, n, (int) w.min(), (int) w.max()), bias, zp);
        if (cfg.group() != null) {
            g = g.withScales(randomScales(cfg.group(), rnd, k, n));
        }
        return cfg.requant() == null ? g : g.withRequant(randomRequant(cfg, rnd, n));
    }

    /**
     * A random MX x MX GEMM: finite element codes of every value (specials are the edge tests'),
     * scales like those of LLM tensors (activations 2^-10 .. 2^4, weights 2^-12 .. 2^2), so every
     * block's combined exponent lies inside the default window (the window's ends are the edge
     * tests', which need one exponent for a whole row and column).
     */
    public static Gemm randomMxGemm(MxBlocks mx, Random rnd, int m, int k, int n) {
        int blocks = (k + Mx.BLOCK_SIZE - 1) / Mx.BLOCK_SIZE;
        long[][] actScales = new long[m][blocks];
        long[][] scales = new long[blocks][n];
        for (long[] row : actScales) {
            for (int j = 0; j < blocks; j++) {
                row[j] = Mx.SCALE_BIAS - 10 + rnd.nextInt(15);
            }
        }
        for (long[] row : scales) {
            for (int j = 0; j < n; j++) {
                row[j] = Mx.SCALE_BIAS - 12 + rnd.nextInt(15);
            }
        }
        return Gemm.mx(Gemm.randomMxCodes(mx.act(), rnd, m, k), Gemm.randomMxCodes(mx.weight(), rnd, k, n), scales, actScales);
    }

    /**
     * Random finite scales of every group of K and column, each in the exact window: mostly like
     * LLM weight scales (2^-12 .. 2^-4), else any exponent of the window (its ends included) or 0;
     * random signs and significands.
     */
    public static long[][] randomScales(GroupScale g, Random rnd, int k, int n) {
        BinaryFloat f = g.scale();
        long[][] s = new long[(k + g.size() - 1) / g.size()][n];
        for (long[] row : s) {
            for (int j = 0; j < n; j++) {
                double u = rnd.nextDouble();
                int e = u < 0.6 ? Math.max(g.low(), Math.min(g.high(), -12 + rnd.nextInt(9)))
                        : u < 0.7 ? g.low() : u < 0.8 ? g.high() : g.low() + rnd.nextInt(g.span() + 1);
                double v = u > 0.97 ? 0 : Math.scalb(1 + rnd.nextInt(1 << f.mantissaBits()) / (double) (1 << f.mantissaBits()), e);
                row[j] = f.encode(rnd.nextBoolean() ? -v : v);
            }
        }
        return s;
    }

    /**
     * Per-column multipliers for real scales 2^-4 .. 2^-20 (so results both land inside int8 and
     * saturate), a random output zero point, and either the full int8 range or a RELU clamp.
     */
    public static Gemm.Requant randomRequant(SystolicConfig cfg, Random rnd, int n) {
        int[] mult = new int[n];
        int[] shift = new int[n];
        for (int i = 0; i < n; i++) {
            TfliteRequant.QuantizedMultiplier q = TfliteRequant.quantizeMultiplier(Math.pow(2, -4 - 16 * rnd.nextDouble()), cfg.requant());
            mult[i] = q.multiplier();
            shift[i] = q.shift();
        }
        int outZp = rnd.nextInt(256) - 128;
        boolean relu = rnd.nextBoolean();
        return new Gemm.Requant(mult, shift, outZp, relu ? outZp : -128, 127);
    }

    /** GEMMs as one stream transaction: what to send and receive, and each expected result beat with where it comes from. */
    public record Transaction(StreamRun run, List<long[]> expected, List<String> origin) { }

    /**
     * Sends the GEMMs back to back (unused lanes filled with junk) and compares every result beat
     * with the golden model. Returns the transaction for timing checks.
     */
    public static StreamResult run(Simulator sim, SystolicConfig cfg, List<Gemm> gemms, Random junk, double bubbles, double stalls) {
        return run(sim, cfg, gemms, junk, bubbles, stalls, false);
    }

    /** As {@link #run(Simulator, SystolicConfig, List, Random, double, double)}, optionally recording every cycle's frames. */
    public static StreamResult run(Simulator sim, SystolicConfig cfg, List<Gemm> gemms, Random junk, double bubbles, double stalls,
                            boolean record) {
        Transaction t = transaction(cfg, gemms, junk, bubbles, stalls);
        if (record) {
            t.run().record();
        }
        StreamResult r = sim.transact(t.run());
        check(sim, t, r);
        return r;
    }

    /**
     * The GEMMs' beats from the golden model, in the engine's order: per input stream name (cfg, wgt,
     * act, and bias or quant when the engine has them) the beats to send, the result beats of
     * {@code out} expected, and where each comes from. Unused lanes hold junk (0 when junk is null).
     */
    public record Beats(Map<String, List<long[]>> inputs, List<long[]> expected, List<String> origin) { }

    public static Beats beats(SystolicConfig cfg, List<Gemm> gemms, Random junk) {
        GemmGolden golden = new GemmGolden(cfg);
        Map<String, List<long[]>> inputs = new LinkedHashMap<>();
        for (String s : List.of("cfg", "wgt", "act")) {
            inputs.put(s, new ArrayList<>());
        }
        if (cfg.bias()) {
            inputs.put("bias", new ArrayList<>());
        }
        if (cfg.requant() != null) {
            inputs.put("quant", new ArrayList<>());
        }
        if (cfg.scaled()) {
            inputs.put("scale", new ArrayList<>());
        }
        List<long[]> expected = new ArrayList<>();
        List<String> origin = new ArrayList<>();
        for (int i = 0; i < gemms.size(); i++) {
            Gemm g = gemms.get(i);
            inputs.get("cfg").add(golden.cfgBeat(g));
            if (cfg.bias()) {
                inputs.get("bias").addAll(golden.biasBeats(g, junk));
            }
            if (cfg.requant() != null) {
                inputs.get("quant").addAll(golden.quantBeats(g, junk));
            }
            if (cfg.scaled()) {
                inputs.get("scale").addAll(golden.scaleBeats(g, junk));
            }
            inputs.get("wgt").addAll(golden.weightBeats(g, junk));
            inputs.get("act").addAll(golden.activationBeats(g, junk));
            List<long[]> rows = golden.resultBeats(g);
            for (int j = 0; j < rows.size(); j++) {
                origin.add("GEMM " + i + " (" + g + ") result beat " + j);
            }
            expected.addAll(rows);
        }
        return new Beats(inputs, expected, origin);
    }

    /**
     * The GEMMs' beats ({@link #beats}) as a stream run, with {@code bubbles} on every input stream
     * and {@code stalls} on the output.
     */
    public static Transaction transaction(SystolicConfig cfg, List<Gemm> gemms, Random junk, double bubbles, double stalls) {
        Beats b = beats(cfg, gemms, junk);
        StreamRun run = new StreamRun().receive("out", b.expected().size()).stalls("out", stalls);
        b.inputs().forEach((stream, beats) -> run.sendBeats(stream, beats).bubbles(stream, bubbles));
        return new Transaction(run, b.expected(), b.origin());
    }

    /** Every result beat of {@code r} equals the expected one, and all arrived; else a mismatch naming the beat. */
    public static void check(Simulator sim, Transaction t, StreamResult r) {
        r.expectBeats("out", t.expected(), t.origin()::get);
        if (!r.complete()) {
            throw sim.mismatch("out_valid", r.firstCycle() + r.cycles(), "every input beat accepted", "the run stopped at its cycle limit",
                    "all " + t.expected().size() + " result beats arrived");
        }
    }
}

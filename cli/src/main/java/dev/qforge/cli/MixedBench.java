package dev.qforge.cli;

import dev.qforge.dsl.Design;
import dev.qforge.generators.MemoryTraffic;
import dev.qforge.generators.Performance;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.GroupScale;
import dev.qforge.generators.systolic.MxBlocks;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.generators.systolic.SystolicOptions;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.MxElementType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code qforge bench mixed}: the N x N W4A8 and W2A8 engines with per-group bf16 scales and the
 * MX x MX engine (MXFP8 E4M3 activations, MXFP4 weights; when N divides its block of 32) beside
 * the int8 engine of the same size (unpacked and packed), from the estimator and the cycle model: DSP,
 * LUT, FF, estimated Fmax, MACs per DSP (the grid's MACs per cycle over the DSPs), steady-state
 * GOPS, and bytes per GEMM with its weight intensity.
 */
final class MixedBench {
    static final String HELP = """
              --n N         engine rows and columns, 2..64 [16]
              --group G     W4A8 group size, a power of two, a multiple of N [128]
              --max-k K     the GEMM's K (and the engines' largest), a multiple of G [4096]
              --m M         the GEMM's M and N (the engines' largest), 1..4096 [256]
              --target T    xc7, xcup, up5k or hx8k [xc7]
            """;

    private MixedBench() { }

    static int run(Args a) {
        int n = a.integer("--n", 16, 2, 64);
        int group = BenchOptions.integer(a, SystolicOptions.GENERATOR.option("group"), 128);
        int k = BenchOptions.integer(a, SystolicOptions.GENERATOR.option("max-k"), 4096);
        int m = a.integer("--m", 256, 1, 4096);
        String targetName = a.string("--target", "xc7");
        a.requireAllRead();
        Target target = null;
        for (Target t : Target.values()) {
            if (t.id().equals(targetName)) {
                target = t;
            }
        }
        if (target == null) {
            throw new Args.UsageException("--target must be xc7, xcup, up5k or hx8k, got '" + targetName + "'");
        }
        SystolicConfig int8 = SystolicConfig.int8(n, n, m, k, m, false);
        SystolicConfig w4a8;
        SystolicConfig w2a8;
        try {
            w4a8 = int8.withTypes(8, true, 4).withGroups(GroupScale.of(group, BinaryFloat.BF16, BinaryFloat.FP32));
            w2a8 = int8.withTypes(8, true, 2).withGroups(GroupScale.of(group, BinaryFloat.BF16, BinaryFloat.FP32));
        } catch (dev.qforge.generators.InvalidParameter e) {
            throw new Args.UsageException("--" + e.parameter() + " " + e.problem());
        }
        List<SystolicConfig> engines = new ArrayList<>(List.of(int8, int8.withPacking(), w4a8, w4a8.withPacking(), w2a8, w2a8.withPacking()));
        if (Mx.BLOCK_SIZE % n == 0) {
            engines.add(int8.withMx(new MxBlocks(MxElementType.FP8_E4M3, MxElementType.FP4_E2M1, -32, 15, BinaryFloat.FP32)));
        }
        System.out.printf(Locale.ROOT, "mixed n=%d target=%s GEMM M=%d K=%d N=%d, W4A8/W2A8: int4/int2 weights, groups of %d, bf16 scales, "
                + "fp32 results; MX: mxfp8_e4m3 x mxfp4, fp32 results%n", n, target.id(), m, k, m, group);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("engine", "DSP", "LUT", "FF", "Fmax_MHz", "MACs/DSP", "MACs/cycle", "GOPS", "weight+scale_B", "bytes/GEMM",
                "ops/weight_B"));
        for (SystolicConfig c : engines) {
            rows.add(row(c, target));
        }
        int[] w = new int[rows.get(0).size()];
        for (List<String> r : rows) {
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        for (List<String> r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                sb.append(i == 0 ? String.format("%-" + w[i] + "s", r.get(i)) : String.format("  %" + w[i] + "s", r.get(i)));
            }
            System.out.println(sb.toString().stripTrailing());
        }
        return 0;
    }

    private static List<String> row(SystolicConfig c, Target target) {
        GemmEngineBlock block = new GemmEngineBlock("bench", c);
        Estimator.TargetEstimate e = Estimator.estimate(Design.elaborate(block.top())).get(target);
        Performance p = block.performance();
        MemoryTraffic t = block.memoryTraffic();
        long dsp = e.total().get(Resource.DSP);
        long macsPerCycle = (long) c.rows() * c.cols();
        String name = (c.mx() != null ? "mx_e4m3xfp4" : c.group() == null ? "int8" : "w" + c.weightBits() + "a8_g" + c.group().size())
                + (c.packed() ? "_packed" : "");
        return List.of(name, Long.toString(dsp), Long.toString(e.total().get(Resource.LUT)), Long.toString(e.total().get(Resource.FF)),
                fmt(e.fmaxMhz(), 1), dsp == 0 ? "-" : fmt((double) macsPerCycle / dsp, 2), fmt(p.macsPerCycle(), 1),
                fmt(2 * p.macsPerCycle() * e.fmaxMhz() / 1000, 1), Long.toString(t.weightBytes() + t.scaleBytes()),
                Long.toString(t.totalBytes()), fmt(t.opsPerWeightByte(), 1));
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}

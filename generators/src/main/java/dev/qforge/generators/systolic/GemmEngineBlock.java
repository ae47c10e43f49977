package dev.qforge.generators.systolic;

import dev.qforge.dsl.Module;
import dev.qforge.generators.ConfiguredBlock;
import dev.qforge.generators.MemoryTraffic;
import dev.qforge.generators.Performance;
import dev.qforge.generators.PortDoc;
import dev.qforge.numerics.Mx;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A GEMM engine ({@link GemmEngine} or {@link OsGemmEngine}) as a report sees it: parameters (as
 * {@link SystolicOptions}), port table and cycle-model figures for the largest GEMM.
 */
public final class GemmEngineBlock extends ConfiguredBlock<SystolicConfig> {
    /** Its parameters are every option of {@link SystolicOptions}, the accumulator width as derived. */
    public GemmEngineBlock(String designName, SystolicConfig cfg) {
        super(designName, cfg, GemmEngineBlock::engine, SystolicOptions::of);
    }

    /**
     * The block from text options ({@link SystolicOptions}: the {@code generate systolic} option
     * names without {@code --}, e.g. a pom's {@code <options>}); a bad option is an
     * {@link IllegalArgumentException} naming it.
     */
    public static GemmEngineBlock fromOptions(String designName, Map<String, String> options) {
        return new GemmEngineBlock(designName, SystolicOptions.parse(options));
    }

    /** The engine of the configured dataflow. */
    public static Module engine(SystolicConfig cfg) {
        return cfg.dataflow() == Dataflow.WS ? new GemmEngine(cfg) : new OsGemmEngine(cfg);
    }

    /** A grouped or MX engine's results: floats in its result format. */
    @Override
    public String laneFormat(String stream) {
        if (!stream.equals("out") || !cfg.scaled()) {
            return null;
        }
        return (cfg.group() != null ? cfg.group().result() : cfg.mx().result()).name().toLowerCase(Locale.ROOT);
    }

    @Override
    public List<PortDoc> ports() {
        int r = cfg.rows();
        int c = cfg.cols();
        List<PortDoc> d = new ArrayList<>();
        d.add(new PortDoc("clk", "in", 1, "clock", "every register samples on the rising edge"));
        d.add(new PortDoc("rst", "in", 1, "synchronous reset, active high", "returns the controller to idle and drops every beat in flight"));
        String cfgStream = "valid/ready stream 'cfg' (AXI4-Stream rules), one beat per GEMM, accepted when idle";
        d.add(new PortDoc("cfg_valid", "in", 1, cfgStream, "a GEMM shape is offered"));
        d.add(new PortDoc("cfg_ready", "out", 1, cfgStream, "the engine takes the shape (previous GEMM fully fed)"));
        d.add(new PortDoc("cfg_m", "in", GemmEngine.bitsFor(cfg.maxM()), cfgStream, "M, rows of A and Y, 1.." + cfg.maxM()));
        d.add(new PortDoc("cfg_k", "in", GemmEngine.bitsFor(cfg.maxK()), cfgStream, "K, the reduction depth, 1.." + cfg.maxK()));
        d.add(new PortDoc("cfg_n", "in", GemmEngine.bitsFor(cfg.maxN()), cfgStream, "N, columns of B and Y, 1.." + cfg.maxN()));
        if (!cfg.actSigned()) {
            d.add(new PortDoc("cfg_zp", "in", cfg.actBits(), cfgStream, "zero point of the " + cfg.actFormat()
                    + " activations, subtracted from each before it is multiplied"));
        }
        if (cfg.requant() != null) {
            d.add(new PortDoc("cfg_out_zp", "in", 16, cfgStream, "output zero point, added after scaling (int8 range)"));
            d.add(new PortDoc("cfg_act_min", "in", 16, cfgStream, "lower clamp of the int8 result (-128, or out_zp for RELU)"));
            d.add(new PortDoc("cfg_act_max", "in", 16, cfgStream, "upper clamp of the int8 result, >= act_min"));
        }
        boolean ws = cfg.dataflow() == Dataflow.WS;
        MxBlocks mx = cfg.mx();
        stream(d, "wgt", "in", c, cfg.weightBits(), ws ? "per N fold and K fold, min(R, K - k0) beats before that fold's activations"
                : "per N fold and M fold, K beats, each taken together with an act beat",
                (ws ? "lane c of beat r = B[k0 + r][n0 + c]" : "lane c of beat k = B[k][n0 + c]") + ", " + (mx != null ? "an " + mxName(mx.weight()) + " code" : cfg.weightFormat())
                        + "; lanes past N ignored");
        if (cfg.bias()) {
            stream(d, "bias", "in", c, SystolicConfig.BIAS_BITS, "one beat at the start of each N fold",
                    "lane c = bias[n0 + c], int32, added to every result of column n0 + c; lanes past N ignored");
        }
        if (cfg.requant() != null) {
            String protocol = "valid/ready stream 'quant' (AXI4-Stream rules): one beat at the start of each N fold";
            d.add(new PortDoc("quant_valid", "in", 1, protocol, "a beat is offered"));
            d.add(new PortDoc("quant_ready", "out", 1, protocol, "the beat moves on a cycle where valid and ready are high"));
            d.add(new PortDoc("quant_bias_0..quant_bias_" + (c - 1), "in", 32, protocol,
                    "lane c = int32 bias of column n0 + c, added to the accumulator with int32 wrap-around (as TFLite)"));
            d.add(new PortDoc("quant_mult_0..quant_mult_" + (c - 1), "in", 32, protocol,
                    "lane c = TFLite quantized multiplier of column n0 + c, 0..2^31-1"));
            d.add(new PortDoc("quant_shift_0..quant_shift_" + (c - 1), "in", 6, protocol,
                    "lane c = TFLite shift of column n0 + c, -31..30; rounding " + cfg.requant().optionName() + ": "
                            + cfg.requant().matches()));
        }
        GroupScale g = cfg.group();
        if (g != null) {
            stream(d, "scale", "in", c, g.scale().bits(), "per N fold, one beat before the first K fold of each group of " + g.size()
                    + " rows of K", "lane c = " + g.scale().name().toLowerCase(java.util.Locale.ROOT) + " bits of the scale of group k0 / "
                    + g.size() + ", column n0 + c; exact for 0 and 2^" + g.low() + " <= |s| < 2^" + (g.high() + 1)
                    + ", else NaN (Inf: +-Inf); lanes past N ignored");
        }
        if (mx != null) {
            stream(d, "scale", "in", c, 8, "per N fold, one beat before the first K fold of each block of " + Mx.BLOCK_SIZE + " rows of K",
                    "lane c = E8M0 scale Xb of B's block k0 / " + Mx.BLOCK_SIZE + ", column n0 + c (0xFF: NaN); lanes past N ignored");
            d.add(new PortDoc("act_scale", "in", 8, "with each act beat", "E8M0 scale Xa of A's block k0 / " + Mx.BLOCK_SIZE
                    + " of row m (0xFF: NaN); the block sum is exact for Xa + Xb - 254 in " + mx.minExp() + ".." + mx.maxExp()
                    + ", a nonzero one outside gives NaN"));
        }
        stream(d, "act", "in", r, cfg.actBits(), ws ? "per N fold and K fold, M beats after that fold's weights"
                : "per N fold and M fold, K beats, each taken together with a wgt beat",
                (ws ? "lane r of beat m = A[m][k0 + r]" : "lane r of beat k = A[m0 + r][k]") + ", " + (mx != null ? "an " + mxName(mx.act()) + " code" : cfg.actFormat()) + "; lanes past "
                        + (ws ? "K" : "M") + " ignored");
        stream(d, "out", "out", c, cfg.outBits(), (ws ? "per N fold, M beats after its last K fold" : "per N fold and M fold, min(R, M - m0) beats")
                + "; stalling ready freezes the engine",
                mx != null ? "lane c of beat m = Y[m][n0 + c] = sum over blocks of 2^(Xa + Xb - 254) x exact block sum of element products, "
                        + "accumulated exactly, rounded once to nearest even into " + mx.result().name().toLowerCase(java.util.Locale.ROOT)
                        + " bits; lanes past N are 0"
                : g != null ? "lane c of beat m = Y[m][n0 + c] = sum over groups of scale x exact group sum, accumulated exactly, "
                        + "rounded once to nearest even into " + g.result().name().toLowerCase(java.util.Locale.ROOT) + " bits; lanes past N are 0"
                : cfg.requant() == null ? "lane c of beat m = Y[m][n0 + c], int" + cfg.accBits() + " (cannot overflow); lanes past N are 0"
                        : "lane c of beat m = Y[m][n0 + c] requantized to int8: clamp(MultiplyByQuantizedMultiplier(acc + bias) + out_zp); "
                        + "lanes past N are clamp(out_zp)");
        return d;
    }

    private static String mxName(dev.qforge.numerics.MxElementType t) {
        return "MX " + t.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void stream(List<PortDoc> d, String name, String dir, int lanes, int bits, String when, String laneMeaning) {
        String protocol = "valid/ready stream '" + name + "' (AXI4-Stream rules): " + when;
        String back = dir.equals("in") ? "out" : "in";
        d.add(new PortDoc(name + "_valid", dir, 1, protocol, "a beat is offered"));
        d.add(new PortDoc(name + "_ready", back, 1, protocol, "the beat moves on a cycle where valid and ready are high"));
        d.add(new PortDoc(name + "_0.." + name + "_" + (lanes - 1), dir, bits, protocol, laneMeaning));
    }

    /** One MAC per PE column of every row: R x C, however many columns share a multiplier. */
    @Override
    public long macUnits() {
        return (long) cfg.rows() * cfg.cols();
    }

    /**
     * The cycle model's figures for the largest GEMM; MACs per cycle in steady state, GEMM after
     * GEMM: its M * K * N MACs per initiation interval.
     */
    @Override
    public Performance performance() {
        GemmCycleModel model = new GemmCycleModel(cfg);
        GemmCycleModel.Prediction p = model.predict(cfg.maxM(), cfg.maxK(), cfg.maxN());
        long macs = (long) cfg.maxM() * cfg.maxK() * cfg.maxN();
        return new Performance("GEMM M=" + cfg.maxM() + " K=" + cfg.maxK() + " N=" + cfg.maxN(), p.firstInToFirstOut(),
                p.firstInToLastOut(), p.initiationInterval(), (double) macs / p.initiationInterval(), model.latency());
    }

    /**
     * The largest GEMM's bytes: weights once (weight-stationary) or once per M fold
     * (output-stationary), activations once per N fold (weight-stationary) or once, scales once per
     * group of K and column; beside the int8 x int8 engine of the same shape and dataflow, unless
     * this is that engine.
     */
    @Override
    public MemoryTraffic memoryTraffic() {
        SystolicConfig int8 = SystolicConfig.int8(cfg.rows(), cfg.cols(), cfg.maxM(), cfg.maxK(), cfg.maxN(), false);
        int8 = cfg.dataflow() == Dataflow.WS ? int8 : SystolicConfig.int8Os(cfg.rows(), cfg.cols(), cfg.maxM(), cfg.maxK(), cfg.maxN());
        boolean isBaseline = !cfg.scaled() && cfg.actBits() == 8 && cfg.weightBits() == 8;
        MemoryTraffic baseline = isBaseline ? null : traffic(int8, null, null);
        return traffic(cfg, baseline, isBaseline ? null : "int8 x int8 engine of the same shape and dataflow (int" + int8.outBits() + " results)");
    }

    private static MemoryTraffic traffic(SystolicConfig c, MemoryTraffic baseline, String baselineName) {
        long m = c.maxM();
        long k = c.maxK();
        long n = c.maxN();
        boolean ws = c.dataflow() == Dataflow.WS;
        long weights = (ws ? 1 : c.mFolds(c.maxM())) * k * n * c.weightBits();
        long scales = !c.scaled() ? 0 : (long) c.maxGroups() * n * c.scaleBits();
        // MX activations carry their E8M0 block scales along, one byte per row and block
        long activations = (ws ? c.nFolds(c.maxN()) : 1) * m * (k * c.actBits() + (c.mx() == null ? 0 : (long) c.maxGroups() * 8));
        return MemoryTraffic.of("GEMM M=" + m + " K=" + k + " N=" + n, m * k * n, weights, scales, activations, m * n * c.outBits(),
                baseline, baselineName);
    }
}

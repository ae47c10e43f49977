package dev.qforge.generators.dequant;

import dev.qforge.generators.ConfiguredBlock;
import dev.qforge.generators.MemoryTraffic;
import dev.qforge.generators.Performance;
import dev.qforge.generators.PortDoc;
import dev.qforge.numerics.PackOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@link Dequantizer} as a report sees it: parameters (as {@link DequantOptions}), port table, cycle-model figures. */
public final class DequantBlock extends ConfiguredBlock<DequantConfig> {
    /** The reference workload: one 4096-value weight row. */
    private static final int WORKLOAD_CODES = 4096;

    public DequantBlock(String designName, DequantConfig cfg) {
        super(designName, cfg, Dequantizer::new, DequantOptions::of);
    }

    /** The block from text options ({@link DequantOptions}); a bad option is an {@link IllegalArgumentException} naming it. */
    public static DequantBlock fromOptions(String designName, Map<String, String> options) {
        return new DequantBlock(designName, DequantOptions.parse(options));
    }

    /** Float results in their out format (fixed-point ones are the port types). */
    @Override
    public String laneFormat(String stream) {
        return stream.equals("out") && cfg.out() != null ? cfg.out().name().toLowerCase(Locale.ROOT) : null;
    }

    @Override
    public List<PortDoc> ports() {
        int lanes = cfg.lanes();
        int s = cfg.scalesPerBeat();
        Element el = cfg.element();
        String in = "valid/ready stream 'in' (AXI4-Stream rules), " + lanes + " codes per beat";
        String outS = "valid/ready stream 'out' (AXI4-Stream rules), one beat per input beat, in order";
        boolean awq = cfg.order() == PackOrder.AWQ;
        String held = "read on the group's first beat (every " + cfg.beatsPerGroup() + " beats from reset), ignored on the others";
        String groups = awq ? "lane j (its own column) for a group of " + cfg.groupSize() + " beats: " + held
                : s > 1 ? "lanes [j*" + cfg.groupSize() + ", (j+1)*" + cfg.groupSize() + ") of every beat" : "the group: " + held;
        List<PortDoc> d = new ArrayList<>();
        d.add(new PortDoc("clk", "in", 1, "clock", "every register samples on the rising edge"));
        d.add(new PortDoc("rst", "in", 1, "synchronous reset, active high", "empties the pipeline and restarts the group count"));
        d.add(new PortDoc("in_valid", "in", 1, in, "a beat is offered"));
        d.add(new PortDoc("in_ready", "out", 1, in, "the beat moves on a cycle where valid and ready are high; = !out_valid || out_ready"));
        int b = cfg.codeBits();
        d.add(new PortDoc("in_codes", "in", lanes * b, in, (awq ? "32-bit word w holds lanes 8w..8w+7, nibble f (bits [4f, 4f+4)) "
                + "holding lane 8w + [0,2,4,6,1,3,5,7][f] (AutoAWQ's order), " : "lane i in bits [" + b + "i, " + b + "i+" + b + "), ")
                + (el.isBfp() ? "a " + b + "-bit two's complement mantissa, value m * 2^(" + (2 - b) + ") * scale"
                        + (el == Element.BFP_OUTLIER ? " unless an outlier slot holds the lane" : "") : el.optionName())
                + (el.isBlockScaled() || awq ? "" : " (GPTQ order: a 32-bit qweight word is lanes 0..7 little end first)")));
        d.add(new PortDoc(range("in_scale", s), "in", cfg.scale().bits(), in, "scale of " + groups + ", "
                + (cfg.scale() == DequantConfig.Scale.S16 ? "signed fixed point with " + cfg.scaleFrac() + " fraction bits"
                : cfg.scale().name().toLowerCase(java.util.Locale.ROOT))));
        if (cfg.outliers() > 0) {
            int k = cfg.outliers();
            d.add(new PortDoc(range("in_oscale", s), "in", 8, in, "E8M0 exponent of the outliers of " + groups));
            d.add(new PortDoc(range("in_oidx", s * k), "in", cfg.outlierIndexBits(), in, "index within its group of outlier slot t of "
                    + "group j at [j*" + k + "+t]; the lowest slot naming a lane wins, " + groups));
            d.add(new PortDoc(range("in_omant", s * k), "in", 8, in, "8-bit two's complement mantissa o of that slot, value "
                    + "o * 2^-6 * 2^(in_oscale - 127)"));
        }
        if (cfg.zeroPoint()) {
            d.add(new PortDoc(range("in_zp", s), "in", b, in, "zero point of " + groups + ", " + el.optionName()
                    + ", subtracted from each code"));
        }
        d.add(new PortDoc("out_valid", "out", 1, outS, "a beat is offered, " + DequantCycleModel.latency(cfg) + " cycles after its input"));
        d.add(new PortDoc("out_ready", "in", 1, outS, "low holds the whole pipeline"));
        d.add(new PortDoc(range("out", lanes), "out", cfg.out() == null ? Dequantizer.fixedLaneBits(cfg) : cfg.out().bits(), outS,
                cfg.out() == null ? "lane i's exact value / 2^" + (cfg.fixedHasExponent() ? "out_exp_j" : "-" + cfg.scaleFrac())
                        + ", two's complement" : "lane i's value rounded once to nearest even, " + cfg.out().name().toLowerCase(java.util.Locale.ROOT)
                        + " bits (NaN: the canonical quiet NaN)"));
        if (cfg.fixedHasExponent()) {
            d.add(new PortDoc(range("out_exp", s), "out", Dequantizer.EXPONENT_BITS, outS, "exponent of group j's lanes, two's complement"));
            d.add(new PortDoc(range("out_nan", s), "out", 1, outS, "group j's scale is NaN or infinite; its lanes are 0"));
        }
        return d;
    }

    /** {@code name_0..name_(n-1)}, or {@code name_0} alone. */
    private static String range(String name, int n) {
        return n == 1 ? name + "_0" : name + "_0.." + name + "_" + (n - 1);
    }

    /** One scale multiply per code, counted as a MAC: {@code lanes} per cycle in steady state. */
    @Override
    public Performance performance() {
        long beats = DequantCycleModel.beats(cfg, WORKLOAD_CODES);
        return new Performance(WORKLOAD_CODES + " codes", DequantCycleModel.latency(cfg), DequantCycleModel.firstInToLastOut(cfg, beats),
                beats, (double) WORKLOAD_CODES / beats, DequantCycleModel.latency(cfg));
    }

    /**
     * The reference workload's bytes: the codes (as "weights") and each group's metadata (scale, zero
     * point, outlier slots) in, the values (and a fixed-point output's group exponents) out.
     */
    @Override
    public MemoryTraffic memoryTraffic() {
        long groups = WORKLOAD_CODES / cfg.groupSize();
        long metadataBits = cfg.scale().bits() + (cfg.zeroPoint() ? cfg.codeBits() : 0)
                + (cfg.outliers() > 0 ? 8 + (long) cfg.outliers() * (cfg.outlierIndexBits() + 8) : 0);
        long laneBits = cfg.out() == null ? Dequantizer.fixedLaneBits(cfg) : cfg.out().bits();
        long exponentBits = cfg.fixedHasExponent() ? Dequantizer.EXPONENT_BITS + 1 : 0;
        return MemoryTraffic.of(WORKLOAD_CODES + " codes", WORKLOAD_CODES, (long) WORKLOAD_CODES * cfg.codeBits(), groups * metadataBits, 0,
                WORKLOAD_CODES * laneBits + groups * exponentBits, null, null);
    }
}

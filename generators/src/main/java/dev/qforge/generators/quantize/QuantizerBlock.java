package dev.qforge.generators.quantize;

import dev.qforge.generators.ConfiguredBlock;
import dev.qforge.generators.MemoryTraffic;
import dev.qforge.generators.Performance;
import dev.qforge.generators.PortDoc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@link Quantizer} as a report sees it: parameters (as {@link QuantizeOptions}), port table and cycle-model figures. */
public final class QuantizerBlock extends ConfiguredBlock<QuantizeConfig> {
    /** Blocks of the reference workload the performance figures are for. */
    private static final int WORKLOAD_BLOCKS = 64;

    public QuantizerBlock(String designName, QuantizeConfig cfg) {
        super(designName, cfg, Quantizer::new, QuantizeOptions::of);
    }

    /** The block from text options ({@link QuantizeOptions}); a bad option is an {@link IllegalArgumentException} naming it. */
    public static QuantizerBlock fromOptions(String designName, Map<String, String> options) {
        return new QuantizerBlock(designName, QuantizeOptions.parse(options));
    }

    /** The input values: float bit patterns in the input format. */
    @Override
    public String laneFormat(String stream) {
        return stream.equals("in") ? cfg.input().format().name().toLowerCase(Locale.ROOT) : null;
    }

    @Override
    public List<PortDoc> ports() {
        int l = cfg.lanes();
        int b = cfg.beatsPerBlock();
        String format = cfg.format().optionName();
        List<PortDoc> d = new ArrayList<>();
        d.add(new PortDoc("clk", "in", 1, "clock", "every register samples on the rising edge"));
        d.add(new PortDoc("rst", "in", 1, "synchronous reset, active high", "empties both block buffers and drops every beat in flight"));
        String in = "valid/ready stream 'in' (AXI4-Stream rules): " + b + " beats per block of " + cfg.blockSize();
        d.add(new PortDoc("in_valid", "in", 1, in, "a beat is offered"));
        d.add(new PortDoc("in_ready", "out", 1, in, "the beat moves on a cycle where valid and ready are high; low while both block buffers are full"));
        d.add(new PortDoc("in_data_0..in_data_" + (l - 1), "in", cfg.input().bits(), in,
                "lane i of beat j = element j * " + l + " + i of the block, " + cfg.input().optionName() + " bit pattern"));
        String out = "valid/ready stream 'out' (AXI4-Stream rules): " + b + " beats per block, in input order, from "
                + new QuantizeCycleModel(cfg).latency() + " cycles after the block's first input beat";
        d.add(new PortDoc("out_valid", "out", 1, out, "a beat is offered"));
        d.add(new PortDoc("out_ready", "in", 1, out, "the beat moves on a cycle where valid and ready are high"));
        d.add(new PortDoc("out_scale", "out", 8, out, "the block's E8M0 shared scale: 2^(scale - 127); 0xFF (NaN) when the block "
                + "holds a NaN or an infinity; the same on every beat of a block"));
        d.add(new PortDoc("out_last", "out", 1, out, "high on the last beat of a block"));
        d.add(new PortDoc("out_code_0..out_code_" + (l - 1), "out", cfg.codeBits(), out, "lane i = the " + format
                + " code of the element of in_data_i: x / 2^(scale - 127) rounded to nearest even, saturated"
                + (cfg.format().isMx() ? "" : ", two's complement with " + (cfg.format().bfpBits() - 2) + " fraction bits")
                + "; 0 in a NaN-scaled block"));
        return d;
    }

    /** Figures for {@value #WORKLOAD_BLOCKS} blocks back to back; "MACs" here are elements quantized. */
    @Override
    public Performance performance() {
        QuantizeCycleModel model = new QuantizeCycleModel(cfg);
        return new Performance(WORKLOAD_BLOCKS + " blocks of " + cfg.blockSize(), model.latency(), model.firstInToLastOut(WORKLOAD_BLOCKS),
                model.initiationInterval(), (double) cfg.blockSize() / model.initiationInterval(), model.latency());
    }

    /** The reference workload's bytes: the elements in (as "activations"), each block's codes and its 8-bit shared scale out. */
    @Override
    public MemoryTraffic memoryTraffic() {
        long elements = (long) WORKLOAD_BLOCKS * cfg.blockSize();
        return MemoryTraffic.of(WORKLOAD_BLOCKS + " blocks of " + cfg.blockSize(), elements, 0, 0, elements * cfg.input().bits(),
                elements * cfg.codeBits() + WORKLOAD_BLOCKS * 8L, null, null);
    }
}

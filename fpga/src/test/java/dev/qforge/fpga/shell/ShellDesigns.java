package dev.qforge.fpga.shell;

import dev.qforge.generators.attention.AttentionBlock;
import dev.qforge.generators.dequant.DequantBlock;
import dev.qforge.generators.dequant.DequantOptions;
import dev.qforge.generators.quantize.QuantizerBlock;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.numerics.TfliteRounding;

import java.util.Map;

/** The blocks the shell tests wrap: one Verilator model each, shared by every test of a block. */
final class ShellDesigns {
    /** A 2x2 int8 weight-stationary engine with an int32 bias stream (five streams in, one out). */
    static final SystolicConfig GEMM = SystolicConfig.int8(2, 2, 8, 8, 8, true);
    /** A 2x2 output-stationary uint8 x int8 engine with TFLite single-rounding requantization (a zero point, a quant stream). */
    static final SystolicConfig GEMM_OS_REQUANT = SystolicConfig.int8Os(2, 2, 8, 8, 8).withTypes(8, false, 8)
            .withRequant(TfliteRounding.SINGLE_ROUNDING);
    /** Grouped int4, 8 lanes, groups of 16, bf16 out. */
    static final Map<String, String> DEQUANT = Map.of("format", "int4", "lanes", "8", "group", "16");

    /** One head, d 16 in two 8-lane beats a row, an int8 cache of 8 rows. */
    static final Map<String, String> ATTENTION = Map.of("head-dim", "16", "max-seq", "8", "lanes", "8");

    /** MXFP8 (E4M3) from fp32, 8 lanes: a block of 32 is 4 beats. */
    static final Map<String, String> QUANTIZE = Map.of("format", "mxfp8_e4m3", "lanes", "8", "input", "fp32");

    private ShellDesigns() { }

    /** The shell around an engine; one name for all, so a configuration's model is shared by every test. */
    static AxiShell gemm(SystolicConfig cfg) {
        return AxiShell.around(new GemmEngineBlock("gemm", cfg));
    }

    static DequantBlock dequantBlock() {
        return new DequantBlock("dequant_int4", DequantOptions.parse(DEQUANT));
    }

    static AxiShell gemm() {
        return gemm(GEMM);
    }

    static AttentionBlock attentionBlock() {
        return AttentionBlock.fromOptions("attention", ATTENTION);
    }

    static AxiShell attention() {
        return AxiShell.around(attentionBlock());
    }

    static QuantizerBlock quantizeBlock() {
        return QuantizerBlock.fromOptions("quantize_mxfp8", QUANTIZE);
    }

    static AxiShell quantize() {
        return AxiShell.around(quantizeBlock());
    }

    static AxiShell dequant() {
        return AxiShell.around(dequantBlock());
    }
}

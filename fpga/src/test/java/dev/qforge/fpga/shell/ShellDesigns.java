package dev.qforge.fpga.shell;

import dev.qforge.generators.dequant.DequantBlock;
import dev.qforge.generators.dequant.DequantOptions;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;

import java.util.Map;

/** The blocks the shell tests wrap: one Verilator model each, shared by every test of a block. */
final class ShellDesigns {
    /** A 2x2 int8 weight-stationary engine with an int32 bias stream (five streams in, one out). */
    static final SystolicConfig GEMM = SystolicConfig.int8(2, 2, 8, 8, 8, true);
    /** Grouped int4, 8 lanes, groups of 16, bf16 out. */
    static final Map<String, String> DEQUANT = Map.of("format", "int4", "lanes", "8", "group", "16");

    private ShellDesigns() { }

    static GemmEngineBlock gemmBlock() {
        return new GemmEngineBlock("gemm_2x2", GEMM);
    }

    static DequantBlock dequantBlock() {
        return new DequantBlock("dequant_int4", DequantOptions.parse(DEQUANT));
    }

    static AxiShell gemm() {
        return AxiShell.around(gemmBlock());
    }

    static AxiShell dequant() {
        return AxiShell.around(dequantBlock());
    }
}

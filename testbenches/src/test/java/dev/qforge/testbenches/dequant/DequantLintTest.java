package dev.qforge.testbenches.dequant;

import dev.qforge.dsl.Design;
import dev.qforge.generators.dequant.DequantConfig;
import dev.qforge.generators.dequant.DequantConfig.Scale;
import dev.qforge.generators.dequant.Dequantizer;
import dev.qforge.generators.dequant.Element;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.PackOrder;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.lint.HdlLint;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every co-simulated configuration ({@link DequantCosimTest}'s and the units of
 * {@link DequantSetCosimTest}'s sets: every format, scale kind and output) emits Verilog that lints
 * silently; one configuration per output path (float with a held float scale, float with an E8M0
 * scale, fixed with per-beat fixed-point scales, fixed with an exponent, bfp_outlier's slot match) at one or two lanes
 * synthesises in Yosys without latches (the lanes repeat one structure; Yosys on 8 lanes of float
 * rounding takes half a minute).
 */
@Cosim(tools = {"verilator", "yosys"})
class DequantLintTest {
    static List<DequantConfig> configs() {
        List<DequantConfig> all = new ArrayList<>(DequantCosimTest.CONFIGS);
        all.addAll(DequantSetCosimTest.FLOAT);
        all.addAll(DequantSetCosimTest.FIXED);
        all.addAll(DequantSetCosimTest.CROSS);
        all.add(DequantAwqCosimTest.AWQ);
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void verilatorLintIsSilent(DequantConfig cfg, @TempDir Path dir) {
        HdlLint.assertVerilatorSilent(Design.elaborate(new Dequantizer(cfg)), dir);
    }

    static List<DequantConfig> synthesised() {
        return List.of(new DequantConfig(Element.UINT4, 1, 32, Scale.BF16, 0, true, BinaryFloat.BF16, 8),
                new DequantConfig(Element.MXFP8_E4M3, 1, 32, Scale.E8M0, 0, false, BinaryFloat.FP16, 8),
                new DequantConfig(Element.INT2, 4, 2, Scale.S16, 8, true, null, 8),
                new DequantConfig(Element.MXFP4, 2, 32, Scale.E8M0, 0, false, null, 8),
                new DequantConfig(Element.BFP_OUTLIER, 1, 32, Scale.E8M0, 0, false, BinaryFloat.FP16, 4, PackOrder.GPTQ, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("synthesised")
    void yosysSynthesisHasNoLatch(DequantConfig cfg, @TempDir Path dir) {
        HdlLint.assertYosysClean(Design.elaborate(new Dequantizer(cfg)), dir);
    }
}

package dev.qforge.testbenches.quantize;

import dev.qforge.dsl.Design;
import dev.qforge.generators.quantize.QuantizeOptions;
import dev.qforge.generators.quantize.Quantizer;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.lint.HdlLint;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

/**
 * Every output format emits Verilog that verilator --lint-only -Wall passes silently; small lane
 * counts of the widest float and of BFP synthesise in Yosys without latches.
 */
@Cosim(tools = {"verilator", "yosys"})
class QuantizerLintTest {
    @ParameterizedTest(name = "{0} {1} block {2} lanes {3}")
    @CsvSource({"mxfp8_e4m3, fp32, 32, 8", "mxfp8_e5m2, bf16, 32, 4", "mxfp6_e3m2, fp32, 32, 2", "mxfp6_e2m3, bf16, 32, 1",
            "mxfp4_e2m1, fp32, 32, 32", "mxint8, bf16, 32, 4", "bfp, fp32, 1, 1", "bfp, bf16, 256, 16"})
    void verilatorLintIsSilent(String format, String input, int block, int lanes, @TempDir Path dir) {
        HdlLint.assertVerilatorSilent(Design.elaborate(quantizer(format, input, block, lanes)), dir);
    }

    @ParameterizedTest(name = "{0} {1} block {2} lanes {3}")
    @CsvSource({"mxfp8_e5m2, fp32, 32, 1", "bfp, bf16, 4, 2"})
    void yosysSynthesisHasNoLatch(String format, String input, int block, int lanes, @TempDir Path dir) {
        HdlLint.assertYosysClean(Design.elaborate(quantizer(format, input, block, lanes)), dir);
    }

    private static Quantizer quantizer(String format, String input, int block, int lanes) {
        return new Quantizer(QuantizeOptions.parse(Map.of("format", format, "input", input, "block", Integer.toString(block),
                "lanes", Integer.toString(lanes))));
    }
}

package dev.qforge.testbenches.requant;

import dev.qforge.dsl.Design;
import dev.qforge.generators.requant.Requantizer;
import dev.qforge.numerics.TfliteRounding;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.lint.HdlLint;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

/** The co-simulated parameter sets emit Verilog that lints silently and synthesises without latches. */
@Cosim(tools = {"verilator", "yosys"})
class RequantizerLintTest {
    private static final String CONFIGS = """
            4, 32,  8, true,  DOUBLE_ROUNDING
            4, 32,  8, true,  SINGLE_ROUNDING
            2,  5,  8, false, DOUBLE_ROUNDING
            2,  5,  8, false, SINGLE_ROUNDING
            1, 64, 16, true,  DOUBLE_ROUNDING
            1, 64, 16, true,  SINGLE_ROUNDING
            """;

    @ParameterizedTest(name = "l{0} acc{1} {3}{2} {4}")
    @CsvSource(textBlock = CONFIGS)
    void verilatorLintIsSilent(int lanes, int accBits, int outBits, boolean outSigned, TfliteRounding mode, @TempDir Path dir) {
        HdlLint.assertVerilatorSilent(Design.elaborate(new Requantizer(lanes, accBits, outBits, outSigned, mode)), dir);
    }

    @ParameterizedTest(name = "l{0} acc{1} {3}{2} {4}")
    @CsvSource(textBlock = CONFIGS)
    void yosysSynthesisHasNoLatch(int lanes, int accBits, int outBits, boolean outSigned, TfliteRounding mode, @TempDir Path dir) {
        HdlLint.assertYosysClean(Design.elaborate(new Requantizer(lanes, accBits, outBits, outSigned, mode)), dir);
    }
}

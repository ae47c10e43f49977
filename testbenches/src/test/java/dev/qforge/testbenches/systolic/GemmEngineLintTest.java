package dev.qforge.testbenches.systolic;

import dev.qforge.dsl.Design;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.lint.HdlLint;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Every co-simulated engine variant (the grouped and MX ones included) is silent under verilator --lint-only -Wall and synthesises
 * in Yosys without latches; the 256-wide grids are linted too (their synthesis is left out: Yosys
 * took 7 CPU minutes on a 1 x 256 int2 engine, most of it for the 33k de-skew registers).
 */
@Cosim(tools = {"verilator", "yosys"})
class GemmEngineLintTest {
    static Stream<SystolicConfig> variants() {
        return Stream.concat(synthesized(), GemmEngines.rangeLimits());
    }

    static Stream<SystolicConfig> synthesized() {
        return Stream.concat(Stream.concat(GemmEngines.cosimulated(), GemmEngines.grouped()), GemmEngines.mx());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void verilatorLintIsSilent(SystolicConfig cfg, @TempDir Path dir) {
        HdlLint.assertVerilatorSilent(Design.elaborate(GemmEngineBlock.engine(cfg)), dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("synthesized")
    void yosysSynthesisHasNoLatch(SystolicConfig cfg, @TempDir Path dir) {
        HdlLint.assertYosysClean(Design.elaborate(GemmEngineBlock.engine(cfg)), dir);
    }
}

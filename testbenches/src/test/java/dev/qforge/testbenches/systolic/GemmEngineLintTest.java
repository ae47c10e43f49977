package dev.qforge.testbenches.systolic;

import dev.qforge.dsl.Design;
import dev.qforge.generators.systolic.Dataflow;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.numerics.TfliteRounding;
import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.process.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Every engine variant is silent under verilator --lint-only -Wall and synthesises in Yosys without latches. */
class GemmEngineLintTest {
    static Stream<SystolicConfig> variants() {
        return Stream.of(
                SystolicConfig.int8(1, 1, 1, 1, 1, false),    // one PE, no folds, M = 1
                SystolicConfig.int8(1, 1, 8, 9, 8, true),
                SystolicConfig.int8(2, 3, 16, 16, 16, false).withPacking(),
                SystolicConfig.int8(2, 4, 16, 16, 16, true).withTypes(4, true, 2).withPacking(),
                SystolicConfig.int8(3, 2, 16, 16, 16, true).withTypes(8, false, 4),
                SystolicConfig.int8(2, 2, 8, 8, 8, false).withTypes(2, true, 2),
                SystolicConfig.int8(4, 4, 32, 4, 32, true),   // K fits the grid: no accumulator memory
                SystolicConfig.int8(16, 16, 32, 64, 64, true),
                SystolicConfig.int8(4, 4, 32, 64, 32, false).withRequant(TfliteRounding.DOUBLE_ROUNDING),
                SystolicConfig.int8(2, 1, 8, 9, 8, false).withRequant(TfliteRounding.SINGLE_ROUNDING),
                SystolicConfig.int8(3, 3, 8, 3, 8, false).withRequant(TfliteRounding.SINGLE_ROUNDING).withPacking(),
                SystolicConfig.int8Os(1, 1, 1, 1, 1),
                SystolicConfig.int8Os(3, 2, 16, 16, 16).withTypes(8, false, 8),
                SystolicConfig.int8Os(16, 4, 8, 2, 8),      // M and K fit: no M folds
                SystolicConfig.int8Os(3, 5, 16, 16, 16).withTypes(4, true, 4).withPacking(),
                new SystolicConfig(4, 4, 32, 64, 32, 8, true, 8, 0, true, Dataflow.OS, false, null),
                SystolicConfig.int8Os(2, 3, 16, 16, 16).withRequant(TfliteRounding.DOUBLE_ROUNDING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void verilatorLintIsSilent(SystolicConfig cfg, @TempDir Path dir) throws Exception {
        String top = write(cfg, dir);
        List<String> cmd = new ArrayList<>(List.of(tool("verilator"), "--lint-only", "-Wall", "--top-module", top));
        cmd.addAll(files(dir));
        Processes.Result r = Processes.run(cmd, dir, Map.of(), dir.resolve("lint.log"), Duration.ofMinutes(5));
        if (r.exitCode() != 0 || !r.output().isBlank()) {
            fail("verilator --lint-only -Wall on " + top + " reported:\n" + r.output());
        }
    }

    /**
     * The variants without the two weight-stationary requantizing ones: the requantizer is slow
     * to synthesise and has its own synthesis test (RequantizerLintTest); one engine with it stays.
     */
    static Stream<SystolicConfig> synthesisVariants() {
        return variants().filter(c -> c.requant() == null || c.dataflow() == Dataflow.OS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("synthesisVariants")
    void yosysSynthesisHasNoLatch(SystolicConfig cfg, @TempDir Path dir) throws Exception {
        String top = write(cfg, dir);
        String script = "read_verilog " + String.join(" ", files(dir)) + "; synth -top " + top
                + "; check -assert; select -assert-none t:$_DLATCH_* t:$dlatch t:$_SR_* t:$sr";
        Processes.Result r = Processes.run(List.of(tool("yosys"), "-q", "-p", script), dir, Map.of(), dir.resolve("yosys.log"),
                Duration.ofMinutes(10));
        assertEquals(0, r.exitCode(), () -> "yosys synth of " + top + " failed:\n" + r.output());
    }

    private static String write(SystolicConfig cfg, Path dir) {
        Design design = Design.elaborate(GemmEngineBlock.engine(cfg));
        design.write(dir);
        return design.top().name();
    }

    private static List<String> files(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve("filelist.f")).stream().filter(l -> !l.isBlank()).map(String::trim).toList();
    }

    /** The tool's path; skips the test when it is missing, except under CI=true where that is a failure. */
    private static String tool(String name) {
        if (Tools.find(name).isEmpty() && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort(name + " is not installed; " + Tools.INSTALL_HINT);
        }
        return Tools.require(name).toString();
    }
}

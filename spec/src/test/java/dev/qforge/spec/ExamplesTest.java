package dev.qforge.spec;

import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.check.Checker;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.lint.HdlLint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every spec in examples/specs builds (checked as a build: no sweep range, fits its target, meets
 * its clock by estimate), and its composed Verilog passes verilator --lint-only -Wall silently;
 * the iCE40 one also synthesises in Yosys without latches.
 */
@Cosim(tools = {"verilator", "yosys"})
class ExamplesTest {
    static final Path EXAMPLES = Path.of("../examples/specs");

    @Test
    void everyExampleIsListedHere() throws Exception {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            assertEquals(List.of("cnn_int8.qf", "ice40_small.qf", "mlp_int8.qf", "ten_blocks.qf", "w4a8_decoder.qf"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cnn_int8.qf", "ice40_small.qf", "mlp_int8.qf", "ten_blocks.qf", "w4a8_decoder.qf"})
    void buildsAndLintsClean(String file, @TempDir Path dir) throws Exception {
        CheckedSpec spec = Spec.check(EXAMPLES.resolve(file), Checker.Mode.BUILD);
        assertTrue(spec.estimate().fits());
        assertTrue(Summary.text(spec).contains("\nworkload "), "every example has a workload");
        HdlLint.assertVerilatorSilent(spec.design(), dir);
    }

    /** The small iCE40 design (an engine, a FIFO on a connection): Yosys on the requantizing examples takes minutes. */
    @Test
    void theIce40ExampleSynthesisesWithoutLatches(@TempDir Path dir) throws Exception {
        HdlLint.assertYosysClean(Spec.check(EXAMPLES.resolve("ice40_small.qf"), Checker.Mode.BUILD).design(), dir);
    }
}

package dev.qforge.dsl;

import dev.qforge.lib.AdderTree;
import dev.qforge.lib.Counter;
import dev.qforge.lib.MacPe;
import dev.qforge.lib.PipelineStage;
import dev.qforge.lib.SkidBuffer;
import dev.qforge.lib.SyncFifo;
import dev.qforge.lib.SystolicArray;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Named.named;

/**
 * Every library block, in several parameterisations, and a design using every operator: the
 * emitted Verilog passes verilator --lint-only -Wall with no output, synthesises in Yosys with
 * check -assert and no latch, and is accepted by iverilog -g2005.
 */
class LintCleanTest {
    static Stream<Arguments> designs() {
        return Stream.<Supplier<Module>>of(
                () -> new Counter(8), () -> new Counter(1),
                () -> new SyncFifo(8, 4), () -> new SyncFifo(16, 5), () -> new SyncFifo(1, 2),
                () -> new SkidBuffer(8), () -> new SkidBuffer(1),
                () -> new PipelineStage(HwType.uint(8)), () -> new PipelineStage(HwType.bool()),
                () -> new PipelineStage(Record.of("value", HwType.sfix(20, 12)).with("tag", HwType.uint(3)).with("last", HwType.bool())),
                () -> new PipelineStage(lanes(8)),
                () -> new AdderTree(2, HwType.uint(8)), () -> new AdderTree(7, HwType.sint(8)), () -> new AdderTree(16, HwType.sint(16)),
                () -> new MacPe(8, 8, 32), () -> new MacPe(4, 4, 12),
                () -> new SystolicArray(8, 8, 8, 8, 32), () -> new SystolicArray("SystolicArray_3x5", 3, 5, 4, 8, 20),
                OperatorZoo::new, NegativeConstants::new, VecIndexTest.Indexed::new,
                () -> new RuntimeRoundShiftTest.RuntimeShift(Rounding.HALF_EVEN), () -> new RuntimeRoundShiftTest.RuntimeShift(Rounding.HALF_AWAY),
                () -> new RuntimeRoundShiftTest.RuntimeShift(Rounding.TOWARD_ZERO))
                .map(s -> {
                    Module m = s.get();
                    return Arguments.of(named(m.name(), m));
                });
    }

    /** A record too long to spell out in a module name: value_0 .. value_{n-1}, last. */
    private static Record lanes(int n) {
        Record r = Record.of("value_0", HwType.sfix(20, 12));
        for (int i = 1; i < n; i++) {
            r = r.with("value_" + i, HwType.sfix(20, 12));
        }
        return r.with("last", HwType.bool());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void verilatorLintIsSilent(Module m, @TempDir Path dir) {
        Design.elaborate(m).write(dir);
        HdlTools.assertVerilatorClean(dir, m.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void yosysSynthesisHasNoLatch(Module m, @TempDir Path dir) {
        Design.elaborate(m).write(dir);
        HdlTools.assertYosysClean(dir, m.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void icarusAcceptsVerilog2005(Module m, @TempDir Path dir) {
        Design.elaborate(m).write(dir);
        HdlTools.assertIcarusClean(dir, m.name());
    }
}

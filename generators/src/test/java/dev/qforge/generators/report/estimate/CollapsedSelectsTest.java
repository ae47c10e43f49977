package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Vec;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static dev.qforge.generators.report.estimate.Passes.luts;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Trees of maxima of int8 ports on Xilinx, where ABC recomputes shared multiplexers for depth ({@link CollapsedSelects}),
 * against Yosys 0.23 (synth_xilinx, the same on xc7 and xcup). Each maximum's pieces are a compare of 6 LUTs
 * ({@link VariableCompare}) and a LUT3 per bit.
 */
class CollapsedSelectsTest {
    /** The maximum of {@code 2^levels} int8 ports by a tree of {@code a > b ? a : b}, registered, and when {@code compared} that maximum compared with one more port instead. */
    private static Module tree(int levels, boolean compared, boolean parity) {
        return new Module("Tree") {{
            Vec in = inputs("x", 1 << levels, sint(8));
            List<Expr> layer = new ArrayList<>();
            in.forEach(layer::add);
            while (layer.size() > 1) {
                List<Expr> next = new ArrayList<>();
                for (int i = 0; i < layer.size(); i += 2) {
                    next.add(Expr.mux(layer.get(i).gt(layer.get(i + 1)), layer.get(i), layer.get(i + 1)));
                }
                layer = next;
            }
            if (compared) {
                Signal y = reg("y_q", bool());
                y.set(layer.get(0).gt(input("q", sint(8))));
                output("y", bool()).set(y);
            } else if (levels > 0) {
                Signal y = reg("y_q", sint(8));
                y.set(layer.get(0));
                output("y", sint(8)).set(y);
            }
            if (parity) {
                Signal p = reg("p_q", bool());
                p.set(input("z", uint(256)).xorReduce());
                output("p", bool()).set(p);
            }
        }};
    }

    /**
     * Three levels: 117 LUTs in Yosys 0.23, its pieces 98 (7 compares, 7 multiplexers of 8 bits); ABC holds the depth at
     * the two levels of a compare reading a first-level maximum by collapsing the second level's two multiplexers
     * with the first level's into LUT7s (16 LUTs more; 16 MUXF7s in Yosys). Two levels need no collapse: 43 (42).
     */
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"XC7", "XCUP"})
    void aThreeLevelTreeCollapsesItsSecondLevel(Target target) {
        assertEquals(98 + 16, luts(tree(3, false, false), target));
        assertEquals(42, luts(tree(2, false, false), target));
    }

    /**
     * Four levels are three levels deep at least (the last compare reads a third-level maximum): ABC collapses the
     * second level, whose multiplexers the third level's and the third compare's LUTs read. Yosys 0.23: 238 LUTs (32
     * MUXF7s), its pieces 210 (15 compares of 6, 15 multiplexers of 8), so 242.
     */
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"XC7", "XCUP"})
    void aFourLevelTreeCollapsesItsSecondLevel(Target target) {
        assertEquals(210 + 32, luts(tree(4, false, false), target));
    }

    /** A two-level maximum compared again (registered): 55 LUTs in Yosys 0.23, its pieces 48 (4 compares, 3 multiplexers), the second level collapsed (7 MUXF7s). */
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"XC7", "XCUP"})
    void aMaximumReadByACompareCollapses(Target target) {
        assertEquals(48 + 8, luts(tree(2, true, false), target));
    }

    /** Beside a deeper path (a 256-bit parity) ABC's required time leaves room: the three-level tree takes 96 LUTs in Yosys 0.23 (234 with the parity, 138 alone), its pieces. */
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"XC7", "XCUP"})
    void aDeeperPathLeavesTheTreeUncollapsed(Target target) {
        assertEquals(98, luts(tree(3, false, true), target) - luts(tree(0, false, true), target));
    }
}

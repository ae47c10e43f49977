package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.function.BiFunction;

import static dev.qforge.dsl.Expr.mux;
import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shifters by an amount computed in logic, against Yosys 0.23 synthesizing the same RTL (the figures in each case). */
class FoldedShiftAmountTest {
    /** {@code width} bits shifted by {@code amount(a, b)} of {@code bits} bits (c a one-bit input), read at {@code width} bits, registered. */
    private static Module shifter(int width, int bits, boolean left, BiFunction<Signal, Signal, Expr> amount, boolean usesC) {
        return new Module("Shift") {{
            Signal x = input("x", uint(width));
            Signal a = input("a", uint(bits));
            Signal b = input("b", uint(bits));
            Signal c = usesC ? input("c", bool()) : null;
            Expr s = usesC ? mux(c, a, b) : amount.apply(a, b);
            Signal q = reg("q", uint(width));
            q.set(left ? x.shl(s).truncate(width) : x.shr(s).truncate(width));
            output("y", uint(width)).set(q);
        }};
    }

    private static long luts(Module m, Target t) {
        return Passes.model(m, t).resources().get(Resource.LUT);
    }

    /**
     * 16 bits by a ^ b (4 bits): four stages that select data, so the first LUT level resolves two and takes both
     * selects' four leaves: 8 inputs, a LUT8 (4 LUT6s) per bit on both Xilinx targets. Yosys 0.23: xc7 74 (13 LUT8s,
     * a LUT7), xcup 84, iCE40 59 (the port amount's 55 and the XORs: no fold). A port amount: 34 on Xilinx.
     */
    @ParameterizedTest
    @CsvSource({"XC7, true, 75", "XCUP, true, 75", "XC7, false, 75", "HX8K, true, 62"})
    void aComputedAmountFoldsIntoTheFirstLevel(Target t, boolean left, long luts) {
        assertEquals(luts, luts(shifter(16, 4, left, Expr::xor, false), t));
    }

    /** Held out: 32 bits by a ^ b (4 bits), 29 LUT8s and a LUT7 in the first level (Yosys 0.23: xc7 154, xcup 173, iCE40 123). */
    @ParameterizedTest
    @CsvSource({"XC7, 157", "XCUP, 157", "HX8K, 119"})
    void theFoldScalesWithTheWidth(Target t, long luts) {
        assertEquals(luts, luts(shifter(32, 4, true, Expr::xor, false), t));
    }

    /**
     * 16 bits by c ? a : b: the two selects read c, a0, b0, a1, b1, so the first level's LUTs take 4 + 5 = 9 inputs,
     * a LUT9 on UltraScale+ (Yosys 0.23: 129, 13 MUXF9s) that 7-series does not have (48: the amount in its own LUTs).
     */
    @ParameterizedTest
    @CsvSource({"XCUP, 130", "XC7, 39"})
    void theFoldNeedsTheWidestLut(Target t, long luts) {
        assertEquals(luts, luts(shifter(16, 4, true, null, true), t));
    }

    /**
     * 8 bits by a ^ b (3 bits): three stages, two levels as with a port amount, the first resolving one stage, which
     * takes its select's logic in a LUT4: no wide LUTs (Yosys 0.23: 18 on both Xilinx targets, 12 by a port).
     */
    @ParameterizedTest
    @CsvSource({"XCUP, 16", "XC7, 16"})
    void anOddStageCountHasRoomForTheSelect(Target t, long luts) {
        assertEquals(luts, luts(shifter(8, 3, true, Expr::xor, false), t));
    }
}

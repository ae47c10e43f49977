package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static dev.qforge.generators.report.estimate.Passes.luts;
import static dev.qforge.generators.report.estimate.Passes.registeredCompare;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Compares of a register with a constant on Xilinx ({@link LookaheadCompare}), each registered, against Yosys 0.23
 * (synth_xilinx, LUT1-LUT6 cells of the whole module, the same on xc7 and xcup: the registers cost none).
 */
class LookaheadCompareTest {
    private static Expr form(Signal x, String form, long k) {
        return switch (form) {
            case "lt" -> x.lt(k);
            case "gt" -> x.gt(k);
            case "le" -> x.le(k);
            default -> x.ge(k);
        };
    }

    /**
     * From 13 bits a compare is a CARRY4 chain of 6-bit chunks, each a LUT for its equality with the constant's bits
     * (none for a one-bit chunk) and one for its greater-than unless the constant decides it or one bit is left.
     * Yosys 0.23 LUTs (CARRY4s): 13 bits x < 1024 3 (1), 16 bits K = 21845 6 (1) in all four forms, 20 bits 32767 < x
     * 5 (1) but x <= 32767 8 (1), 33 bits K = 100 7 (2) and 12 (2), signed 32 bits 127 < x and x < -128 10 (2) each.
     */
    @ParameterizedTest
    @CsvSource({
        "13, false, lt, 1024, 3", "13, false, lt, 5461, 4", "13, false, gt, 5461, 4", "13, false, gt, 4095, 2",
        "14, false, lt, 5461, 6", "16, false, lt, 21845, 6", "16, false, gt, 21845, 6", "16, false, le, 21845, 6",
        "16, false, ge, 21845, 6", "17, false, lt, 11, 4", "17, false, gt, 11, 6", "17, false, lt, 65536, 3",
        "18, false, lt, 87381, 6", "18, false, gt, 87381, 6", "20, false, gt, 32767, 5", "20, false, ge, 32767, 5",
        "20, false, le, 32767, 8", "24, false, lt, 5592405, 8", "24, false, gt, 5592405, 8", "33, false, lt, 100, 7",
        "33, false, gt, 100, 12", "16, true, gt, 127, 5", "16, true, lt, -128, 5", "32, true, gt, 127, 10",
        "32, true, lt, -128, 10"})
    void aWideCompareIsALookaheadChain(int w, boolean signed, String form, long k, long expected) {
        HwType t = signed ? sint(w) : uint(w);
        assertEquals(expected, luts(registeredCompare(t, x -> form(x, form, k)), Target.XC7));
        assertEquals(expected, luts(registeredCompare(t, x -> form(x, form, k)), Target.XCUP));
    }

    /**
     * Up to 12 bits (two chunks) the lookahead unit is logic, which ABC reduces to the bits above the constant's
     * trailing zeros or ones: Yosys 0.23 on xc7, 12 bits x < 1024 1 LUT, 2047 < x none, 7 < x 2, x < 7 3, 1365 < x 2;
     * 10 bits x < 512 none (an inverter); 8 bits 63 < x 1, 100 < x 2. An extended 8-bit value compares at its width:
     * {0, x} < 17'd100 1 LUT, a sign-extended x < -17'sd100 1.
     */
    @ParameterizedTest
    @CsvSource({
        "12, lt, 1024, 1", "12, gt, 2047, 0", "12, gt, 7, 2", "12, lt, 7, 3", "12, gt, 1365, 2", "10, lt, 512, 0",
        "8, gt, 63, 1", "8, gt, 100, 2"})
    void aNarrowCompareIsLogicOverTheBitsThatMatter(int w, String form, long k, long expected) {
        assertEquals(expected, luts(registeredCompare(uint(w), x -> form(x, form, k)), Target.XC7));
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"XC7", "XCUP"})
    void anExtendedValueComparesAtItsOwnWidth(Target target) {
        assertEquals(1, luts(registeredCompare(uint(8), x -> x.extend(17).lt(100)), target));
        assertEquals(1, luts(registeredCompare(sint(8), x -> x.extend(17).lt(-100)), target));
    }

    /**
     * In context the chain's carry-out is one net to its reader. A saturation (registered): 32 bits to 8, 28 LUTs in
     * Yosys 0.23 (10 per bound, a LUT3 per result bit); 18 bits to 12, 20; 16 bits to 8, 18. {@code x < 98304 ? a : b}
     * (20-bit x, 8-bit a and b) 13: 5 and a LUT3 per bit. {@code 21845 < a + b} (16-bit a and b) 22: the sum's 16 and 6.
     */
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"XC7", "XCUP"})
    void theChainsResultIsOneNetToItsReader(Target target) {
        int[][] saturations = {{32, 8, 28}, {18, 12, 20}, {16, 8, 18}};
        for (int[] s : saturations) {
            Module sat = new Module("Sat") {{
                Signal xr = reg("xr", sint(s[0]));
                xr.set(input("x", sint(s[0])));
                Signal y = reg("y_q", sint(s[1]));
                y.set(xr.saturate(s[1]));
                output("y", sint(s[1])).set(y);
            }};
            assertEquals(s[2], luts(sat, target), s[0] + " to " + s[1] + " bits");
        }
        Module select = new Module("Select") {{
            Signal xr = reg("xr", uint(20));
            xr.set(input("x", uint(20)));
            Signal ar = reg("ar", uint(8));
            ar.set(input("a", uint(8)));
            Signal br = reg("br", uint(8));
            br.set(input("b", uint(8)));
            Signal y = reg("y_q", uint(8));
            y.set(Expr.mux(xr.lt(98304), ar, br));
            output("y", uint(8)).set(y);
        }};
        assertEquals(13, luts(select, target));
        Module sum = new Module("Sum") {{
            Signal ar = reg("ar", uint(16));
            ar.set(input("a", uint(16)));
            Signal br = reg("br", uint(16));
            br.set(input("b", uint(16)));
            Signal y = reg("y_q", bool());
            y.set(ar.plus(br).gt(21845));
            output("y", bool()).set(y);
        }};
        assertEquals(22, luts(sum, target));
    }
}

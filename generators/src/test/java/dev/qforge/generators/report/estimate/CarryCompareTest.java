package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static dev.qforge.generators.report.estimate.Passes.luts;
import static dev.qforge.generators.report.estimate.Passes.registeredCompare;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Compares of a register with a constant on iCE40 ({@link CarryCompare}), each registered, against
 * Yosys 0.23 (synth_ice40, SB_LUT4s of the whole module: the registers cost none).
 */
class CarryCompareTest {
    /**
     * A constant narrower than x is the $alu's A, so x is inverted, a LUT4 per bit the chain reads; {@code K < x}
     * is then the carry-out inverted, {@code x < K} (swapped by alumacc) and {@code <=} add the equality of all bits.
     * Yosys 0.23 (LUT4/SB_CARRY): 17 bits K = 100, 23/16 and 18/16; K = 11, 21/14 and 16/14; 8 bits K = 5, 10/6 and 8/6;
     * 12 bits K = 7, 13/8 and 10/8 (<= as x < K, >= as K <= x: the dearer form); signed 17 bits K = -128 24/16 and
     * 18/16, K = 127 17/9 and 11/9. A constant as wide as x is B and x is A, not inverted: 8 bits K = 200 1/4 and
     * 3/4, 12 bits K = 3000 1/8 and 4/8, signed 12 bits K = 1500 1/9 and 5/9.
     */
    @ParameterizedTest
    @CsvSource({
        "17, false, 100, 23, 18", "17, false, 11, 21, 16", "8, false, 5, 10, 8", "12, false, 7, 13, 10",
        "17, true, -128, 24, 18", "17, true, 127, 17, 11",
        "8, false, 200, 1, 3", "12, false, 3000, 1, 4", "12, true, 1500, 1, 5"})
    void aCompareWithAConstantIsACarryChain(int w, boolean signed, long k, long lessThan, long greaterThan) {
        HwType t = signed ? sint(w) : uint(w);
        assertEquals(lessThan, luts(registeredCompare(t, x -> x.lt(k)), Target.UP5K));
        assertEquals(greaterThan, luts(registeredCompare(t, x -> x.gt(k)), Target.UP5K));
    }

    /** {@code x <= K} reads equality as a swapped less-than does: 17 bits K = 100, 23 LUT4s; {@code x >= K} 23 too. */
    @Test
    void lessOrEqualAddsEquality() {
        assertEquals(23, luts(registeredCompare(uint(17), x -> x.le(100)), Target.UP5K));
        assertEquals(23, luts(registeredCompare(uint(17), x -> x.ge(100)), Target.UP5K));
    }

    /**
     * wreduce drops an extension first: a zero-extended 8-bit x compared at 17 bits with 100 maps as the 8-bit compare
     * (11/7 in Yosys 0.23), a sign-extended one with -100 as the 8-bit one, -100 as wide as it (1/5); at most 4 bits
     * cmp2lut makes a LUT (x4 extended to 17 bits below 9: 2 LUT4s, no carry), a cone as on Xilinx.
     */
    @Test
    void anExtendedValueComparesAtItsOwnWidth() {
        assertEquals(11, luts(registeredCompare(uint(8), x -> x.extend(17).lt(100)), Target.UP5K));
        assertEquals(1, luts(registeredCompare(sint(8), x -> x.extend(17).lt(-100)), Target.UP5K));
        assertEquals(luts(registeredCompare(uint(4), x -> x.extend(17).lt(9)), Target.XC7), luts(registeredCompare(uint(4), x -> x.extend(17).lt(9)), Target.UP5K));
    }

    /**
     * Compares of one register share its inverters (opt_merge), and a less-than an operator reads costs no LUT of its
     * own (ABC folds the inversion into the reader): five compares of a 5-bit count with 0, 1, 2, 3 and 8, each
     * registered, 10/17 in Yosys 0.23; {@code (100 < x) & e}, 12 bits, 13/11; {@code (x < 100) & e} 17/11.
     */
    @Test
    void comparesOfOneValueShareItsInverters() {
        Module five = new Module("Five") {{
            Signal n = reg("n", uint(5));
            n.set(input("n_in", uint(5)));
            long[] ks = {0, 1, 2, 3, 8};
            for (int i = 0; i < ks.length; i++) {
                Signal b = reg("b" + i, bool());
                b.set(n.gt(ks[i]));
                output("y" + i, bool()).set(b);
            }
        }};
        assertEquals(10, luts(five, Target.UP5K));
        for (String form : new String[] {"gt", "lt"}) {
            Module and = new Module("And") {{
                Signal xr = reg("xr", uint(12));
                xr.set(input("x", uint(12)));
                Signal er = reg("er", bool());
                er.set(input("e", bool()));
                Signal y = reg("y_q", bool());
                y.set((form.equals("gt") ? xr.gt(100) : xr.lt(100)).and(er));
                output("y", bool()).set(y);
            }};
            assertEquals(form.equals("gt") ? 13 : 17, luts(and, Target.UP5K));
        }
    }

    /**
     * A saturation ({@code x > 2047 ? 2047 : x < -2048 ? -2048 : x}, 18 bits to 12, registered): at equality with a
     * bound both choices agree, so ABC drops the equality, and the bounds' compares share x's inverters. Yosys 0.23:
     * 32 LUT4s and 23 SB_CARRYs (18 inverters, a LUT4 per compare, 12 multiplexer bits).
     */
    @Test
    void aSaturationsBoundsNeedNoEquality() {
        Module sat = new Module("Sat") {{
            Signal xr = reg("xr", sint(18));
            xr.set(input("x", sint(18)));
            Signal y = reg("y_q", sint(12));
            y.set(xr.saturate(12));
            output("y", sint(12)).set(y);
        }};
        assertEquals(32, luts(sat, Target.UP5K));
    }
}

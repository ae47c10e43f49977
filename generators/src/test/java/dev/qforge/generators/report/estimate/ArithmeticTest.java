package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static dev.qforge.generators.report.estimate.Passes.driverOp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArithmeticTest {
    private static Module product(int a, int b) {
        return new Module("Product") {{
            Signal p = reg("p", sint(a + b));
            p.set(input("a", sint(a)).times(input("b", sint(b))));
            output("y", sint(a + b)).set(p);
        }};
    }

    /**
     * mul2dsp's tiles: 27x18 on xcup, 25x18 on xc7, 16x16 on up5k; none on hx8k, none under the minimum product width,
     * nor for a piece of the up5k's tiling under it (17 x 16: one SB_MAC16 and a soft 1 x 16 piece, as Yosys 0.23 maps it).
     */
    @ParameterizedTest
    @CsvSource({
        "8, 8, XCUP, 1", "8, 8, XC7, 1", "8, 8, UP5K, 1", "8, 8, HX8K, 0",
        "32, 32, XCUP, 4", "32, 32, XC7, 4", "32, 32, UP5K, 4",
        "27, 18, XCUP, 1", "26, 18, XC7, 2", "17, 16, UP5K, 1", "18, 16, UP5K, 2",
        "4, 4, XCUP, 0", "5, 5, UP5K, 0", "6, 5, UP5K, 1"})
    void multipliersTakeDspTiles(int a, int b, Target t, int dsps) {
        Module m = product(a, b);
        assertEquals(dsps, Passes.model(m, t).arithmetic().dspCount(driverOp(m, "p")));
    }

    /** Below a constant shift of one operand the sum is the other operand: no carry there. */
    @ParameterizedTest
    @CsvSource({"0, 16", "3, 13", "7, 9"})
    void aShiftedOperandShortensTheCarryChain(int shift, int bits) {
        Module m = new Module("ShiftedSum") {{
            Signal q = reg("q", uint(16));
            q.set(input("a", uint(8)).shl(shift).plus(input("b", uint(16))).truncate(16));
            output("y", uint(16)).set(q);
        }};
        for (Target t : Target.values()) {
            assertEquals(bits, Passes.model(m, t).arithmetic().carryBits(driverOp(m, "q")), t.id());
        }
    }

    /** Adding a constant costs no LUT on Xilinx (the carry chain's select inputs take the operand); one LUT4 per sum bit on iCE40. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aConstantAddend(Target t) {
        Module m = new Module("PlusConstant") {{
            Signal q = reg("q", uint(12));
            q.set(q.plus(Expr.u(5, 12)).truncate(12));
            output("y", uint(12)).set(q);
        }};
        assertEquals(t.isIce40() ? 12 : 0, Passes.model(m, t).arithmetic().addLuts(driverOp(m, "q")));
    }

    /**
     * A one-bit value shifted left by a runtime amount is a decoder of the amount, not a barrel shifter:
     * 1 << n (4-bit n, 10 bits read) takes 10 LUTs in Yosys 0.23 on every target; b << n (5-bit n, 20 bits)
     * 20 on xc7 and 28 LUT4s (a decoder over pre-decoded lines: 25).
     */
    @ParameterizedTest
    @CsvSource({"4, 10, true, XC7, 10", "4, 10, true, UP5K, 10", "5, 20, false, XC7, 20", "5, 20, false, HX8K, 25"})
    void aOneBitShiftedLeftIsADecoder(int amountBits, int outBits, boolean constant, Target t, long luts) {
        Module m = new Module("OneHot") {{
            Signal n = input("n", uint(amountBits));
            Expr one = constant ? Expr.u(1, 1) : input("b", uint(1));
            output("y", uint(outBits)).set(one.shl(n).resize(outBits));
        }};
        ModuleModel model = Passes.model(m, t);
        assertEquals(luts, model.resources().get(dev.qforge.generators.report.Resource.LUT));
    }

    /**
     * A signed sum whose one operand has a known sign (a two-bit field zero-extended, as the dequantizer's
     * exponent adds it to scale - 128): above that operand's varying bits the chain's select inputs are the
     * other operand's bits, so on Xilinx only two bits take LUTs (Yosys 0.23: 2 per lane); on iCE40 every
     * sum bit is a LUT4.
     */
    @ParameterizedTest
    @CsvSource({"XCUP, 2", "XC7, 2", "UP5K, 12"})
    void aSignedAddendWithAKnownSignCostsOnlyItsVaryingBits(Target t, long luts) {
        Module m = new Module("ExponentSum") {{
            Signal q = reg("q", sint(12));
            Expr t2 = Expr.cat(Expr.u(0, 1), input("t", uint(2))).asSInt();
            q.set(input("e", sint(11)).plus(t2).resize(12));
            output("out", sint(12)).set(q);
        }};
        assertEquals(luts, Passes.model(m, t).arithmetic().addLuts((dev.qforge.dsl.Op) Operators.unwire(driverOp(m, "q"))));
    }

    /**
     * Likewise a signed difference: the float rounder's E - lz, a 12-bit E less a two-bit count as a signed 3-bit
     * value, 13 bits wide, takes LUTs only at the count's two bits (Yosys 0.23, registered E and lz: 2 LUTs on xc7
     * and xcup).
     */
    @ParameterizedTest
    @CsvSource({"XCUP, 2", "XC7, 2"})
    void aSignedSubtrahendWithAKnownSignCostsOnlyItsVaryingBits(Target t, long luts) {
        Module m = new Module("ExponentDifference") {{
            Signal q = reg("q", sint(13));
            q.set(input("e", sint(12)).minus(input("lz", uint(2)).toSInt()));
            output("out", sint(13)).set(q);
        }};
        assertEquals(luts, Passes.model(m, t).arithmetic().addLuts((dev.qforge.dsl.Op) Operators.unwire(driverOp(m, "q"))));
    }

    /**
     * x * 2^7 + y + bit (the float rounder's packing) is one carry chain with the bit as its carry-in:
     * the bit's adder costs nothing, the chain of x * 2^7 + y starts at bit 0, where the carry enters: a
     * LUT4 per bit on iCE40 (Yosys: 15); on Xilinx a LUT only where x and y overlap, bits 7 and 8
     * (Yosys: 2 on xc7).
     */
    @ParameterizedTest
    @CsvSource({"XCUP, 2", "XC7, 2", "UP5K, 16", "HX8K, 16"})
    void aOneBitAddendIsTheCarryInOfTheSumBeforeIt(Target t, long luts) {
        Module m = new Module("RoundedPack") {{
            Signal q = reg("q", uint(17));
            q.set(input("x", uint(8)).shl(7).plus(input("y", uint(9))).plus(input("bit", uint(1))));
            output("out", uint(17)).set(q);
        }};
        dev.qforge.dsl.Op outer = driverOp(m, "q");
        Arithmetic a = Passes.model(m, t).arithmetic();
        assertEquals(luts, a.addLuts((dev.qforge.dsl.Op) Operators.unwire(outer.operand(0))));
        assertEquals(0, a.addLuts(outer));
    }

    /**
     * A one-bit addend is the carry-in of the sum reading it, so its own adder costs nothing; but on
     * iCE40 not when that sum subtracts it (measured on the packed engines' field correction).
     */
    @ParameterizedTest
    @CsvSource({"XCUP, false, 0", "XCUP, true, 0", "HX8K, false, 0", "HX8K, true, 8", "UP5K, true, 8"})
    void aOneBitAddendRidesTheNextCarryChain(Target t, boolean subtracted, long luts) {
        Module m = new Module("CarryIn") {{
            Signal q = reg("q", uint(12));
            Signal acc = input("acc", uint(12));
            Expr field = input("f", uint(7)).plus(input("c", uint(1)));
            q.set((subtracted ? acc.minus(field) : acc.plus(field)).truncate(12));
            output("y", uint(12)).set(q);
        }};
        Expr inner = driverOp(m, "q").operand(1);
        assertEquals(luts, Passes.model(m, t).arithmetic().addLuts((dev.qforge.dsl.Op) Operators.unwire(inner)));
    }

    /**
     * A one-bit addend added to a sum that alone reads it is that sum's carry-in: alumacc makes one
     * $alu of the two (the examples/ FIR's rounding, {@code (y + 8191) + y[14]}), so the outer adder
     * costs nothing on any target and the inner one keeps its own cost.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aOneBitAddendIsTheCarryInOfTheSumItReads(Target t) {
        Module m = new Module("RoundHalf") {{
            Signal q = reg("q", uint(14));
            Signal x = input("x", uint(12));
            q.set(x.plus(Expr.u(63, 12)).plus(x.bit(5)).truncate(14));
            output("y", uint(14)).set(q);
        }};
        Arithmetic arithmetic = Passes.model(m, t).arithmetic();
        dev.qforge.dsl.Op outer = driverOp(m, "q");
        assertEquals(0, arithmetic.addLuts(outer));
        assertEquals(t.isIce40() ? 13 : 0, arithmetic.addLuts((dev.qforge.dsl.Op) Operators.unwire(outer.operand(0))));
    }

    /**
     * On iCE40 a sum read whole or zero-extended by a further sum joins it in one $macc of three
     * summands, which maccmap adds with a full adder per bit (two LUT4s) where two summands can be
     * nonzero (bits 0..11 here), the chain a bit above them: the inner sum adds 2 * 12 - 2 LUT4s to the
     * outer's chain (Yosys 0.23, registered at 13 bits: 35 LUT4s and 11 SB_CARRYs; at 14 bits, its
     * carry bit read: 36 and 12).
     */
    @ParameterizedTest
    @CsvSource({"13, HX8K, 22", "14, HX8K, 22", "13, UP5K, 22", "13, XC7, 12"})
    void aSumReadWholeByAFurtherSumIsAFullAdderRow(int width, Target t, long luts) {
        Module m = new Module("ThreeSummands") {{
            Signal q = reg("q", uint(width));
            q.set(input("a", uint(12)).plus(input("b", uint(12))).plus(input("c", uint(12))).truncate(width));
            output("y", uint(width)).set(q);
        }};
        assertEquals(luts, Passes.model(m, t).arithmetic().addLuts((dev.qforge.dsl.Op) Operators.unwire(driverOp(m, "q").operand(0))));
    }

    /**
     * A barrel shifter read at a few bits keeps only the multiplexers those bits reach: bit 0 of a
     * 27-bit value shifted right by up to 31 needs 1 + 2 + 4 + 7 + 14 = 28 (Yosys 0.23: 14 LUTs on
     * xc7, 22 on iCE40); bits 0..4 need 5 + 10 + 18 + 27 + 27 = 87 (42 on xc7, 82 on iCE40); all
     * 27 bits five stages of 27 (77 on xc7, 122 on iCE40).
     */
    @ParameterizedTest
    @CsvSource({"1, XC7, 15", "1, HX8K, 25", "5, XC7, 48", "5, HX8K, 78", "27, XC7, 74", "27, HX8K, 122"})
    void aShifterCostsTheMultiplexersItsReadBitsReach(int bits, Target t, long luts) {
        Module m = new Module("ShiftRight") {{
            Signal q = reg("q", uint(bits));
            q.set(input("x", uint(27)).shr(input("s", uint(5))).truncate(bits));
            output("y", uint(bits)).set(q);
        }};
        assertEquals(luts, Passes.model(m, t).arithmetic().shifterLuts(driverOp(m, "q")));
    }

    /**
     * A stage that selects no data for the read bits only zeroes them, which ABC folds into the next
     * stage: 16 bits shifted left by a 5-bit amount, read at bits 0..15, cost what a 4-bit amount
     * costs, 4 stages of 16 (Yosys 0.23: 33 and 34 LUTs on xc7, 56 and 55 on iCE40).
     */
    @ParameterizedTest
    @CsvSource({"4, XC7, 35", "5, XC7, 35", "4, HX8K, 58", "5, HX8K, 58"})
    void aStageThatOnlyZeroesCostsNothing(int amountBits, Target t, long luts) {
        Module m = new Module("ShiftLeft") {{
            Signal q = reg("q", uint(16));
            q.set(input("x", uint(16)).shl(input("s", uint(amountBits))).truncate(16));
            output("y", uint(16)).set(q);
        }};
        assertEquals(luts, Passes.model(m, t).arithmetic().shifterLuts(driverOp(m, "q")));
    }

    /**
     * A left shift's extended data counts at its significant bits: above them every stage chooses
     * between two copies of the sign (or two zeros), which opt_expr folds. 21 bits sign-extended to
     * 69 and shifted by a 6-bit amount (the scale stages' product): Yosys 0.23 136 LUTs on xc7, 208
     * on iCE40; 69 bits of data shifted alike 217 and 378.
     */
    @ParameterizedTest
    @CsvSource({"21, XC7, 127", "21, HX8K, 208", "69, XC7, 228", "69, HX8K, 373"})
    void anExtendedShiftCostsItsSignificantBits(int dataBits, Target t, long luts) {
        Module m = new Module("ExtendedShift") {{
            Signal q = reg("q", sint(69));
            q.set(input("x", sint(dataBits)).extend(69).shl(input("s", uint(6))).truncate(69));
            output("y", sint(69)).set(q);
        }};
        assertEquals(luts, Passes.model(m, t).arithmetic().shifterLuts(driverOp(m, "q")));
    }

    /**
     * On the UP5K a signed product's zero-extended operand keeps its zero sign bit in mul2dsp's tiling:
     * {0, u17} x s11 takes two SB_MAC16s (its top 2 x 11 bits a product of 13 bits), {0, u16} x s16 one
     * (the zero bit alone is a product by zero). Yosys 0.23: the attention engine's term times an int4
     * cache's value, two; the requantizer's partial products, one each.
     */
    @ParameterizedTest
    @CsvSource({"17, 11, 2", "16, 16, 1"})
    void aZeroExtendedOperandTilesWithItsSignBit(int unsignedBits, int signedBits, int dsps) {
        Module m = new Module("MixedProduct") {{
            Signal p = reg("p", sint(unsignedBits + signedBits + 1));
            p.set(input("a", uint(unsignedBits)).toSInt().times(input("b", sint(signedBits))));
            output("y", sint(unsignedBits + signedBits + 1)).set(p);
        }};
        assertEquals(dsps, Passes.model(m, Target.UP5K).arithmetic().dspCount(driverOp(m, "p")));
    }

    /** Below a constant addend's lowest set bit the sum is the other operand's bits: q + 4 chains from bit 2 (Yosys 0.23: x + 2, 12 bits, 11 LUT4s). */
    @ParameterizedTest
    @CsvSource({"5, 12", "4, 10", "12, 10", "8, 9"})
    void aConstantsLowZeroBitsAddNothing(int constant, int bits) {
        Module m = new Module("PlusEven") {{
            Signal q = reg("q", uint(12));
            q.set(q.plus(Expr.u(constant, 12)).truncate(12));
            output("y", uint(12)).set(q);
        }};
        assertEquals(bits, Passes.model(m, Target.UP5K).arithmetic().addLuts(driverOp(m, "q")));
    }

    /**
     * A soft a x b product on HX8K is maccmap's tree of AND rows and full adders: its gates (counted as Yosys 0.23 leaves
     * them before ABC, 352 for signed 8 x 8, model 348) over about two per LUT4, and the carry chain. Registered a * b,
     * read at {@code width} bits, against Yosys 0.23 (last column): within 16% (unsigned 5 x 16, where ABC packs
     * denser), within 6% signed.
     */
    @ParameterizedTest
    @CsvSource({"4, 8, true, 12, 73, 72", "4, 8, false, 12, 59, 54", "8, 8, true, 16, 181, 182", "8, 8, false, 16, 150, 159",
        "5, 16, true, 21, 193, 182", "5, 16, false, 21, 167, 145", "4, 16, true, 20, 143, 144", "8, 16, true, 24, 345, 350",
        "8, 8, false, 8, 67, 67"})
    void aSoftProductIsMaccmapsAdderTree(int aBits, int bBits, boolean signed, int width, int luts, int yosys) {
        Module m = new Module("SoftProduct") {{
            Signal p = reg("p", signed ? sint(width) : uint(width));
            Expr product = signed ? input("a", sint(aBits)).times(input("b", sint(bBits)))
                    : input("a", uint(aBits)).times(input("b", uint(bBits)));
            p.set(width < aBits + bBits ? product.truncate(width) : product);
            output("y", signed ? sint(width) : uint(width)).set(p);
        }};
        int model = Passes.model(m, Target.HX8K).arithmetic().softMultiplierLuts(driverOp(m, "p"));
        assertEquals(luts, model);
        assertTrue(Math.abs(model - yosys) <= 0.16 * yosys, model + " against Yosys " + yosys);
    }

    /**
     * On iCE40 x * -2^n is a negation chain of its own: opt_expr makes it a $neg behind a shift, which alumacc does not
     * merge into the adder reading it; a LUT4 per product bit above the shift and an inverter per bit of x above its
     * lowest. Yosys 0.23, 12-bit x: x * -1024 of 27 bits, 28 LUT4s alone and 28 more than x * 1024 in a sum; x * -4,
     * 36 more (25 product bits above the shift). Xilinx keeps it the adder's subtraction.
     */
    @ParameterizedTest
    @CsvSource({"-1024, HX8K, 28", "-1024, UP5K, 28", "-4, HX8K, 36", "-1024, XC7, 0", "-1024, XCUP, 0"})
    void aNegatedShiftReadByAnAdder(long tap, Target t, long luts) {
        Module m = new Module("NegatedTap") {{
            Signal p = wire("p", sint(27));
            p.set(input("a", sint(12)).times(Expr.s(tap, 15)));
            Signal q = reg("q", sint(28));
            q.set(p.plus(input("b", sint(12)).times(Expr.s(4096, 15))));
            output("y", sint(28)).set(q);
        }};
        assertEquals(luts, Passes.model(m, t).arithmetic().softMultiplierLuts(driverOp(m, "p")));
    }

    /**
     * Below the zero low bits both summands share the sum is constant, and above those of one alone it is the other
     * summand: the examples/ FIR's a * -1024 + b * 4096 (28 bits) carries from bit 12 (x * 1024 + y * 4096: 16 LUT4s
     * in Yosys 0.23); a * -3 + b * 8 (14 bits) from bit 3 (11 LUT4s beside the product's own); on iCE40 too, where a
     * product by a power of two or its negation is a shift, and through a sum of such products.
     */
    @ParameterizedTest
    @CsvSource({"12, -1024, 4096, 15, 16", "8, -3, 8, 5, 11"})
    void aSumOfShiftedProductsCarriesAboveTheirZeroLowBits(int inBits, long tap0, long tap1, int tapBits, int bits) {
        Module m = new Module("ShiftedTaps") {{
            Signal q = reg("q", sint(inBits + tapBits + 1));
            q.set(input("a", sint(inBits)).times(Expr.s(tap0, tapBits)).plus(input("b", sint(inBits)).times(Expr.s(tap1, tapBits))));
            output("y", sint(inBits + tapBits + 1)).set(q);
        }};
        for (Target t : Target.values()) {
            assertEquals(bits, Passes.model(m, t).arithmetic().carryBits(driverOp(m, "q")), t.id());
        }
    }
    /**
     * x * c on iCE40 as maccmap builds it ({@link ConstantProduct}): a summand per bit of the constant, zero bits too,
     * full-adder rows down to two, a carry chain. Yosys 0.23 (HX8K, x a port, the product read whole or at x's width):
     * unsigned x * 3 is one chain (8 bits: 8 LUT4s), signed x * 3 a full-adder row more (23); x * 5 and x * 9 a
     * half-adder row (signed 8 bits whole 22 and 22, unsigned 12 bits 31 and 29); Fir5's x * 21 39 (modelled 41,
     * one adder per further set bit 28) and x * -3 23; x * 255 73 (modelled 72, 119 before);
     * the constant's low zero bits a shift: 12-bit x * 10240 34, as x * 5 (the examples/ FIR's tap).
     */
    @ParameterizedTest
    @CsvSource({
        "8, false, 3, 10, 9", "8, true, 3, 11, 23", "8, true, 5, 12, 22", "8, true, 9, 13, 22", "12, false, 5, 15, 32",
        "12, false, 9, 16, 30", "8, true, 21, 14, 41", "8, true, -3, 11, 23", "8, true, 21, 8, 24", "16, true, 7, 16, 41",
        "8, true, 255, 17, 72", "12, true, 10240, 27, 34", "12, true, 5, 16, 34"})
    void aConstantProductIsMaccmapsAdderTree(int bits, boolean signed, long c, int read, long luts) {
        Module m = new Module("ConstantProduct") {{
            Expr p = input("x", signed ? sint(bits) : uint(bits)).times(c);
            output("y", signed ? sint(read) : uint(read)).set(p.width() > read ? p.truncate(read) : p);
        }};
        assertEquals(luts, Passes.model(m, Target.HX8K).resources().get(dev.qforge.generators.report.Resource.LUT));
    }
    /**
     * (a + b) + c: alumacc merges the two sums into one $macc of three summands unless the outer one reads the inner
     * sign-extended; on iCE40 maccmap adds them with a full adder (two LUT4s) per bit where two summands can be
     * nonzero, then one chain. Yosys 0.23, as the DSL emits them: 12-bit unsigned read at 14 bits 36 LUT4s (one chain,
     * 12 SB_CARRYs), signed 27 (two chains), signed read at 13 bits 36 (modelled 37), 8-bit unsigned 24; on xc7, where
     * a LUT6 takes a bit's full adder, 24, 25, 24 and 16, as two chains.
     */
    @ParameterizedTest
    @CsvSource({"12, false, 14, HX8K, 36", "12, true, 14, HX8K, 27", "12, true, 13, HX8K, 37", "8, false, 10, UP5K, 24",
        "12, false, 14, XC7, 24", "12, true, 14, XC7, 25", "12, true, 13, XC7, 25", "8, false, 10, XC7, 16"})
    void threeSummandsMergeIntoFullAddersAheadOfOneChain(int bits, boolean signed, int read, Target t, long luts) {
        Module m = new Module("Sum3") {{
            Expr a = input("a", signed ? sint(bits) : uint(bits));
            Expr sum = a.plus(input("b", signed ? sint(bits) : uint(bits))).plus(input("c", signed ? sint(bits) : uint(bits)));
            output("y", signed ? sint(read) : uint(read)).set(sum.width() > read ? sum.truncate(read) : sum);
        }};
        assertEquals(luts, Passes.model(m, t).resources().get(dev.qforge.generators.report.Resource.LUT));
    }
}

package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;
import static dev.qforge.generators.report.estimate.Passes.driverOp;
import static dev.qforge.generators.report.estimate.Passes.signal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LutConesTest {
    @ParameterizedTest
    @EnumSource(Target.class)
    void anOperandReadOnlyByItsConsumerJoinsItsCone(Target t) {
        Module m = new Module("AndOr") {{
            output("y", uint(8)).set(input("a", uint(8)).and(input("b", uint(8))).or(input("c", uint(8))));
        }};
        LutCones cones = Passes.model(m, t).cones();
        Op or = driverOp(m, "y");
        assertTrue(cones.isMerged((Op) or.operand(0)));
        assertEquals(3, cones.coneInputs(or), "a, b and c per bit");
    }

    /** (x0 ^ x1) ^ (x0 ^ x2) is the parity of x1 and x2: a bit read twice cancels. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aXorNetworkCostsTheParityOfItsDistinctBits(Target t) {
        Module m = new Module("Parity") {{
            Signal x = input("x", uint(4));
            output("y", bool()).set(x.bit(0).xor(x.bit(1)).xor(x.bit(0).xor(x.bit(2))));
        }};
        assertEquals(2, Passes.model(m, t).cones().coneInputs(driverOp(m, "y")));
    }

    /** An unconditional multiplexer with a constant arm in front of a flip-flop is its synchronous reset, on every target. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aConstantArmBecomesTheSynchronousReset(Target t) {
        Module m = new Module("Clear") {{
            Signal q = reg("q", uint(8));
            q.set(Expr.mux(input("clr", bool()), Expr.u(0, 8), input("d", uint(8))));
            output("y", uint(8)).set(q);
        }};
        LutCones cones = Passes.model(m, t).cones();
        Op mux = (Op) Operators.unwire(new dev.qforge.dsl.check.Drivers(m).of(signal(m, "q")).get(0).assign().value());
        assertSame(signal(m, "q"), cones.resetOf(mux));
        assertTrue(cones.isFolded(mux));
    }

    /**
     * A saturation, {@code hi ? MAX : (lo ? MIN : d)}: the outer multiplexer is the flip-flops'
     * reset (set), but a flip-flop has one reset value, so the inner one to another constant stays
     * logic, a LUT per bit on every target (Yosys 0.23 on the FixedMulAdd block: 15 FDSE and 1 FDRE
     * behind 16 LUT2 on Xilinx, SB_DFFSS behind LUT4s on iCE40).
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aNestedMultiplexerToAnotherConstantStaysLogic(Target t) {
        Module m = new Module("Saturate") {{
            Signal q = reg("q", uint(8));
            q.set(Expr.mux(input("hi", bool()), Expr.u(127, 8), Expr.mux(input("lo", bool()), Expr.u(128, 8), input("d", uint(8)))));
            output("y", uint(8)).set(q);
        }};
        ModuleModel model = Passes.model(m, t);
        Op outer = (Op) Operators.unwire(new dev.qforge.dsl.check.Drivers(m).of(signal(m, "q")).get(0).assign().value());
        Op inner = (Op) Operators.unwire(outer.operand(2));
        assertSame(signal(m, "q"), model.cones().resetOf(outer));
        assertEquals(null, model.cones().resetOf(inner));
        assertEquals(8, model.resources().get(dev.qforge.generators.report.Resource.LUT), "the inner multiplexer, a LUT per bit");
    }

    /**
     * A wrapping counter, {@code q == 15 ? 0 : q + 1}, with a reset of its own (so the multiplexer is
     * not the reset): on iCE40 the choice joins the sum's LUT4s beside the SB_CARRYs, on Xilinx it
     * stays a LUT per bit.
     */
    @ParameterizedTest
    @CsvSource({"HX8K, true", "UP5K, true", "XC7, false", "XCUP, false"})
    void aChoiceBetweenASumAndAConstantJoinsTheSumsLut4s(Target t, boolean packed) {
        Module m = new Module("Wrap") {{
            Signal q = reg("q", uint(4), 0);
            q.set(Expr.mux(q.eq(15), Expr.u(0, 4), q.plus(1).truncate(4)));
            output("y", uint(4)).set(q);
        }};
        Op mux = (Op) Operators.unwire(new dev.qforge.dsl.check.Drivers(m).of(signal(m, "q")).get(0).assign().value());
        assertEquals(packed, Passes.model(m, t).cones().inSumLuts(mux));
    }

    /** LUT trees: k - 1 more inputs per further LUT, and log_k levels. */
    @ParameterizedTest
    @CsvSource({
        "XCUP, 1, 0, 0", "XCUP, 6, 1, 1", "XCUP, 11, 2, 2", "XCUP, 36, 7, 2", "XCUP, 37, 8, 3",
        "HX8K, 4, 1, 1", "HX8K, 6, 2, 2", "HX8K, 16, 5, 2", "HX8K, 17, 6, 3"})
    void lutTrees(Target t, int inputs, long luts, int levels) {
        Module m = new Module("Empty") {{
            output("y", bool()).set(input("a", bool()));
        }};
        LutCones cones = Passes.model(m, t).cones();
        assertEquals(luts, cones.lutsFor(inputs));
        assertEquals(levels, cones.treeLevels(inputs));
    }

    /** {any bit set, index of the highest set bit} of x[lo..hi] by halves, as a leading-one encoder is written. */
    private static Expr[] highestOne(Expr x, int lo, int hi) {
        if (lo == hi) {
            return new Expr[] {x.bit(lo), Expr.u(lo, 4)};
        }
        int mid = (lo + hi + 1) / 2;
        Expr[] upper = highestOne(x, mid, hi);
        Expr[] lower = highestOne(x, lo, mid - 1);
        return new Expr[] {upper[0].or(lower[0]), Expr.mux(upper[0], upper[1], lower[1])};
    }

    /**
     * An encoder's index tree chooses only among constants: on iCE40 each index bit is a LUT tree
     * over the selects and the OR terms it absorbs (16 inputs: 5 LUT4s per bit), not 0.84 LUT4 per
     * multiplexer of a data tree (13 per bit, 52 in all). Yosys 0.23: 15 LUT4s.
     */
    @ParameterizedTest
    @CsvSource({"HX8K, 20", "UP5K, 20"})
    void aTreeChoosingAmongConstantsIsLogicOfItsSelects(Target t, long luts) {
        Module m = new Module("HighestOne") {{
            Signal q = reg("q", uint(4));
            q.set(highestOne(input("x", uint(16)), 0, 15)[1]);
            output("y", uint(4)).set(q);
        }};
        ModuleModel model = Passes.model(m, t);
        Op tree = driverOp(m, "q");
        assertEquals(16, model.cones().coneInputs(tree));
        assertEquals(luts, 4 * model.cones().coneLuts(tree));
    }

    /**
     * A runtime index into a register file on iCE40, per result bit: 4:1 in 2 LUT4s (the LUT tree),
     * 8:1 in 5 (two 4:1 of two LUT4s and a 2:1), 16:1 at 0.84 LUT4 per multiplexer. Yosys 0.23, 31-bit
     * words: 62, 155 and 364 LUT4s (2, 5 and 11.7 a bit).
     */
    @ParameterizedTest
    @CsvSource({"4, 2", "8, 5", "16, 13"})
    void anIndexIntoWordsTakesLut4sByTheirCount(int words, long perBit) {
        Module m = new Module("Index" + words) {{
            Signal q = reg("q", uint(31));
            q.set(inputs("w", words, uint(31)).at(input("i", uint(Integer.numberOfTrailingZeros(words)))));
            output("y", uint(31)).set(q);
        }};
        for (Target t : new Target[] {Target.UP5K, Target.HX8K}) {
            assertEquals(perBit, Passes.model(m, t).cones().coneLuts(driverOp(m, "q")), t.id());
        }
    }

    /**
     * The float rounder's packing, {@code sel ? C | sign << 7 : zero ? sign << 7 : sum | sign << 7}: the sign
     * is an input at bit 7 alone, so below it each bit reads the select, the zero flag and the sum, a LUT4
     * (16 in Yosys 0.23 on the UP5K for 16 bits), where all bits' inputs together (five) made it two.
     */
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"UP5K", "HX8K"})
    void eachBitOfACostsTheInputsThatBitReads(Target t) {
        Module m = new Module("Pack") {{
            Signal sign = input("sign", bool());
            Signal zero = input("zero", bool());
            Signal sel = input("sel", bool());
            Expr signBit = sign.extend(8).shl(7).truncate(8);
            output("y", uint(8)).set(Expr.mux(sel, Expr.u(0x78, 8).or(signBit), Expr.mux(zero, signBit, input("sum", uint(8)).or(signBit))));
        }};
        assertEquals(7 + 2, Passes.model(m, t).resources().get(dev.qforge.generators.report.Resource.LUT),
                "bits 0-6 a LUT4 over sel, zero and the sum's bit; bit 7 reads the sign in all three arms");
    }

    /**
     * A leading-one encoder of 8 bits ({@code x7 ? 0 : x6 ? 1 : ... : 7}): index bit 2 tells the first four
     * choices from the last four and reads four selects, bit 1 six, bit 0 all seven: 1 + 2 + 2 LUT4s, where
     * every bit over all seven selects made 3 + 3 + 3.
     */
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"UP5K", "HX8K"})
    void anEncoderBitReadsTheSelectsThatTellItsValuesApart(Target t) {
        Module m = new Module("Encode") {{
            Signal x = input("x", uint(8));
            Expr index = Expr.u(7, 3);
            for (int i = 1; i < 8; i++) {
                index = Expr.mux(x.bit(i), Expr.u(7 - i, 3), index);
            }
            output("y", uint(3)).set(index);
        }};
        assertEquals(5, Passes.model(m, t).resources().get(dev.qforge.generators.report.Resource.LUT));
    }

    /** {@code e == 0 ? 1 : e}: where 1 and 0 agree (bits 1 to 7) the result is e's bit whatever the select; bit 0 is a LUT. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aChoiceOfTheConstantItsSelectTestsForIsTheDataBit(Target t) {
        Module m = new Module("NonZero") {{
            Signal e = input("e", uint(8));
            output("y", uint(8)).set(Expr.mux(e.eq(0), Expr.u(1, 8), e));
        }};
        ModuleModel model = Passes.model(m, t);
        long eq = t.isIce40() ? 3 : 2;
        assertEquals(eq + 1, model.resources().get(dev.qforge.generators.report.Resource.LUT), "the zero test and bit 0");
    }

    /**
     * A compare with a constant reads the value's bits above the constant's trailing ones ({@code K < x}) or zeros
     * ({@code x < K}); where it is logic the rest are gone (Yosys 0.23: 127 < x of 8 bits is x[7]; 1023 < x of 12 bits
     * a LUT4 over x[11:10] on iCE40, once opt folded its chain, and a LUT on xc7, where two of cmp2lcu's chunks are logic).
     */
    @ParameterizedTest
    @CsvSource({"8, 127, HX8K, 1", "12, 1023, UP5K, 2", "12, 1023, XC7, 2"})
    void aCompareWithAConstantReadsTheBitsAboveItsTrailingOnes(int bits, long bound, Target t, int inputs) {
        Module m = new Module("AboveBound") {{
            output("y", bool()).set(input("x", uint(bits)).gt(bound));
        }};
        assertEquals(inputs, Passes.model(m, t).cones().coneInputs(driverOp(m, "y")));
    }

    /**
     * On Xilinx a compare of up to 12 bits with a constant is logic over the bits above the constant's trailing zeros
     * or ones, registered x and result, Yosys 0.23 on xc7: 12 bits x < 1024 1 LUT, 2047 < x none, 7 < x 2, x < 7 3,
     * 1365 < x 2; 10 bits x < 512 none (an inverter); 8 bits 63 < x 1, 100 < x 2; an 8-bit value zero-extended to 17
     * bits, {@code {0, x} < 100}, 1 (wreduce drops the extension).
     */
    @ParameterizedTest
    @CsvSource({
        "12, false, 1024, 1", "12, true, 2047, 0", "12, true, 7, 2", "12, false, 7, 3", "12, true, 1365, 2",
        "10, false, 512, 0", "8, true, 63, 1", "8, true, 100, 2", "17, false, 100, 1"})
    void aNarrowCompareOnXilinxReadsTheBitsThatMatter(int bits, boolean greater, long k, long luts) {
        Module m = new Module("Compare") {{
            int w = bits > 12 ? 8 : bits;
            Signal xr = reg("xr", uint(w));
            xr.set(input("x", uint(w)));
            Expr x = bits > 12 ? xr.extend(bits) : xr;
            Signal y = reg("y_q", bool());
            y.set(greater ? x.gt(k) : x.lt(k));
            output("y", bool()).set(y);
        }};
        assertEquals(luts, Passes.model(m, Target.XC7).resources().get(dev.qforge.generators.report.Resource.LUT));
    }
}

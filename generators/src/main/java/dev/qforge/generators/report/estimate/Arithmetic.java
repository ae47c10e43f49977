package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Target;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.qforge.generators.report.estimate.Operators.ceilDiv;
import static dev.qforge.generators.report.estimate.Operators.constantFactor;
import static dev.qforge.generators.report.estimate.Operators.distinctBits;
import static dev.qforge.generators.report.estimate.Operators.isShift;
import static dev.qforge.generators.report.estimate.Operators.isZero;
import static dev.qforge.generators.report.estimate.Operators.significantWidth;
import static dev.qforge.generators.report.estimate.Operators.strip;

/**
 * How Yosys 0.23 maps one arithmetic operator at its live bits: adders to carry chains, barrel
 * shifters to multiplexer stages, multipliers to DSP tiles (mul2dsp) or to LUTs by a fitted table.
 */
final class Arithmetic {
    private final Target target;
    private final Liveness liveness;
    private final Drivers drivers;
    /** Per value, the bits whose inverters a compare with a constant built already (opt_merge shares them, see {@link #compareLuts}). */
    private final Map<Expr, Integer> invertersBuilt = new IdentityHashMap<>();

    Arithmetic(Target target, Liveness liveness, Drivers drivers) {
        this.target = target;
        this.liveness = liveness;
        this.drivers = drivers;
    }

    // ---- adders -----------------------------------------------------------------------------------

    /**
     * LUTs of an adder: one per bit of its carry chain ({@link #carryBits}); on Xilinx none when one
     * operand is a constant (the carry chain's select inputs take the other operand directly). A
     * one-bit operand added into a further sum becomes that adder's carry-in (Yosys' alumacc merges
     * the two sums), so its own adder costs nothing; on iCE40 not into what a subtraction subtracts
     * (measured on the packed engines' field correction; Xilinx folds it into the carry-in).
     */
    long addLuts(Op op) {
        boolean constant = op.operand(0) instanceof Const || op.operand(1) instanceof Const;
        Op next = liveness.soleConsumer(op);
        boolean carryIn = significantWidth(op.operand(0)) == 1 || significantWidth(op.operand(1)) == 1;
        if (isZero(op.operand(1)) || constant && !target.isIce40()
                || carryIn && next != null && Operators.isAdder(next) && !(target.isIce40() && Operators.isSubtrahend(next, op))
                || takesCarryIn(op)) {
            return 0;
        }
        if (!target.isIce40()) {
            if (op.kind() == Op.Kind.ADD && !op.operand(0).isSigned() && !op.operand(1).isSigned()) {
                return Math.min(carryBits(op), overlapLuts(op));
            }
            int constantAbove = constantAbove(op);
            if (constantAbove < op.width()) {
                return Math.min(carryBits(op), Math.max(0, Math.min(constantAbove, liveness.demand(op)) - liveness.lowBit(op)));
            }
            // above both operands' significant bits every carry-chain select input is the same (their
            // extension bits combined): one LUT serves them all, the top operand bit's own
            int operands = Math.max(significantWidth(op.operand(0)), significantWidth(op.operand(1)));
            return Math.min(carryBits(op), Math.max(0, operands - liveness.lowBit(op)));
        }
        if (next != null && takesCarryIn(next)) {
            // op + bit is one chain from op's lowest demanded bit, where the carry-in enters, known zero low bits
            // included (the float rounder's field * 2^7 + significand + round bit: 15 LUT4s in Yosys, 16 so, 9 without)
            // the sum's LUTs sit at the bits read of op + bit: below its lowest, the merged chain only carries (FixedMulAdd's
            // rounding, (x + 511) + bit read from bit 10: 20 LUT4s in Yosys 0.23 for bits 10..29, 30 counted from bit 0)
            return Math.max(0, liveness.demand(op) - Math.max(liveness.lowBit(op), liveness.lowBit(next)));
        }
        return feedsSumUnextended(op) ? mergedAdderLuts(op) : carryBits(op);
    }

    /**
     * LUT4s a sum that alumacc merges with the sum reading it ({@link #feedsSumUnextended}) adds to that sum's chain:
     * maccmap's row of full adders, a LUT4 for the sum and one for the carry of each bit where two of the three
     * summands can be nonzero: above the zero low bits of all but one, below the second widest of them as extended
     * (a signed summand repeats its sign to the top, an unsigned one is zero above its width). The carries enter the
     * chain a bit up, so it starts a bit above the lowest full adder, and the top one's carry is not read: two LUT4s
     * fewer. Yosys 0.23: Fir5's (s + t3 * 8) + t4 * -3, 16 bits, 45 LUT4s (so 46, 48 before); unsigned 12-bit
     * (a + b) + c of 14 bits 36 (so 36, 27 as two chains), 8-bit 24 (24).
     */
    private int mergedAdderLuts(Op op) {
        Op next = liveness.soleConsumer(op);
        Expr[] summands = {op.operand(0), op.operand(1), next.operand(Operators.unwire(next.operand(0)) == op ? 1 : 0)};
        int[] zeros = new int[3];
        int[] tops = new int[3];
        for (int i = 0; i < 3; i++) {
            zeros[i] = knownZeroLowBits(summands[i]);
            tops[i] = summands[i].isSigned() ? liveness.demand(op) : significantWidth(summands[i]);
        }
        Arrays.sort(zeros);
        Arrays.sort(tops);
        int columns = Math.min(liveness.demand(op), tops[1]) - Math.max(liveness.lowBit(op), zeros[1]);
        return columns > 0 ? 2 * columns - 2 : 0;
    }

    /**
     * Whether {@code op} is a sum (not a difference) that alone feeds a further sum, which reads no bit above its
     * width or reads it zero-extended: alumacc merges the two into one $macc of three summands, and maccmap adds
     * three summands with a full adder per bit (a LUT4 for the sum, one for the carry) ahead of the final carry
     * chain, a LUT4 more per bit than two chained adders (iCE40 only; measured on Fir5, whose last two adds merge,
     * 72 LUT4s on the UP5K). A signed sum read sign-extended stays an $alu of its own (Yosys 0.23: signed 12-bit
     * (a + b) + c of 14 bits, 27 LUT4s and 25 SB_CARRYs, two chains; unsigned 36 and 12, one).
     */
    private boolean feedsSumUnextended(Op op) {
        Op next = liveness.soleConsumer(op);
        if (!target.isIce40() || op.kind() != Op.Kind.ADD || next == null || next.kind() != Op.Kind.ADD
                || liveness.demand(next) > op.width() && op.isSigned()) {
            return false;
        }
        // three summands that vary: a constant or a carry-in summand leaves a two-operand $alu
        for (Op sum : List.of(op, next)) {
            for (int i = 0; i < 2; i++) {
                if (sum.operand(i) instanceof Const || significantWidth(sum.operand(i)) == 1) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether {@code op} adds one bit to a sum that it alone reads: alumacc makes the bit that sum's
     * carry-in, so only the sum's adder remains (measured on the examples/ FIR's rounding, a constant
     * add and the add of the half bit: one $alu with CI, no LUTs of its own on Xilinx).
     */
    private boolean takesCarryIn(Op op) {
        if (op.kind() != Op.Kind.ADD) {
            return false;
        }
        for (int i = 0; i < 2; i++) {
            if (significantWidth(op.operand(1 - i)) == 1 && Operators.unwire(op.operand(i)) instanceof Op sum
                    && Operators.isAdder(sum) && liveness.soleConsumer(sum) == op) {
                return true;
            }
        }
        return false;
    }

    /**
     * LUTs of an unsigned addition on Xilinx: one per bit where both operands can be nonzero; where
     * one is zero (below a constant shift, above its width) the carry chain's select input takes the
     * other operand's bit directly (not so in a subtraction, which inverts it) (x * 2^7 + y, x 8 and y 9 bits: 2 LUTs in Yosys on xc7).
     */
    private int overlapLuts(Op op) {
        int low = liveness.lowBit(op);
        for (int i = 0; i < 2; i++) {
            low = Math.max(low, knownZeroLowBits(op.operand(i)));
        }
        int high = Math.min(significantWidth(op.operand(0)), significantWidth(op.operand(1)));
        return Math.max(0, Math.min(high, liveness.demand(op)) - low);
    }

    /**
     * The lowest bit of a signed sum from which one operand is a known constant (its sign known, so its
     * extension is too), or the sum's width: there the carry chain's select input is the other operand's
     * bit or its inverse (an INV, not a LUT), in a difference as in a sum. The dequantizer's exponent,
     * (scale - 128) + t with t a two-bit field zero-extended to 3 signed bits, 12 bits wide: 2 LUTs per
     * lane in Yosys 0.23 on xc7 and xcup, 11 before; the float rounder's E - lz, a 12-bit E less a
     * two-bit count as a signed 3-bit value, 13 bits wide: 2 LUTs on xc7 (registered E and lz alone).
     */
    private int constantAbove(Op op) {
        int above = op.width();
        for (int i = 0; i < 2; i++) {
            Expr x = op.operand(i);
            KnownBits.Bits b = liveness.known().of(x);
            if (x instanceof Const || !x.isSigned() || !b.known(x.width() - 1)) {
                continue;
            }
            int top = x.width() - 1;
            while (top >= 0 && b.known(top)) {
                top--;
            }
            above = Math.min(above, top + 1);
        }
        return above;
    }

    /**
     * Bits of an adder's carry chain: its demanded bits above the lowest one, and above the known
     * zero low bits of one operand (below them the sum is the other operand).
     */
    int carryBits(Op op) {
        int below = liveness.lowBit(op);
        for (int i = 0; i < 2; i++) {
            below = Math.max(below, knownZeroLowBits(op.operand(i)));
        }
        // a constant's low zero bits likewise add nothing (the subtrahend's: 0 - x is no copy of x); Yosys 0.23 maps
        // a 12-bit x + 2 on the UP5K to 11 LUT4s, the sum's bit 0 being x's
        for (int i = op.kind() == Op.Kind.ADD ? 0 : 1; i < 2; i++) {
            if (op.operand(i) instanceof Const c && c.value().signum() != 0) {
                below = Math.max(below, c.value().getLowestSetBit());
            }
        }
        return Math.max(0, liveness.demand(op) - below);
    }

    /**
     * Low bits of a value that are zero whatever its inputs ({@link KnownBits}: below a constant
     * shift, a constant part of a concatenation), and on Xilinx
     * below a constant factor's trailing zeros (on iCE40 alumacc folds the product into a $macc
     * whose adder keeps every bit, measured on Fir5). On iCE40 a product by a power of two or its
     * negation is a shift (opt_expr), and a sum of such values keeps their common zero low bits, where
     * opt folds its chain's constant cells: the examples/ FIR's sums of x * 4096 and x * -1024 take
     * LUT4s from bit 12 (x * 1024 + y * 4096, 28 bits: 16 LUT4s and 15 SB_CARRYs in Yosys 0.23).
     */
    private int knownZeroLowBits(Expr e) {
        int zeros = e instanceof Const ? 0 : liveness.known().lowZeros(e);
        if (zeros > 0) {
            return zeros;
        }
        if (strip(e) instanceof Op op) {
            if (op.kind() == Op.Kind.SHL) {
                return op.p0();
            }
            BigInteger c = op.kind() == Op.Kind.MUL && (!target.isIce40() || isShift(op)) ? constantFactor(op) : null;
            if (c != null && c.signum() != 0) {
                return c.getLowestSetBit();
            }
            if (target.isIce40() && Operators.isAdder(op)) {
                return Math.min(knownZeroLowBits(op.operand(0)), knownZeroLowBits(op.operand(1)));
            }
        }
        return 0;
    }

    // ---- compares with a constant ------------------------------------------------------------------

    /**
     * LUTs of a compare with a constant that iCE40 maps to a carry chain ({@link CarryCompare}): the
     * inverters of the value's bits that no compare costed before built (opt_merge keeps one of each),
     * and the LUTs after the chain. Bits that are LUT outputs take their inversion in, but not those
     * a saturation's multiplexer also reads as they are (its low bits), which need both polarities.
     * Called once per compare.
     */
    long compareLuts(Op op, CarryCompare cmp) {
        Op reader = liveness.soleConsumer(op);
        boolean saturates = saturates(op, cmp, reader);
        Expr source = bitSource(cmp.value());
        int needed = cmp.invertedBits();
        if (absorbsInversion(source)) {
            int passed = saturates ? liveness.demand(reader) : 0; // the value's low bits the multiplexer passes on
            needed = Math.max(0, Math.min(passed, cmp.width()) - (cmp.width() - needed));
        }
        int built = invertersBuilt.getOrDefault(source, 0);
        invertersBuilt.put(source, Math.max(built, needed));
        return Math.max(0, needed - built) + cmp.resultLuts(reader != null, saturates);
    }

    /**
     * Whether a compare only selects, in a multiplexer, the constant it compares with over the value itself
     * ({@code x < K ? K : x}, a saturation's bound): at equality both choices agree.
     */
    private boolean saturates(Op op, CarryCompare cmp, Op reader) {
        if (reader == null || reader.kind() != Op.Kind.MUX || Operators.unwire(reader.operand(0)) != op
                || !(Operators.unwire(reader.operand(1)) instanceof Const c)) {
            return false;
        }
        BigInteger modulus = BigInteger.ONE.shiftLeft(reader.width());
        return c.value().mod(modulus).equals(cmp.constant().mod(modulus)) && bitSource(reader.operand(2)) == bitSource(cmp.value());
    }

    /** What drives the bits of {@code e}: the value behind its wiring (retyping, extension, slices) and the wires naming it. */
    private Expr bitSource(Expr e) {
        Expr x = Operators.unwire(e);
        for (int depth = 0; depth < 16 && x instanceof Signal s && (s.kind() == Signal.Kind.WIRE || s.kind() == Signal.Kind.OUTPUT)
                && drivers.simpleDriver(s) != null; depth++) {
            x = Operators.unwire(drivers.simpleDriver(s).value());
        }
        return x;
    }

    /**
     * Whether bits driven by {@code source} are LUT outputs, which ABC gives the inversion for free:
     * logic, a select among drivers, a sum's LUTs; not flip-flops, ports, wiring of them or a DSP's product.
     */
    private boolean absorbsInversion(Expr source) {
        if (source instanceof Signal s) {
            return (s.kind() == Signal.Kind.WIRE || s.kind() == Signal.Kind.OUTPUT || s.kind() == Signal.Kind.ROM_READ)
                    && drivers.simpleDriver(s) == null;
        }
        return source instanceof Op op && !Operators.isWiring(op) && !(op.kind() == Op.Kind.MUL && dspCount(op) > 0);
    }

    // ---- barrel shifters --------------------------------------------------------------------------

    /**
     * LUTs of a barrel shifter. Yosys builds one stage of 2:1 multiplexers per bit of the amount
     * (the shift by 1 first) and keeps of each stage the bits that carry data and reach a demanded
     * result bit: walking back from the last stage, a stage needs the bits its demanded outputs
     * select between, a sparse set when few result bits are read (bit 0 of a 27-bit shift by up to
     * 31 needs 28 multiplexers, not the 97 of every stage's whole range: measured); a stage that
     * selects no data for them (a left shift by 16 read at bits 0..15) only zeroes them and costs
     * nothing of its own (measured: 16 bits shifted left by a 5-bit amount as by a 4-bit one). ABC packs two
     * stages into a LUT6 (with F7 muxes: 0.55 LUT per multiplexer bit, measured) and about one into
     * a LUT4 (0.9). A left shift's data counts at its significant bits: above them an extended
     * operand repeats its sign (or is zero), and a stage choosing between two copies of one bit
     * is that bit (opt_expr folds the multiplexer). Measured on the scale stages' 21-bit product,
     * sign-extended to 69 bits and shifted by a 6-bit amount: alone 136 LUTs on xc7 (217 with 69
     * bits of data); a GroupScale 429 in Yosys, estimated 445 (546 when priced over all 69 bits).
     * Likewise a right shift's data known zero in its low bits ({@link KnownBits}) leaves out the
     * stage bits that can only hold those zeros: the bf16 rounder shifts a 3-bit significand
     * registered above seven zeros by up to 10.
     */
    long shifterLuts(Op op) {
        long muxBits = 0;
        for (BitSet stage : shifterStages(op)) {
            muxBits += stage.cardinality();
        }
        return Math.round(muxBits * (target.lutInputs() == 6 ? 0.55 : 0.9));
    }

    /**
     * The multiplexer bits of each stage of a barrel shifter that {@link #shifterLuts} counts, stage i
     * (the shift by 2^i) at index i: the bits of its output that select data and reach a demanded
     * result bit, none for a stage that only zeroes.
     */
    BitSet[] shifterStages(Op op) {
        boolean left = op.kind() == Op.Kind.DSHL;
        int in = left ? significantWidth(op.operand(0)) : op.operand(0).width();
        int stages = Math.min(op.operand(1).width(), 30);
        // a right shift's data known zero below bit z: after shifts of up to 2^(i+1) - 1, bits below z - 2^(i+1) + 1 still are
        int zeros = left ? 0 : liveness.known().lowZeros(op.operand(0));
        BitSet[] muxBits = new BitSet[stages];
        BitSet needed = new BitSet();
        needed.set(liveness.lowBit(op), Math.max(liveness.lowBit(op), liveness.demand(op)));
        for (int i = stages - 1; i >= 0; i--) {
            // bits of this stage's output that can be non-zero after shifts of up to 2^(i+1) - 1
            int nonZero = left ? in + (1 << (i + 1)) - 1 : in;
            needed.clear(nonZero, Math.max(nonZero, needed.length()));
            needed.clear(0, Math.max(0, zeros - (1 << (i + 1)) + 1));
            BitSet before = (BitSet) needed.clone();
            boolean selectsData = false;
            for (int j = needed.nextSetBit(0); j >= 0; j = needed.nextSetBit(j + 1)) {
                int from = left ? j - (1 << i) : j + (1 << i);
                if (from >= 0 && from < (left ? Integer.MAX_VALUE : in)) {
                    before.set(from);
                    selectsData = true;
                }
            }
            // a stage that only zeroes its bits costs nothing: ABC folds that into the next stage's LUTs
            muxBits[i] = selectsData ? needed : new BitSet();
            needed = before;
        }
        return muxBits;
    }

    /** The target whose mapping this models. */
    Target target() {
        return target;
    }

    /** Whether {@code op} shifts one bit left by a runtime amount: a one-hot decode of the amount, not a barrel shifter. */
    boolean isOneHot(Op op) {
        return op.kind() == Op.Kind.DSHL && significantWidth(op.operand(0)) == 1;
    }

    /**
     * LUTs of {@code bit << n}: result bit i is bit & (n == i), a decoder of n ({@link Decoders#decoderLuts}) over
     * the demanded result bits n can reach, the bit one more input when it is not a constant. Yosys 0.23: 1 << n
     * for a 4-bit n read at 10 bits (the rounding's 2^n in roundShiftRight), 10 LUTs on every target (22 as a
     * shifter on iCE40); b << n, 5-bit n, 20 bits: 20 on Xilinx, 28 LUT4s (modelled 25, 45 as a shifter).
     */
    long oneHotLuts(Op op) {
        int n = Math.min(op.operand(1).width(), 30);
        Set<BigInteger> bits = new HashSet<>();
        for (int i = liveness.lowBit(op); i < liveness.demand(op) && i < 1 << n; i++) {
            bits.add(BigInteger.valueOf(i));
        }
        boolean variable = !(Operators.unwire(op.operand(0)) instanceof Const);
        return bits.isEmpty() ? 0 : Decoders.decoderLuts(target.lutInputs(), bits, n, variable ? 1 : 0);
    }

    /** Mux levels of a barrel shifter (a LUT6 resolves two shift stages, a LUT4 one). */
    int shiftLevels(Op op) {
        int stages = Math.min(op.operand(1).width(), 32 - Integer.numberOfLeadingZeros(op.operand(0).width()));
        return target.lutInputs() == 6 ? ceilDiv(stages, 2) : stages;
    }

    // ---- multipliers ------------------------------------------------------------------------------

    /** DSP blocks one multiplier needs, 0 when Yosys leaves it in LUTs. */
    int dspCount(Op mul) {
        int a = significantWidth(mul.operand(0));
        int b = significantWidth(mul.operand(1));
        if (isShift(mul)) {
            return 0;
        }
        int y = Math.min(liveness.demand(mul), a + b);
        if (!target.hasDsp() || a < 2 || b < 2 || y < target.dspMinProductWidth()) {
            return 0;
        }
        if (target.isIce40()) {
            return ice40Tiles(signedWidth(mul, mul.operand(0)), signedWidth(mul, mul.operand(1)), y, null);
        }
        int wide = Math.max(a, b);
        int narrow = Math.min(a, b);
        return ceilDiv(wide, target.dspWideOperand()) * ceilDiv(narrow, target.dspNarrowOperand());
    }

    /**
     * SB_MAC16s of an a x b multiplier read at y bits, as ice40's mul2dsp tiles it: the wider operand
     * in 16-bit slices and a last one of the rest, each slice times the other operand tiled again; a
     * piece with an operand under 2 bits or a product under 11 (DSP_A/B/Y_MINWIDTH) stays a soft
     * multiplier, whose LUTs (and its adder's) go to {@code softLuts} when given. Yosys 0.23: signed
     * 17 x 16 takes one SB_MAC16 and 33 LUTs (a 1 x 16 piece and a 17-bit adder; the model: 33),
     * 18 x 16 two SB_MAC16s; the attention engine's 17-bit unsigned term times int8 one SB_MAC16
     * and 25 LUTs (the model: 17).
     */
    private int ice40Tiles(int a, int b, int y, long[] softLuts) {
        int wide = Math.max(a, b);
        int narrow = Math.min(a, b);
        if (narrow < 2 || y < target.dspMinProductWidth()) {
            if (softLuts != null) {
                softLuts[0] += Math.round(ice40SoftPerBit(narrow) * wide * narrow) + wide + narrow; // and the adder joining it
            }
            return 0;
        }
        int max = target.dspWideOperand();
        if (wide <= max) {
            return 1;
        }
        int full = (wide - 1) / max;
        int last = wide - full * max;
        return full * ice40Tiles(max, narrow, Math.min(y, narrow + max), softLuts) + ice40Tiles(last, narrow, last + narrow, softLuts);
    }

    /**
     * An operand's width as mul2dsp tiles it on iCE40: its significant bits, and in a signed product one
     * more for an unsigned value's zero sign bit (wreduce keeps it: {0, term} of 17 bits times an 11-bit
     * value takes two SB_MAC16s, the second for its top 2 x 11 bits), unless that bit alone would be
     * the last slice, a product by zero that opt_expr removes (the requantizer's {0, x_lo} of 16 bits
     * times a 16-bit half: one SB_MAC16 and no logic).
     */
    private int signedWidth(Op mul, Expr operand) {
        int w = significantWidth(operand);
        boolean zeroSign = mul.isSigned() && !strip(operand).isSigned() && w < operand.width();
        return zeroSign && w % target.dspWideOperand() != 0 ? w + 1 : w;
    }

    /**
     * LUT4s of x * -2^n on iCE40: opt_expr makes it a $neg of x, shifted, which alumacc leaves a $macc of its own, not
     * the reading adder's subtraction (n = 0 too), so 0 - x is a carry chain over the product's bits
     * read above the shift, a LUT4 per bit, and an inverter per bit of x above its lowest that the chain carries
     * (SB_CARRY takes no inverted input). Yosys 0.23, x of 12 bits registered: -x 13 bits 24 LUT4s; x * -1024 of 27
     * bits 28 alone and 28 more than x * 1024 in a sum, read sign-extended or not (the examples/ FIR's two taps);
     * x * -1 of 27 bits in a sum 38 more, x * -4 36.
     */
    private int ice40NegationLuts(Op mul, Expr x, BigInteger c) {
        int shift = c.negate().getLowestSetBit();
        int sum = Math.max(0, liveness.demand(mul) - Math.max(shift, liveness.lowBit(mul)));
        return sum + significantWidth(x) - 1;
    }

    /** LUT4s per partial-product bit of a soft piece of a DSP tiling, by its narrower operand (fitted to signed products). */
    private static double ice40SoftPerBit(int narrow) {
        double[] perBitByNarrow = {0, 1.0, 1.5, 2.0, 2.25, 2.65};
        return narrow < perBitByNarrow.length ? perBitByNarrow[narrow] : 2.92;
    }

    /**
     * LUTs of a multiplier Yosys builds from logic. Xilinx keeps only products under 9 bits in LUTs, a table
     * fitted to Yosys 0.23 inside the PEs of GEMM engines; on iCE40 maccmap's adder tree of AND rows
     * ({@link ConstantProduct#productLuts}). Operand bits that repeat another bit (a sign extension inside a
     * packed operand) cost less on Xilinx; on iCE40 ABC shares the partial products of the repeated bit,
     * which a per-bit figure over the full width matches.
     */
    int softMultiplierLuts(Op mul) {
        BigInteger c = constantFactor(mul);
        if (c != null) {
            // by a constant: only its set bits are partial products, one adder of the product's width per further bit, and a negation;
            // a negated shift read by an adder is that adder's subtraction (alumacc), but not on iCE40, where maccmap's adder tree
            // of a summand per bit of the constant is the product (ConstantProduct)
            Expr x = strip(mul.operand(0)) instanceof Const ? mul.operand(1) : mul.operand(0); // the varying operand
            if (target.isIce40() && isShift(mul) && c.signum() < 0) {
                return ice40NegationLuts(mul, x, c);
            }
            Op next = liveness.soleConsumer(mul);
            if (isShift(mul) && next != null && Operators.isAdder(next)) {
                return 0;
            }
            if (target.isIce40() && !isShift(mul)) {
                // the constant's low zero bits are a shift of the product (x * 10240 of 12-bit x: 34 LUT4s, as x * 5)
                int shift = c.getLowestSetBit();
                BigInteger odd = c.shiftRight(shift);
                int width = Math.min(liveness.demand(mul), significantWidth(x) + c.bitLength() + (mul.isSigned() ? 1 : 0)) - shift;
                Long luts = ConstantProduct.luts(significantWidth(x), mul.isSigned(), odd, Math.max(0, liveness.lowBit(mul) - shift), width);
                if (luts != null) {
                    return luts.intValue();
                }
            }
            int bits = Math.min(liveness.demand(mul), significantWidth(mul.operand(0)) + significantWidth(mul.operand(1)));
            return bits * Math.max(0, Operators.shiftAddTerms(c) - 1);
        }
        int a = informationBits(mul.operand(0));
        int b = informationBits(mul.operand(1));
        int narrow = Math.min(a, b);
        int wide = Math.max(a, b);
        if (!target.isIce40()) {
            if (narrow == 2) {
                return 2 * wide + 1;
            }
            if (narrow == 3 && wide <= 5) {
                return new int[] {9, 12, 20}[wide - 3];
            }
            return (int) Math.round(2.25 * a * b); // 4x4 measures 36 inside a PE (26 alone: ABC's result depends on its context)
        }
        int fullA = significantWidth(mul.operand(0));
        int fullB = significantWidth(mul.operand(1));
        Long luts = a < fullA || b < fullB ? null : ConstantProduct.productLuts(a, b, mul.isSigned(),
                liveness.lowBit(mul), Math.min(liveness.demand(mul), fullA + fullB));
        // a packed operand (or operands too wide to model): about 2.15 LUT4s per partial-product bit, its repeated bits included
        return luts != null ? luts.intValue() : (int) Math.round(2.15 * fullA * fullB);
    }

    /**
     * LUTs adding the partial products of a multiplier tiled over several DSPs (Yosys' mul2dsp).
     * On UltraScale+ each further tile's product joins the sum above the bits it cannot reach; on
     * 7-series the tiles cascade through PCIN (a 17-bit shift) and one adder remains; on the UP5K
     * the SB_MAC16 accumulators add the tiles and one adder remains.
     */
    long dspTileAdderLuts(Op mul, int dsps) {
        int d = Math.min(liveness.demand(mul), significantWidth(mul.operand(0)) + significantWidth(mul.operand(1)));
        long soft = 0;
        if (target.isIce40()) {
            // the pieces mul2dsp left in logic, with the adder that joins each to the sum
            long[] softLuts = {0};
            ice40Tiles(signedWidth(mul, mul.operand(0)), signedWidth(mul, mul.operand(1)), d, softLuts);
            soft = softLuts[0];
        }
        if (dsps == 1) {
            return soft;
        }
        if (target != Target.XCUP) {
            return soft + Math.max(0, d - (target == Target.XC7 ? 17 : 16));
        }
        int wideTiles = ceilDiv(Math.max(significantWidth(mul.operand(0)), significantWidth(mul.operand(1))), target.dspWideOperand());
        int narrowTiles = ceilDiv(Math.min(significantWidth(mul.operand(0)), significantWidth(mul.operand(1))), target.dspNarrowOperand());
        long luts = 0;
        for (int i = 0; i < wideTiles; i++) {
            for (int j = 0; j < narrowTiles; j++) {
                if (i + j > 0) {
                    luts += Math.max(0, d - (i * target.dspWideOperand() + j * target.dspNarrowOperand()));
                }
            }
        }
        return luts;
    }

    /** Bits of an operand that are distinct: a register or expression repeating a bit counts it once. */
    private int informationBits(Expr e) {
        Expr x = strip(e);
        if (x instanceof Signal r && r.kind() == Signal.Kind.REG && drivers.of(r).size() == 1) {
            return Math.min(significantWidth(e), distinctBits(drivers.of(r).get(0).assign().value(), r.width()));
        }
        return Math.min(significantWidth(e), distinctBits(x, x.width()));
    }
}

package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Target;

import java.math.BigInteger;
import java.util.BitSet;

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
                || takesCarryIn(op) != null) {
            return 0;
        }
        Op sum = carryInto(op);
        if (sum != null) {
            // the one chain of sum + bit, from bit 0 (where the carry-in enters)
            return target.isIce40() ? liveness.demand(op) : overlapLuts(sum);
        }
        if (!target.isIce40()) {
            if (op.kind() == Op.Kind.ADD && !op.operand(0).isSigned() && !op.operand(1).isSigned()) {
                return Math.min(carryBits(op), overlapLuts(op));
            }
            // above both operands' significant bits every carry-chain select input is the same (their
            // extension bits combined): one LUT serves them all, the top operand bit's own
            int operands = Math.max(significantWidth(op.operand(0)), significantWidth(op.operand(1)));
            return Math.min(carryBits(op), Math.max(0, operands - liveness.lowBit(op)));
        }
        return carryBits(op);
    }

    /**
     * The sum {@code s} of {@code s + bit}, when alumacc makes the one-bit addend the carry-in of
     * the adder of s (s read there alone), so the adder of the bit costs nothing of its own: the
     * float rounder's field * 2^M + significand + round-up bit is one chain in Yosys (2 LUTs on
     * xc7, 15 on iCE40 for an 8-bit field and a 9-bit significand), not two.
     */
    private Op carryInto(Op op) {
        if (op.kind() != Op.Kind.ADD) {
            return null;
        }
        for (int i = 0; i < 2; i++) {
            if (significantWidth(op.operand(i)) == 1 && strip(op.operand(1 - i)) instanceof Op sum && sum.kind() == Op.Kind.ADD
                    && liveness.soleConsumer(sum) == op && isUnsignedSum(sum)) {
                return sum;
            }
        }
        return null;
    }

    /** Whether {@code sum} adds two unsigned values of several bits, neither a constant (a rounding bias stays as it is modelled). */
    private static boolean isUnsignedSum(Op sum) {
        for (int i = 0; i < 2; i++) {
            Expr x = sum.operand(i);
            if (x.isSigned() || strip(x) instanceof Const || significantWidth(x) < 2) {
                return false;
            }
        }
        return true;
    }

    /** The adder a one-bit addend joins as its carry-in, when {@code op} is the sum it is added to; else null. */
    private Op takesCarryIn(Op op) {
        Op next = liveness.soleConsumer(op);
        return next != null && carryInto(next) == op ? next : null;
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
     * Bits of an adder's carry chain: its demanded bits above the lowest one, and above the known
     * zero low bits of one operand (below them the sum is the other operand).
     */
    int carryBits(Op op) {
        int below = liveness.lowBit(op);
        for (int i = 0; i < 2; i++) {
            below = Math.max(below, knownZeroLowBits(op.operand(i)));
        }
        return Math.max(0, liveness.demand(op) - below);
    }

    /**
     * Low bits of a value that are zero whatever its inputs ({@link KnownBits}: below a constant
     * shift, a constant part of a concatenation), and on Xilinx
     * below a constant factor's trailing zeros (on iCE40 alumacc folds the product into a $macc
     * whose adder keeps every bit, measured on Fir5).
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
            BigInteger c = op.kind() == Op.Kind.MUL && !target.isIce40() ? constantFactor(op) : null;
            if (c != null && c.signum() != 0) {
                return c.getLowestSetBit();
            }
        }
        return 0;
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
     * a LUT4 (0.9).
     */
    long shifterLuts(Op op) {
        boolean left = op.kind() == Op.Kind.DSHL;
        int in = op.operand(0).width();
        BitSet needed = new BitSet();
        needed.set(liveness.lowBit(op), Math.max(liveness.lowBit(op), liveness.demand(op)));
        long muxBits = 0;
        for (int i = Math.min(op.operand(1).width(), 30) - 1; i >= 0; i--) {
            // bits of this stage's output that can be non-zero after shifts of up to 2^(i+1) - 1
            int nonZero = left ? in + (1 << (i + 1)) - 1 : in;
            needed.clear(nonZero, Math.max(nonZero, needed.length()));
            BitSet before = (BitSet) needed.clone();
            boolean selectsData = false;
            for (int j = needed.nextSetBit(0); j >= 0; j = needed.nextSetBit(j + 1)) {
                int from = left ? j - (1 << i) : j + (1 << i);
                if (from >= 0 && from < (left ? Integer.MAX_VALUE : in)) {
                    before.set(from);
                    selectsData = true;
                }
            }
            if (selectsData) {
                muxBits += needed.cardinality();
            } // else the stage only zeroes its bits, which ABC folds into the next stage's LUTs
            needed = before;
        }
        return Math.round(muxBits * (target.lutInputs() == 6 ? 0.55 : 0.9));
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
        int wide = Math.max(a, b);
        int narrow = Math.min(a, b);
        return ceilDiv(wide, target.dspWideOperand()) * ceilDiv(narrow, target.dspNarrowOperand());
    }

    /**
     * LUTs of a multiplier Yosys builds from logic (a shift-and-add array that ABC maps), fitted to
     * Yosys 0.23 results for signed operands inside the PEs of GEMM engines. Xilinx keeps only
     * products under 9 bits in LUTs, so its table is small; iCE40 costs about 3 LUT4s per
     * partial-product bit for wide operands, less for narrow ones. Operand bits that repeat another
     * bit (a sign extension inside a packed operand) cost less on Xilinx; on iCE40 ABC shares the
     * partial products of the repeated bit, which a per-bit figure over the full width matches.
     */
    int softMultiplierLuts(Op mul) {
        BigInteger c = constantFactor(mul);
        if (c != null) {
            // by a constant: only its set bits are partial products, one adder of the product's width per further bit, and a negation;
            // a negated shift read by an adder is that adder's subtraction (alumacc)
            Op next = liveness.soleConsumer(mul);
            if (isShift(mul) && next != null && Operators.isAdder(next)) {
                return 0;
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
        if (a < fullA || b < fullB) {
            // a packed operand: about 2.15 LUT4s per partial-product bit, its repeated bits included
            return (int) Math.round(2.15 * fullA * fullB);
        }
        double[] perBitByNarrow = {0, 1.0, 1.5, 2.0, 2.25, 2.65};
        double perBit = narrow < perBitByNarrow.length ? perBitByNarrow[narrow] : 2.92;
        return (int) Math.round(perBit * a * b);
    }

    /**
     * LUTs adding the partial products of a multiplier tiled over several DSPs (Yosys' mul2dsp).
     * On UltraScale+ each further tile's product joins the sum above the bits it cannot reach; on
     * 7-series the tiles cascade through PCIN (a 17-bit shift) and one adder remains; on the UP5K
     * the SB_MAC16 accumulators add the tiles and one adder remains.
     */
    long dspTileAdderLuts(Op mul, int dsps) {
        if (dsps == 1) {
            return 0;
        }
        int d = Math.min(liveness.demand(mul), significantWidth(mul.operand(0)) + significantWidth(mul.operand(1)));
        if (target != Target.XCUP) {
            return Math.max(0, d - (target == Target.XC7 ? 17 : 16));
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

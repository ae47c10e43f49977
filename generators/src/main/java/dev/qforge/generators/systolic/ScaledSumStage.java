package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.dequant.FloatRounder;
import dev.qforge.numerics.BinaryFloat;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;

/**
 * What the scale stages of one output column share ({@link GroupScaleStage} for group scales,
 * {@link MxScaleStage} for MX blocks): a group's (or block's) exact sum in, at stage 0 the
 * subclass's front end turns it and its scales into a scaled term (a product and a left shift)
 * and the special cases; stage 1 shifts the term into the row's exact accumulator word, read
 * from memory (one word per activation row m: the sum and three sticky flags, NaN, +Inf, -Inf),
 * written back unless this was the last group. Stage 2: the last group's total. Stage 3: its
 * sign and magnitude. Stages 4-7: a {@link FloatRounder}. The memory is read at stage 0 and
 * written at stage 1; the engine sends a row's next group at least two cycles later, so a read
 * never races its write.
 */
abstract class ScaledSumStage extends Module {
    /** Register stages from a group sum to its row's result. */
    public static final int LATENCY = 3 + FloatRounder.LATENCY;
    /** Bits of the exponent the rounder takes: every accumulator bit's weight lies in -512..511. */
    private static final int EXPONENT_BITS = 10;

    public final Signal en;
    /** A group's last partial sums are at {@link #sum} (its group's last K fold). */
    public final Signal inValid;
    /** The row's first group: its accumulator starts from 0. Null with one group per GEMM at most. */
    public final Signal firstGroup;
    /** The row's last group: the result leaves. Null with one group per GEMM at most. */
    public final Signal lastGroup;
    /** The row m whose sum this is (read address). Null with one group per GEMM at most. */
    public final Signal row;
    public final Signal sum;
    /** The group's scale for this column: bits of the group scale format, or the weight block's E8M0 scale. */
    public final Signal scale;
    public final Signal outValid;
    public final Signal out;
    private final SystolicConfig cfg;

    /** The scaled term of stage 0: {@code product << shift} (product 0 when it adds nothing) and the special cases it brings. */
    protected record Term(Expr product, Expr shift, Expr nan, Expr plusInf, Expr minusInf) { }

    ScaledSumStage(String name, SystolicConfig cfg) {
        super(name);
        this.cfg = cfg;
        boolean groups = cfg.maxGroups() > 1;
        int depth = Math.max(2, cfg.maxM());
        en = input("en", bool());
        inValid = input("in_valid", bool());
        firstGroup = groups ? input("first_group", bool()) : null;
        lastGroup = groups ? input("last_group", bool()) : null;
        row = groups ? input("row", uint(GemmEngine.bitsFor(depth - 1))) : null;
        sum = input("sum", sint(cfg.accBits()));
        scale = input("scale", uint(cfg.scaleBits()));
        outValid = output("out_valid", bool());
        out = output("out", uint(cfg.outBits()));
    }

    /** Stages 1 onwards: the term of stage 0 accumulated, the row's total rounded into {@code result} (lsbExponent: log2 of the accumulator's last bit). */
    protected final void accumulate(Term t, BinaryFloat result, int lsbExponent) {
        boolean groups = cfg.maxGroups() > 1;
        int depth = Math.max(2, cfg.maxM());
        int accBits = cfg.groupAccBits();
        Signal take1 = validStage("take_q1", inValid);
        Signal last1 = groups ? stage("last_q1", lastGroup) : null;
        Signal first1 = groups ? stage("first_q1", firstGroup) : null;
        Signal row1 = groups ? stage("row_q1", row) : null;
        Signal product1 = stage("product_q1", t.product());
        Signal shift1 = stage("shift_q1", t.shift());
        Signal nan1 = stage("nan_q1", t.nan());
        Signal plusInf1 = stage("pinf_q1", t.plusInf());
        Signal minusInf1 = stage("ninf_q1", t.minusInf());

        // ---- stage 1: shifted into the accumulator -------------------------------------------
        Expr shifted = product1.extend(accBits).shl(shift1).truncate(accBits);
        Expr acc = shifted;
        Expr accNan = nan1;
        Expr accPlusInf = plusInf1;
        Expr accMinusInf = minusInf1;
        Signal valid2;
        if (groups) {
            // one word per row: {nan, +inf, -inf, sum}
            Mem words = mem("acc", uint(accBits + 3), depth);
            Signal word = words.readSync("acc_rd", row, en);
            Expr fresh = first1;
            acc = Expr.mux(fresh, Expr.s(0, accBits), word.slice(accBits - 1, 0).asSInt()).plus(shifted).truncate(accBits);
            accNan = nan1.or(fresh.not().and(word.bit(accBits + 2)));
            accPlusInf = plusInf1.or(fresh.not().and(word.bit(accBits + 1)));
            accMinusInf = minusInf1.or(fresh.not().and(word.bit(accBits)));
            Signal next = wire("acc_next", uint(accBits + 3));
            next.set(Expr.cat(accNan, accPlusInf, accMinusInf, acc));
            when(en.and(take1).and(last1.not()), () -> words.write(row1, next));
            valid2 = validStage("valid_q2", take1.and(last1));
        } else {
            valid2 = validStage("valid_q2", take1);
        }

        // ---- stage 2: the row's total; stage 3: its sign and magnitude; stages 4-7: rounded ----------
        Signal total = stage("total_q2", acc);
        Signal nan2 = stage("nan_q2", accNan.or(accPlusInf.and(accMinusInf)));
        Signal plusInf2 = stage("pinf_q2", accPlusInf);
        Signal minusInf2 = stage("ninf_q2", accMinusInf);
        Signal sign3 = stage("sign_q3", Expr.mux(plusInf2, Expr.bool(false), Expr.mux(minusInf2, Expr.bool(true), total.msb())));
        Signal magnitude3 = stage("magnitude_q3", Expr.mux(total.msb(), total.negate(), total.extend(accBits + 1)).slice(accBits - 1, 0));
        Signal nan3 = stage("nan_q3", nan2);
        Signal inf3 = stage("inf_q3", plusInf2.or(minusInf2));
        FloatRounder rounder = new FloatRounder(accBits, EXPONENT_BITS, result);
        Instance<FloatRounder> u = instance("round", rounder);
        u.io(rounder.en).set(en);
        u.io(rounder.sign).set(sign3);
        u.io(rounder.magnitude).set(magnitude3);
        u.io(rounder.exponent).set(Expr.s(lsbExponent, EXPONENT_BITS));
        u.io(rounder.nan).set(nan3);
        u.io(rounder.inf).set(inf3);
        out.set(u.io(rounder.out));
        Signal v = valid2;
        for (int j = 3; j <= LATENCY; j++) {
            v = validStage("valid_q" + j, v);
        }
        outValid.set(v);
    }

    private Signal stage(String name, Expr value) {
        Signal r = reg(name, value.type());
        r.setWhen(en, value);
        return r;
    }

    private Signal validStage(String name, Expr value) {
        Signal r = reg(name, bool(), 0);
        r.setWhen(en, value);
        return r;
    }
}

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
 * The group-scale stage of one output column of a grouped {@link GemmEngine} ({@link GroupScale}
 * defines the arithmetic): a group's exact integer sum S in, its scale applied, the scaled sums of
 * a row accumulated exactly, the row's total rounded once into the result format.
 *
 * <p>Stage 0 (the engine's accumulator stage, combinational here): the scale's significand times
 * S, on one multiplier (one DSP slice), and the special cases. Stage 1: the product shifted left
 * by the scale's exponent above the window's bottom and added to the row's accumulator word,
 * read from memory (one word per activation row m: the sum and three sticky flags, NaN, +Inf,
 * -Inf), written back unless this was the last group. Stage 2: the last group's total. Stage 3:
 * its sign and magnitude. Stages 4-7: a {@link FloatRounder}. The memory is read at stage 0 and written at stage 1; the engine
 * sends a row's next group at least two cycles later, so a read never races its write.
 */
public final class GroupScaleStage extends Module {
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
    /** The group's scale for this column, bits of the scale format. */
    public final Signal scale;
    public final Signal outValid;
    public final Signal out;

    public GroupScaleStage(SystolicConfig cfg) {
        super("GroupScale_" + cfg.group().shortName() + "_s" + cfg.accBits() + "_m" + Math.max(2, cfg.maxM()) + "_k" + cfg.maxGroups());
        GroupScale g = cfg.group();
        BinaryFloat f = g.scale();
        boolean groups = cfg.maxGroups() > 1;
        int depth = Math.max(2, cfg.maxM());
        int accBits = cfg.groupAccBits();
        en = input("en", bool());
        inValid = input("in_valid", bool());
        firstGroup = groups ? input("first_group", bool()) : null;
        lastGroup = groups ? input("last_group", bool()) : null;
        row = groups ? input("row", uint(GemmEngine.bitsFor(depth - 1))) : null;
        sum = input("sum", sint(cfg.accBits()));
        scale = input("scale", uint(f.bits()));
        outValid = output("out_valid", bool());
        out = output("out", uint(g.result().bits()));

        // ---- stage 0: the scale's parts, its product with the sum, the special cases ----------
        int m = f.mantissaBits();
        int allOnes = (1 << f.exponentBits()) - 1;
        Expr field = scale.slice(m + f.exponentBits() - 1, m);
        Expr mantissa = scale.slice(m - 1, 0);
        Expr sign = scale.msb();
        Expr top = field.eq(allOnes);
        Expr inf = top.and(mantissa.orReduce().not());
        Expr nan = top.and(mantissa.orReduce());
        Expr zero = field.eq(0).and(mantissa.orReduce().not());
        // exponent max(field, 1) - bias, compared as a field: the window's bottom field is >= 1
        Expr effField = Expr.mux(field.eq(0), Expr.u(1, f.exponentBits()), field);
        int lowField = g.low() + f.bias();
        int highField = g.high() + f.bias();
        Expr inWindow = zero.or(effField.ge(lowField).and(effField.le(highField)));
        int shiftBits = GemmEngine.bitsFor(g.span());
        Expr shift = effField.minus(Expr.u(lowField, f.exponentBits())).truncate(shiftBits);
        Expr significand = Expr.cat(field.orReduce(), mantissa);
        int productBits = cfg.accBits() + g.significandBits();
        Expr magnitudeProduct = sum.times(significand.toSInt()).truncate(productBits);
        Expr product = Expr.mux(sign, magnitudeProduct.negate().truncate(productBits), magnitudeProduct);
        Expr sumZero = sum.eq(0);
        Expr negative = sign.xor(sum.msb());

        Signal take1 = validStage("take_q1", inValid);
        Signal last1 = groups ? stage("last_q1", lastGroup) : null;
        Signal first1 = groups ? stage("first_q1", firstGroup) : null;
        Signal row1 = groups ? stage("row_q1", row) : null;
        Signal product1 = stage("product_q1", Expr.mux(inWindow, product, Expr.s(0, productBits)));
        Signal shift1 = stage("shift_q1", Expr.mux(inWindow, shift, Expr.u(0, shiftBits)));
        Signal nan1 = stage("nan_q1", nan.or(top.not().and(inWindow.not())).or(inf.and(sumZero)));
        Signal plusInf1 = stage("pinf_q1", inf.and(sumZero.not()).and(negative.not()));
        Signal minusInf1 = stage("ninf_q1", inf.and(sumZero.not()).and(negative));

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
        FloatRounder rounder = new FloatRounder(accBits, EXPONENT_BITS, g.result());
        Instance<FloatRounder> u = instance("round", rounder);
        u.io(rounder.en).set(en);
        u.io(rounder.sign).set(sign3);
        u.io(rounder.magnitude).set(magnitude3);
        u.io(rounder.exponent).set(Expr.s(g.lsbExponent(), EXPONENT_BITS));
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

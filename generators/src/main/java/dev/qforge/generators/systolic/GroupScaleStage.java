package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.numerics.BinaryFloat;

/**
 * The group-scale stage of one output column of a grouped {@link GemmEngine} ({@link GroupScale}
 * defines the arithmetic): a group's exact integer sum S in, its scale applied, the scaled sums of
 * a row accumulated exactly, the row's total rounded once into the result format.
 *
 * <p>Stage 0 (the engine's accumulator stage, combinational here): the scale's significand times
 * S, on one multiplier (one DSP slice), the shift by the scale's exponent above the window's
 * bottom, and the special cases; the rest is the {@link ScaledSumStage} every scale stage shares.
 */
public final class GroupScaleStage extends ScaledSumStage {
    public GroupScaleStage(SystolicConfig cfg) {
        super("GroupScale_" + cfg.group().shortName() + "_s" + cfg.accBits() + "_m" + Math.max(2, cfg.maxM()) + "_k" + cfg.maxGroups(), cfg);
        GroupScale g = cfg.group();
        BinaryFloat f = g.scale();

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

        accumulate(new Term(Expr.mux(inWindow, product, Expr.s(0, productBits)), Expr.mux(inWindow, shift, Expr.u(0, shiftBits)),
                nan.or(top.not().and(inWindow.not())).or(inf.and(sumZero)), inf.and(sumZero.not()).and(negative.not()),
                inf.and(sumZero.not()).and(negative)), g.result(), g.lsbExponent());
    }
}

package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Signal;
import dev.qforge.numerics.Mx;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;

/**
 * The block-scale stage of one output column of an MX x MX {@link GemmEngine} ({@link MxBlocks}
 * defines the arithmetic). Stage 0 takes a block's partial-sum word apart (the exact sum P and
 * its counts of NaN, +Inf and -Inf products) and applies the two E8M0 scales: no multiplier, the
 * combined exponent Xa + Xb - 254 above the window's bottom is the left shift; a NaN scale, a NaN
 * product, or a nonzero sum outside the window makes NaN. The rest is the {@link ScaledSumStage}
 * every scale stage shares. A column past N ({@code present} low) adds nothing.
 */
public final class MxScaleStage extends ScaledSumStage {
    /** The activation row's E8M0 scale Xa of the block. */
    public final Signal actScale;
    /** The column lies within N. */
    public final Signal present;

    public MxScaleStage(SystolicConfig cfg) {
        super("MxScale_" + cfg.mx().shortName() + "_m" + Math.max(2, cfg.maxM()) + "_k" + cfg.maxGroups(), cfg);
        MxBlocks mx = cfg.mx();
        actScale = input("act_scale", uint(8));
        present = input("present", bool());

        int sumBits = mx.sumBits();
        Expr blockSum = sum.slice(sumBits - 1, 0).asSInt();
        Expr nanProducts = Expr.bool(false);
        Expr plusInf = Expr.bool(false);
        Expr minusInf = Expr.bool(false);
        if (mx.counts() > 0) {
            // the word is P + counts * 2^sumBits: the bits above P read counts - 1 when P < 0
            int countBits = mx.counts() * MxBlocks.COUNT_BITS;
            Expr counts = sum.slice(sumBits + countBits - 1, sumBits).plus(blockSum.msb().asUInt()).truncate(countBits);
            nanProducts = counts.slice(MxBlocks.COUNT_BITS - 1, 0).orReduce();
            if (mx.hasInf()) {
                plusInf = counts.slice(2 * MxBlocks.COUNT_BITS - 1, MxBlocks.COUNT_BITS).orReduce();
                minusInf = counts.slice(3 * MxBlocks.COUNT_BITS - 1, 2 * MxBlocks.COUNT_BITS).orReduce();
            }
        }
        Expr exponentSum = scale.plus(actScale); // Xa + Xb = E + 2 * bias
        int low = mx.minExp() + 2 * Mx.SCALE_BIAS;
        int high = mx.maxExp() + 2 * Mx.SCALE_BIAS;
        Expr nanScale = scale.eq(Mx.SCALE_NAN).or(actScale.eq(Mx.SCALE_NAN));
        Expr inWindow = exponentSum.ge(low).and(exponentSum.le(high));
        int shiftBits = GemmEngine.bitsFor(mx.span());
        Expr shift = exponentSum.minus(low).truncate(shiftBits);
        Expr exact = present.and(inWindow).and(nanScale.not());
        Expr nan = present.and(nanScale.or(nanProducts).or(inWindow.not().and(blockSum.ne(0))));
        accumulate(new Term(Expr.mux(exact, blockSum, Expr.s(0, sumBits)), Expr.mux(exact, shift, Expr.u(0, shiftBits)), nan,
                present.and(plusInf), present.and(minusInf)), mx.result(), mx.lsbExponent());
    }
}

package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Signal;

import java.util.ArrayList;
import java.util.List;

import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;

/**
 * The weight-stationary PE of an MX x MX {@link GemmEngine}: holds one decoded weight element
 * ({@link MxOperand}), passes its decoded activation right one cycle later and adds their exact
 * product to the partial-sum word from above: significands multiplied, shifted left by the sum of
 * the quantum shifts (the exponent sum), in units of 2^(minExponent_a + minExponent_w), as
 * {@link dev.qforge.numerics.Mx#blockSum} defines it. A special product (NaN: a NaN operand or an
 * infinity times a zero; +-Inf) adds 0 to the sum and 1 to its count above the sum
 * ({@link MxBlocks#wordBits}). One register stage, advancing only while {@code en} is high.
 */
public final class MxPe extends WsPeModule {
    MxPe(MxBlocks mx) {
        this(mx, new MxOperand(mx.act(), true), new MxOperand(mx.weight(), false));
    }

    private MxPe(MxBlocks mx, MxOperand ao, MxOperand wo) {
        super("MxPe_" + mx.act().name().toLowerCase(java.util.Locale.ROOT) + "x" + mx.weight().name().toLowerCase(java.util.Locale.ROOT), 1,
                1, uint(ao.width()), uint(wo.width()), sint(mx.wordBits()));
        int sumBits = mx.sumBits();
        int wordBits = mx.wordBits();
        Signal psum = reg("psum", sint(wordBits));

        // the finite product, exact: significand product << (shift_a + shift_w)
        Expr product = ao.significand(aIn).times(wo.significand(weight)).extend(sumBits);
        Expr shiftA = ao.shift(aIn);
        Expr shiftW = wo.shift(weight);
        Expr shift = shiftA == null ? shiftW : shiftW == null ? shiftA
                : shiftA.plus(shiftW).truncate(EngineModule.bitsFor(ao.maxShift() + wo.maxShift()));
        Expr term = shift == null ? product : product.shl(shift).truncate(sumBits).asSInt();
        Expr word = term.extend(wordBits);
        if (mx.counts() > 0) {
            // a special product's term is 0 (its significands read 0) and a finite one counts nothing, so OR adds them
            word = word.asUInt().or(counts(mx, ao, wo, aIn, weight).asUInt()).asSInt();
        }
        // the engine sizes the word so that no block's sum or count overflows; truncate drops the add's carry
        psum.setWhen(en, psumIn(0).plus(word).truncate(wordBits));
        psumOut(0).set(psum);
    }

    /** The special product as a count of 1 in its field of the word: NaN, +Inf or -Inf (IEEE rules), or nothing. */
    private static Expr counts(MxBlocks mx, MxOperand ao, MxOperand wo, Expr a, Expr w) {
        Expr aInf = ao.plusInf(a).or(ao.minusInf(a));
        Expr wInf = wo.plusInf(w).or(wo.minusInf(w));
        Expr aZero = ao.significand(a).eq(0).and(aInf.not()).and(ao.nan(a).not());
        Expr wZero = wo.significand(w).eq(0).and(wInf.not()).and(wo.nan(w).not());
        Expr present = ao.present(a);
        Expr nan = present.and(ao.nan(a).or(wo.nan(w)).or(aInf.and(wZero)).or(aZero.and(wInf)));
        Expr negative = ao.minusInf(a).or(ao.significand(a).msb()).xor(wo.minusInf(w).or(wo.significand(w).msb()));
        Expr inf = present.and(nan.not()).and(aInf.or(wInf));
        List<Expr> fields = new ArrayList<>();
        fields.add(Expr.u(0, 1)); // the word's sign bit
        if (mx.hasInf()) {
            fields.add(field(inf.and(negative)));
            fields.add(field(inf.and(negative.not())));
        }
        fields.add(field(nan));
        fields.add(Expr.u(0, mx.sumBits()));
        return Expr.cat(fields.toArray(new Expr[0])).asSInt();
    }

    private static Expr field(Expr bit) {
        return Expr.cat(Expr.u(0, MxBlocks.COUNT_BITS - 1), bit);
    }
}

package dev.qforge.generators.dequant;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.numerics.BinaryFloat;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;

/**
 * sign * m * 2^E rounded once to nearest even into a {@link BinaryFloat}, as
 * {@link BinaryFloat#encode} defines it (subnormals, overflow to infinity, signed zero, the
 * canonical NaN), in {@link #LATENCY} register stages that advance with {@code en}. Normalise m
 * to a leading one at bit N - 1 (N >= W, M + 2; the leading one found by a tree, log2(W) levels),
 * then shift right by N - 1 - M plus however far the value lies below the smallest normal,
 * rounding; the exponent field is added below the rounded significand so a carry out of it moves
 * into the exponent, and a result at or past the all-ones exponent is infinity. A normalised m
 * wider than M + 3 bits keeps its top M + 3 with the rest ORed into the last (a sticky bit): at
 * least two bits then remain below the rounding position, so every rounding is the same and the
 * rounding shifter stays M + 3 bits wide. The leading-one search and the normalising shift sit in
 * stages of their own (each about log2(W) levels of logic), so a wide m does not set the Fmax of
 * the unit it is in. The dequant units and the grouped and MX GEMM engines share it.
 */
public final class FloatRounder extends Module {
    /** Register stages from the inputs to {@code out}: leading one found, normalised (with the shift amount), rounded, packed. */
    public static final int LATENCY = 4;

    public final Signal en;
    public final Signal sign;
    public final Signal magnitude;
    public final Signal exponent;
    public final Signal nan;
    public final Signal inf;
    public final Signal out;

    /**
     * @param magnitudeBits W, bits of the unsigned magnitude m
     * @param exponentBits  bits of the signed exponent E of m's last bit
     */
    public FloatRounder(int magnitudeBits, int exponentBits, BinaryFloat f) {
        super("FloatRounder_m" + magnitudeBits + "_e" + exponentBits + "_" + f.name().toLowerCase(java.util.Locale.ROOT));
        en = input("en", bool());
        sign = input("sign", bool());
        magnitude = input("magnitude", uint(magnitudeBits));
        exponent = input("exponent", sint(exponentBits));
        nan = input("nan", bool());
        inf = input("inf", bool());
        out = output("out", uint(f.bits()));
        int mBits = f.mantissaBits();
        Signal m = magnitude;

        // stage 1: where the leading one is (a tree, log2(W) levels)
        int w = m.width();
        int wide = Math.max(w, mBits + 2);
        int n = Math.min(wide, mBits + 3);
        Signal m1 = stage("m_q1", m);
        Signal lz1 = stage("lz_q1", leadingZeros(m, 0, w - 1, w, bitsFor(w - 1))[1]);
        Signal exponent1 = stage("e_q1", exponent);
        Signal zero = stage("zero_q1", m.eq(0));
        Signal sign1 = stage("sign_q1", sign);
        Signal nan1 = stage("nan_q1", nan);
        Signal inf1 = stage("inf_q1", inf);

        // stage 2: normalised (and reduced to M + 3 bits with a sticky bit); beside it, the exponent of
        // the leading one, how far to shift (n - 1 - M, plus the distance below the smallest normal)
        // and the exponent field
        Expr normal = m1.shl(lz1).truncate(w);
        Expr padded = wide > w ? Expr.cat(normal, Expr.u(0, wide - w)) : normal;
        Expr reduced = wide == n ? padded
                : Expr.cat(padded.slice(wide - 1, wide - n + 1), padded.slice(wide - n, 0).orReduce());
        Signal norm2 = stage("n_q2", reduced);
        // the leading one's exponent is E + W - 1 - lz; the constant W - 1 goes into the constants it meets
        Expr eLz = exponent1.minus(lz1.toSInt());
        Expr below = Expr.s(1 - f.bias() - (w - 1), bitsFor(f.bias() + w) + 2).minus(eLz); // > 0: subnormal, by this many bits
        Expr extra = Expr.mux(below.msb().or(below.eq(0)), Expr.u(0, below.width() - 1), below.slice(below.width() - 2, 0));
        Expr amount = extra.plus(n - 1 - mBits);
        int cap = n + 1; // every shift past the significand's width rounds alike (to 0 or the smallest step)
        Signal shift = stage("shift_q2", Expr.mux(amount.gt(cap), Expr.u(cap, bitsFor(cap)), amount.resize(bitsFor(cap))));
        Expr field = eLz.plus(f.bias() - 1 + w - 1);
        int allOnes = (1 << f.exponentBits()) - 1;
        Signal fieldClamped = stage("field_q2", Expr.mux(field.msb(), Expr.u(0, f.exponentBits()),
                Expr.mux(field.ge(allOnes), Expr.u(allOnes, f.exponentBits()), field.slice(f.exponentBits() - 1, 0))));
        Signal zero2 = stage("zero_q2", zero);
        Signal sign2 = stage("sign_q2", sign1);
        Signal nan2 = stage("nan_q2", nan1);
        Signal inf2 = stage("inf_q2", inf1);

        // stage 3: shifted right, keeping the guard bit (the first one dropped) and a sticky bit (any
        // below it): the shift and the sticky bit side by side, so the rounding add waits for stage 4
        Expr extended = Expr.cat(norm2, Expr.u(0, 1)); // the guard lands in bit 0
        Expr shifted = extended.shr(shift);
        Signal kept = stage("kept_q3", shifted.slice(Math.min(n, mBits + 2), 1));
        Signal guard = stage("guard_q3", shifted.bit(0));
        // bit i of the extended significand lies below the guard when i < shift: a compare per bit, no second shifter
        Expr sticky = extended.bit(1).and(shift.gt(1));
        for (int i = 1; i < n; i++) {
            sticky = sticky.or(extended.bit(i + 1).and(shift.gt(i + 1)));
        }
        Signal sticky3 = stage("sticky_q3", sticky);
        Signal field3 = stage("field_q3", fieldClamped);
        Signal zero3 = stage("zero_q3", zero2);
        Signal sign3 = stage("sign_q3", sign2);
        Signal nan3 = stage("nan_q3", nan2);
        Signal inf3 = stage("inf_q3", inf2);

        // stage 4: rounded to nearest even (a carry out of the significand moves into the exponent) and packed
        Expr roundUp = guard.and(sticky3.or(kept.bit(0)));
        Expr packed = field3.shl(mBits).plus(kept).plus(roundUp.asUInt());
        Expr overflow = packed.ge((long) allOnes << mBits);
        Expr signBit = sign3.asUInt().shl(f.bits() - 1);
        Expr result = Expr.mux(nan3, Expr.u(f.canonicalNaN(), f.bits()),
                Expr.mux(inf3.or(overflow.and(zero3.not())), Expr.lit(f.infinity(false), uint(f.bits())).or(signBit),
                        Expr.mux(zero3, signBit, packed.truncate(f.bits() - 1).extend(f.bits()).or(signBit))));
        out.set(stage("out_q4", result.resize(f.bits())));
    }

    /**
     * {any bit set, leading zeros of the w-bit m above its highest set bit} of m[lo..hi], by halves:
     * log2 levels of muxes between constants (each bit's count is known), no adder.
     */
    private static Expr[] leadingZeros(Expr m, int lo, int hi, int w, int countBits) {
        if (lo == hi) {
            return new Expr[] {m.bit(lo), Expr.u(w - 1 - lo, countBits)};
        }
        int mid = (lo + hi + 1) / 2;
        Expr[] upper = leadingZeros(m, mid, hi, w, countBits);
        Expr[] lower = leadingZeros(m, lo, mid - 1, w, countBits);
        return new Expr[] {upper[0].or(lower[0]), Expr.mux(upper[0], upper[1], lower[1])};
    }

    private static int bitsFor(int max) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(max));
    }

    private Signal stage(String name, Expr value) {
        Signal r = reg(name, value.type());
        r.setWhen(en, value);
        return r;
    }
}

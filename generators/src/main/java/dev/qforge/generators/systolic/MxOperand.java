package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.numerics.MxElementType;

/**
 * An MX element code decoded once at the edge of the grid, into the parts an {@link MxPe}
 * multiplies: the signed significand and the quantum shift of {@link MxElementType#significand}
 * and {@link MxElementType#quantumShift} (value = significand * 2^(minExponent + shift)), and the
 * special codes as flags (NaN where the type has one, +Inf and -Inf for E5M2). A special code's
 * significand reads 0, so it adds nothing to the sum. An activation also carries a present bit:
 * lanes past K are absent, so the stale weights they meet (maybe an infinity) make no NaN.
 *
 * <p>Layout, most significant first: [present] [-inf +inf] [nan] [shift] significand.
 */
final class MxOperand {
    final MxElementType type;
    private final boolean hasPresent;
    private final int sigBits;
    private final int shiftBits;
    private final boolean hasNaN;
    private final boolean hasInf;

    MxOperand(MxElementType type, boolean hasPresent) {
        this.type = type;
        this.hasPresent = hasPresent;
        boolean integer = type.exponentBits() == 0;
        sigBits = integer ? type.bits() : type.mantissaBits() + 2;
        shiftBits = integer ? 0 : type.exponentBits(); // shifts up to 2^e - 2
        hasNaN = type.hasNaN();
        hasInf = type.hasInfinity();
    }

    int width() {
        return sigBits + shiftBits + (hasNaN ? 1 : 0) + (hasInf ? 2 : 0) + (hasPresent ? 1 : 0);
    }

    /** Largest quantum shift of a finite code. */
    int maxShift() {
        return shiftBits == 0 ? 0 : (1 << shiftBits) - 2;
    }

    /** The decoded operand of {@code code}; {@code present} (activations only, else null) false makes it absent: all zero. */
    Expr decode(Expr code, Expr present) {
        int bits = type.bits();
        Expr sig;
        Expr shift = null;
        Expr nan = Expr.bool(false);
        Expr plusInf = Expr.bool(false);
        Expr minusInf = Expr.bool(false);
        if (shiftBits == 0) {
            sig = code.asSInt();
        } else {
            int m = type.mantissaBits();
            Expr sign = code.msb();
            Expr field = code.slice(bits - 2, m);
            Expr mantissa = code.slice(m - 1, 0);
            Expr magnitude = Expr.cat(field.orReduce(), mantissa).toSInt();
            sig = Expr.mux(sign, magnitude.negate().truncate(sigBits), magnitude);
            shift = Expr.mux(field.eq(0), Expr.u(0, shiftBits), field.minus(1).truncate(shiftBits));
            Expr top = field.andReduce();
            if (type == MxElementType.FP8_E4M3) {
                nan = top.and(mantissa.andReduce());
            } else if (hasInf) {
                nan = top.and(mantissa.orReduce());
                plusInf = top.and(mantissa.orReduce().not()).and(sign.not());
                minusInf = top.and(mantissa.orReduce().not()).and(sign);
            }
        }
        Expr finite = nan.or(plusInf).or(minusInf).not();
        Expr keep = present == null ? finite : finite.and(present);
        Expr sigOut = Expr.mux(keep, sig, Expr.s(0, sigBits)).asUInt();
        java.util.List<Expr> parts = new java.util.ArrayList<>();
        if (hasPresent) {
            parts.add(present);
        }
        Expr on = present == null ? Expr.bool(true) : present;
        if (hasInf) {
            parts.add(minusInf.and(on));
            parts.add(plusInf.and(on));
        }
        if (hasNaN) {
            parts.add(nan.and(on));
        }
        if (shift != null) {
            parts.add(shift);
        }
        parts.add(sigOut);
        return Expr.cat(parts.toArray(new Expr[0]));
    }

    Expr significand(Expr v) {
        return v.slice(sigBits - 1, 0).asSInt();
    }

    /** The quantum shift, or null for MXINT8 (always 0). */
    Expr shift(Expr v) {
        return shiftBits == 0 ? null : v.slice(sigBits + shiftBits - 1, sigBits);
    }

    Expr nan(Expr v) {
        return hasNaN ? v.bit(sigBits + shiftBits) : Expr.bool(false);
    }

    Expr plusInf(Expr v) {
        return hasInf ? v.bit(sigBits + shiftBits + 1) : Expr.bool(false);
    }

    Expr minusInf(Expr v) {
        return hasInf ? v.bit(sigBits + shiftBits + 2) : Expr.bool(false);
    }

    /** Present (activations); operands without the bit always are. */
    Expr present(Expr v) {
        return hasPresent ? v.msb() : Expr.bool(true);
    }
}

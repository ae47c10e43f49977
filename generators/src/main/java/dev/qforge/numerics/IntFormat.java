package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;

import java.util.Objects;

/**
 * A two's complement (signed) or plain binary (unsigned) integer of 2..32 bits, with its range
 * and the two ways of narrowing a wider value into it: clamping, and keeping the low bits (two's
 * complement truncation, what a Verilog assignment to a narrower target does, IEEE 1364-2005).
 * They are the DSL's {@code Expr.saturate} and {@code Expr.truncate}, so golden models narrow as
 * the emitted hardware does.
 *
 * @param bits   2..32
 * @param signed two's complement if true
 */
public record IntFormat(int bits, boolean signed) {
    public static final IntFormat INT4 = new IntFormat(4, true);
    public static final IntFormat UINT4 = new IntFormat(4, false);
    public static final IntFormat INT8 = new IntFormat(8, true);
    public static final IntFormat UINT8 = new IntFormat(8, false);
    public static final IntFormat INT16 = new IntFormat(16, true);
    public static final IntFormat UINT16 = new IntFormat(16, false);
    public static final IntFormat INT32 = new IntFormat(32, true);

    /** How a value outside the range is narrowed. */
    public enum Overflow {
        /** Clamp to min() / max(). */
        SATURATE,
        /** Keep the low {@code bits} bits (modulo 2^bits), as hardware truncation of the top bits does. */
        WRAP
    }

    public IntFormat {
        if (bits < 2 || bits > 32) {
            throw new IllegalArgumentException("bits must be in 2..32, got " + bits);
        }
    }

    /** The signed format of the given width. */
    public static IntFormat signed(int bits) {
        return new IntFormat(bits, true);
    }

    /** The unsigned format of the given width. */
    public static IntFormat unsigned(int bits) {
        return new IntFormat(bits, false);
    }

    /** Smallest value: -2^(bits-1) if signed, else 0. */
    public long min() {
        return signed ? -(1L << (bits - 1)) : 0;
    }

    /** Largest value: 2^(bits-1) - 1 if signed, else 2^bits - 1. */
    public long max() {
        return signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
    }

    public boolean contains(long v) {
        return v >= min() && v <= max();
    }

    /** v clamped to [min(), max()]. */
    public long saturate(long v) {
        return Math.max(min(), Math.min(max(), v));
    }

    /** v modulo 2^bits, read back in this format (sign-extended if signed). */
    public long wrap(long v) {
        int unused = 64 - bits;
        return signed ? (v << unused) >> unused : (v << unused) >>> unused;
    }

    /** v narrowed by the given policy. */
    public long narrow(long v, Overflow overflow) {
        return overflow == Overflow.SATURATE ? saturate(v) : wrap(v);
    }

    /**
     * The affine quantization step shared by ONNX QuantizeLinear, QLinearMatMul and grouped weights:
     * saturate(round(x) + zeroPoint), x rounded exactly by rounding; infinities saturate.
     *
     * @throws IllegalArgumentException if x is NaN
     */
    public long quantize(double x, Rounding rounding, long zeroPoint) {
        Objects.requireNonNull(rounding, "rounding must not be null");
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("x must not be NaN");
        }
        // beyond +-2^40 every result saturates, whatever the zero point of a <= 32-bit format; so does every
        // sum past +-2^41, and clamping the zero point there keeps the sum from wrapping (Long.MAX_VALUE gave min())
        long zp = Math.max(-(1L << 41), Math.min(1L << 41, zeroPoint));
        return saturate(Rounded.toLong(Math.max(-0x1p40, Math.min(0x1p40, x)), rounding) + zp);
    }

    /**
     * v itself if it is in range.
     *
     * @throws IllegalArgumentException naming {@code name} and v otherwise
     */
    public long requireInRange(long v, String name) {
        if (!contains(v)) {
            throw new IllegalArgumentException(name + " must be in " + this + " range [" + min() + ", " + max() + "], got " + v);
        }
        return v;
    }

    /**
     * Checks every element of values; the message names the first bad one as name[i] (built only
     * on failure, so hot loops stay allocation-free).
     *
     * @throws IllegalArgumentException if an element is out of range
     */
    public void requireAllInRange(int[] values, String name) {
        for (int i = 0; i < values.length; i++) {
            if (!contains(values[i])) {
                requireInRange(values[i], name + "[" + i + "]");
            }
        }
    }

    @Override
    public String toString() {
        return (signed ? "int" : "uint") + bits;
    }
}

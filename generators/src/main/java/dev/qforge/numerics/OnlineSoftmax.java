package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;

import java.math.BigInteger;

/**
 * A base-2 online softmax for hardware: one pass keeps a running integer maximum and a running
 * sum that is rescaled by a right shift whenever the maximum grows (the online normalizer of
 * Milakov and Gimelshein 2018 in base 2 with an integer maximum, as in Softermax, Stevens et al.
 * 2021), a second pass normalizes with one reciprocal per row. Everything at run time is integer:
 * shifts, a 2^fracBits-entry table, multiplies and one division.
 *
 * <p>Per element (x with real scale S):
 * <ol>
 *   <li>u = x * S * log2(e) in fixed point with fracBits fraction bits, by
 *       {@link TfliteRequant#multiplyByQuantizedMultiplier} in SINGLE_ROUNDING mode;</li>
 *   <li>running max m = max(m, floor(u / 2^fracBits)) (an integer); when it grows by k the sum is
 *       shifted right by k (floor);</li>
 *   <li>term = table[f] >> n for u - m 2^fracBits = n 2^fracBits + f, n <= 0, 0 <= f < 2^fracBits,
 *       with table[f] = round_half_even(2^(f / 2^fracBits) 2^tableBits) (floor shift);</li>
 *   <li>second pass: reciprocal r = floor(2^62 / sum), out = term * r / 2^(62 - outputBits) rounded
 *       half up (one adder: a floor here would bias every output down by up to one LSB).</li>
 * </ol>
 * Outputs are in units of 2^-outputBits. The error against float softmax comes from the fixed-point
 * exponent (relative 2^-fracBits ln2 / 2), the table (2^-tableBits), the floor shifts of small terms
 * and the final rounding (2^-(outputBits+1)); OnlineSoftmaxTest measures it.
 */
public final class OnlineSoftmax {
    private static final double LOG2_E = 1.4426950408889634;

    private OnlineSoftmax() {
    }

    /**
     * @param multiplier {@link TfliteRequant.QuantizedMultiplier} of S log2(e) 2^fracBits (single rounding)
     * @param table      2^fracBits entries of 2^(f / 2^fracBits) in Q1.tableBits
     */
    public record Params(TfliteRequant.QuantizedMultiplier multiplier, int fracBits, int tableBits, int[] table,
                         int outputBits) {
        /** Defaults: 8 fraction bits (a 256-entry table), 16-bit table entries. */
        public static Params forInputScale(double inputScale, int outputBits) {
            return forInputScale(inputScale, 8, 16, outputBits);
        }

        /**
         * @param inputScale S, with S log2(e) 2^fracBits within what TFLite's QuantizeMultiplier
         *                   represents, about [2^-32, 2^30): below it flushes to 0, above it saturates in
         *                   single-rounding mode, and either would silently change every output
         * @param fracBits   0..12
         * @param tableBits  1..30
         * @param outputBits 1..30
         */
        public static Params forInputScale(double inputScale, int fracBits, int tableBits, int outputBits) {
            if (!(inputScale > 0) || Double.isInfinite(inputScale)) {
                throw new IllegalArgumentException("inputScale must be finite and > 0, got " + inputScale);
            }
            if (fracBits < 0 || fracBits > 12) {
                throw new IllegalArgumentException("fracBits must be in 0..12, got " + fracBits);
            }
            if (tableBits < 1 || tableBits > 30) {
                throw new IllegalArgumentException("tableBits must be in 1..30, got " + tableBits);
            }
            if (outputBits < 1 || outputBits > 30) {
                throw new IllegalArgumentException("outputBits must be in 1..30, got " + outputBits);
            }
            int[] table = new int[1 << fracBits];
            for (int f = 0; f < table.length; f++) {
                // a constant table (the RTL generator emits these same entries); StrictMath: the same bits on every JVM
                table[f] = (int) Rounded.toLong(Math.scalb(StrictMath.pow(2.0, Math.scalb((double) f, -fracBits)), tableBits),
                        Rounding.HALF_EVEN);
            }
            double real = Math.scalb(inputScale * LOG2_E, fracBits);
            // the double-rounding form is never clamped: its shift tells whether the single-rounding one saturated
            TfliteRequant.QuantizedMultiplier unclamped = TfliteRequant.quantizeMultiplier(real, TfliteRounding.DOUBLE_ROUNDING);
            if (unclamped.multiplier() == 0 || unclamped.shift() > 30) {
                throw new IllegalArgumentException("inputScale " + inputScale + " with fracBits " + fracBits
                        + ": inputScale * log2(e) * 2^fracBits = " + real + " must be in about [2^-32, 2^30) (TFLite QuantizeMultiplier "
                        + (unclamped.multiplier() == 0 ? "flushes it to 0" : "saturates it") + ")");
            }
            TfliteRequant.QuantizedMultiplier m = TfliteRequant.quantizeMultiplier(real, TfliteRounding.SINGLE_ROUNDING);
            return new Params(m, fracBits, tableBits, table, outputBits);
        }
    }

    /** Softmax of each row of rowLength values; see the class comment. */
    public static int[] softmax(int[] x, int rowLength, Params p) {
        if (rowLength <= 0 || x.length % rowLength != 0) {
            throw new IllegalArgumentException("rowLength must be > 0 and divide x.length " + x.length + ", got " + rowLength);
        }
        int[] out = new int[x.length];
        long[] u = new long[rowLength];
        for (int row = 0; row < x.length; row += rowLength) {
            long max = Long.MIN_VALUE;
            long sum = 0;
            for (int i = 0; i < rowLength; i++) {
                u[i] = scaled(x[row + i], p);
                long integerPart = integerPart(u[i], p);
                if (integerPart > max) {
                    sum = i == 0 ? 0 : rescale(sum, integerPart - max);
                    max = integerPart;
                }
                sum += term(u[i], max, p);
            }
            long reciprocal = reciprocal(sum, 62);
            for (int i = 0; i < rowLength; i++) {
                out[row + i] = (int) normalize(term(u[i], max, p), reciprocal, 62 - p.outputBits());
            }
        }
        return out;
    }

    /** Step 1: u = x S log2(e) 2^fracBits, TFLite's single-rounding fixed-point multiply. */
    public static long scaled(int x, Params p) {
        return TfliteRequant.multiplyByQuantizedMultiplier(x, p.multiplier().multiplier(), p.multiplier().shift(),
                TfliteRounding.SINGLE_ROUNDING);
    }

    /** floor(u / 2^fracBits): the integer exponent that the running maximum tracks. */
    public static long integerPart(long u, Params p) {
        return Rounding.FLOOR.shiftRight(u, p.fracBits());
    }

    /**
     * floor(acc / 2^min(k, 63)): the running sum (and an output accumulator weighted by its terms)
     * when the maximum grows by k.
     */
    public static long rescale(long acc, long k) {
        return Rounded.shiftRight(acc, (int) Math.min(k, 63), Rounding.FLOOR);
    }

    /** floor(2^bits / sum), the one division of a row; sum >= 1 (the max term is table[f] >= 2^tableBits, never shifted). */
    public static long reciprocal(long sum, int bits) {
        if (sum < 1 || bits < 0 || bits > 62) {
            throw new IllegalArgumentException("reciprocal needs sum >= 1 and bits in 0..62, got sum " + sum + ", bits " + bits);
        }
        return Math.floorDiv(1L << bits, sum);
    }

    /**
     * a r / 2^shift rounded half up (one adder: a floor here would bias every output down by up to
     * one LSB); exact for any product, also one wider than a long.
     */
    public static long normalize(long a, long reciprocal, int shift) {
        BigInteger product = BigInteger.valueOf(a).multiply(BigInteger.valueOf(reciprocal));
        if (shift == 0) {
            return product.longValueExact();
        }
        return product.add(BigInteger.valueOf(Rounding.HALF_UP.bias(product.signum(), shift))).shiftRight(shift).longValueExact();
    }

    /** table[f] >> -n for u - max 2^fracBits = n 2^fracBits + f. */
    public static long term(long u, long max, Params p) {
        long d = u - (max << p.fracBits());
        long n = Rounding.FLOOR.shiftRight(d, p.fracBits());
        int f = (int) (d - (n << p.fracBits()));
        return Rounded.shiftRight(p.table()[f], (int) Math.min(-n, 63), Rounding.FLOOR);
    }
}

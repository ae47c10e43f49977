package dev.qforge.numerics;

/**
 * I-BERT's integer softmax (Kim et al. 2021, {@link IntegerTransformer#iSoftmax}) in a streaming
 * form for hardware: one pass keeps a running maximum and a running sum rescaled by a right shift
 * when the maximum grows (as {@link OnlineSoftmax}, FlashAttention's online softmax), a second pass
 * normalizes with one reciprocal per row. The maximum is kept in multiples of I-BERT's
 * c = -x0Int = -floor(-ln2 / S), so exp(c S) ~ 2 and a change of the maximum is a pure shift.
 *
 * <p>Per integer score s (real value s S), with I-BERT's constants for S
 * ({@link IntegerTransformer.SoftmaxParams}: x0Int, bInt, cInt, the 16-bit requantization):
 * <ol>
 *   <li>exponent e = ceil(s / c) and remainder r = s - e c in (-c, 0], so exp(s S) ~ 2^e exp(r S);</li>
 *   <li>mantissa w = I-BERT's 16-bit exponential of r ({@link IntegerTransformer#exp16} at q = 0 of
 *       z = (r + bInt) r + cInt): 2^15 exp(r S) - 1 about, so w is in about [2^14, 2^15);</li>
 *   <li>running max m = max(m, e) (m = e at the first score); when it grows by k the sum is shifted
 *       right by min(k, 63), floor ({@link OnlineSoftmax#rescale});</li>
 *   <li>term = w >> min(m - e, 63), floor: I-BERT's exponential of s - m c with q = m - e
 *       (I-BERT's clamp of q at 30 is moot: its 16-bit value there is 0, as is w >> 30);</li>
 *   <li>second pass, as I-BERT: factor = floor(2^32 / sum), out = floor(term factor / 2^(32 - outputBits)).</li>
 * </ol>
 * Against I-BERT's non-streaming softmax: when every score of a row has the exponent of the row's
 * largest one and that one is a multiple of c (e is the same for all, so q = 0 everywhere and
 * nothing is rescaled), the outputs are identical; otherwise the terms differ by I-BERT's single
 * rounding of z 2^-q against the floor of w 2^-q here, and by the maximum's alignment to c.
 */
public final class IntegerOnlineSoftmax {
    private IntegerOnlineSoftmax() {
    }

    /** c = -x0Int: the score step of one factor of two. */
    public static long step(IntegerTransformer.SoftmaxParams p) {
        return -p.exp().x0Int();
    }

    /** Step 1: e = ceil(s / c). */
    public static long exponent(long s, IntegerTransformer.SoftmaxParams p) {
        return -Math.floorDiv(-s, step(p));
    }

    /** Step 1: r = s - e c, in (-c, 0]. */
    public static long remainder(long s, IntegerTransformer.SoftmaxParams p) {
        return s - exponent(s, p) * step(p);
    }

    /** Step 2: w, the 16-bit exponential of the remainder. */
    public static long mantissa(long s, IntegerTransformer.SoftmaxParams p) {
        return IntegerTransformer.exp16(IntegerTransformer.expPolynomial(remainder(s, p), p.exp()), 0, p);
    }

    /** Step 4: w >> min(max - e, 63) for a running maximum max >= e. */
    public static long term(long s, long max, IntegerTransformer.SoftmaxParams p) {
        long e = exponent(s, p);
        if (e > max) {
            throw new IllegalArgumentException("the running maximum " + max + " is below the score's exponent " + e);
        }
        return OnlineSoftmax.rescale(mantissa(s, p), max - e);
    }

    /** The streaming softmax of each row of rowLength scores, in units of 2^-outputBits (outputBits 1..16). */
    public static int[] softmax(int[] x, int rowLength, IntegerTransformer.SoftmaxParams p) {
        if (rowLength <= 0 || x.length % rowLength != 0) {
            throw new IllegalArgumentException("rowLength must be > 0 and divide x.length " + x.length + ", got " + rowLength);
        }
        int[] out = new int[x.length];
        for (int row = 0; row < x.length; row += rowLength) {
            long max = 0;
            long sum = 0;
            for (int i = 0; i < rowLength; i++) {
                long e = exponent(x[row + i], p);
                if (i == 0 || e > max) {
                    sum = i == 0 ? 0 : OnlineSoftmax.rescale(sum, e - max);
                    max = e;
                }
                sum += term(x[row + i], max, p);
            }
            for (int i = 0; i < rowLength; i++) {
                out[row + i] = (int) IntegerTransformer.normalize(term(x[row + i], max, p), sum, p.outputBits());
            }
        }
        return out;
    }
}

package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;
import dev.qforge.numerics.Slow.Exact;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An independent slow transcription of I-BERT's integer pipeline (HuggingFace transformers
 * models/ibert/quant_modules.py: IntSoftmax.int_exp / forward with QuantAct(16)'s FixedPointMul
 * and batch_frexp, IntGELU.int_erf / forward, IntLayerNorm.forward) in BigInteger arithmetic, in
 * the reference's own order of operations: floor_ste is a floor division, torch.round half to even,
 * torch.sqrt then floor an exact integer square root. Shares no code with {@link IntegerTransformer}.
 *
 * <p>The constant derivations (floor of float64 quotients, as IntegerTransformer documents) are
 * transcribed from the reference's formulas and the float64 arithmetic the code documents, with the
 * floors and frexp done exactly in BigDecimal. Results that leave a long, where the code must throw
 * ArithmeticException, come back as null.
 */
final class SlowIbert {
    private SlowIbert() {
    }

    // IntSoftmax: x0 = -ln 2, const = 30, coef = [0.35815147, 0.96963238, 1.0] with coef[1], coef[2] divided by coef[0]
    private static final double X0 = -0.6931;
    private static final int EXP_CONST = 30;
    private static final double COEF0 = 0.35815147;
    private static final double COEF1 = 0.96963238 / COEF0;
    private static final double COEF2 = 1.0 / COEF0;
    // IntGELU: k = 1.4142, const = 14, coeff = [-0.2888, -1.769, 1] with coeff[2] divided by coeff[0]
    private static final double GELU_K = 1.4142;
    private static final int GELU_CONST = 14;
    private static final double GELU_COEFF0 = -0.2888;
    private static final double GELU_COEFF1 = -1.769;
    private static final double GELU_COEFF2 = 1.0 / GELU_COEFF0;

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private static long floorOf(double v) {
        return Slow.round(new BigDecimal(v), Rounding.FLOOR).longValueExact();
    }

    private static boolean fits(BigInteger v) {
        return v.compareTo(LONG_MIN) >= 0 && v.compareTo(LONG_MAX) <= 0;
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    /** floor(a / b) for any nonzero b. */
    private static BigInteger floorDiv(BigInteger a, BigInteger b) {
        return b.signum() > 0 ? Slow.floorDiv(a, b) : Slow.floorDiv(a.negate(), b.negate());
    }

    /** int_exp's constants {x0_int, b_int, c_int} for scaling factor s. */
    static long[] expConstants(double s) {
        return new long[] {floorOf(X0 / s), floorOf(COEF1 / s), floorOf(COEF2 / (s * s))};
    }

    /** batch_frexp(exp scale / exp16Scale): {m, e} with m = ROUND_HALF_UP(mantissa * 2^31) (decimal), e = 31 - exponent. */
    static long[] requantConstants(double s, double exp16Scale) {
        double expScale = COEF0 * s * s / (1L << EXP_CONST);
        double ratio = expScale / exp16Scale;
        Exact r = Exact.of(ratio);
        int exponent = r.floorLog2() + 1; // numpy frexp: ratio = mantissa * 2^exponent, mantissa in [0.5, 1)
        long m = r.timesPow2(31 - exponent).round(Rounding.HALF_AWAY).longValueExact();
        return new long[] {m, 31 - exponent};
    }

    /**
     * The integer part of int_exp before the clamp at 0: {q, z} with q = floor(x / x0_int) of the clamped x and
     * z = (r + b_int) r + c_int; null beyond a long.
     */
    private static BigInteger[] expPolynomial(long x, long x0Int, long bInt, long cInt) {
        BigInteger xc = big(x).max(big(EXP_CONST).multiply(big(x0Int)));
        BigInteger q = floorDiv(xc, big(x0Int));
        BigInteger r = xc.subtract(big(x0Int).multiply(q));
        BigInteger product = r.add(big(bInt)).multiply(r);
        BigInteger z = product.add(big(cInt));
        return fits(product) && fits(z) ? new BigInteger[] {q, z} : null;
    }

    /** int_exp: clamp(floor(z * 2^(const - q)), min=0); null where the code must throw. */
    static Long iExp(long x, long x0Int, long bInt, long cInt) {
        BigInteger[] qz = expPolynomial(x, x0Int, bInt, cInt);
        if (qz == null) {
            return null;
        }
        BigInteger scaled = qz[1].shiftLeft(EXP_CONST - qz[0].intValueExact()); // q in 0..30: an exact product
        return fits(scaled) ? scaled.max(BigInteger.ZERO).longValueExact() : null;
    }

    /**
     * IntSoftmax.forward per row: x - max, int_exp, FixedPointMul to 16 bits (torch.round(exp * m / 2^e), clamped to
     * int16), factor = floor(2^32 / sum), floor(exp16 * factor / 2^(32 - outputBits)). Null where the code must throw:
     * an exponential times m reaching 2^62 (the documented limit of the exact 64-bit pipeline) or beyond a long.
     */
    static int[] iSoftmax(int[] x, int rowLength, long x0Int, long bInt, long cInt, long multiplier, int shift, int outputBits) {
        int[] out = new int[x.length];
        BigInteger limit = BigInteger.ONE.shiftLeft(62);
        for (int row = 0; row < x.length; row += rowLength) {
            long max = Long.MIN_VALUE;
            for (int i = row; i < row + rowLength; i++) {
                max = Math.max(max, x[i]);
            }
            BigInteger[] exp16 = new BigInteger[rowLength];
            BigInteger sum = BigInteger.ZERO;
            for (int i = 0; i < rowLength; i++) {
                BigInteger[] qz = expPolynomial(x[row + i] - max, x0Int, bInt, cInt);
                if (qz == null) {
                    return null;
                }
                BigInteger z = qz[1];
                BigInteger zm = z.multiply(big(multiplier));
                if (z.signum() > 0 && zm.abs().compareTo(limit) >= 0) {
                    return null;
                }
                int up = EXP_CONST - qz[0].intValueExact();
                BigInteger expInt = z.shiftLeft(up).max(BigInteger.ZERO);
                BigInteger requantized = new Exact(expInt.multiply(big(multiplier)), -shift).round(Rounding.HALF_EVEN);
                if (up - shift >= 0 && !fits(requantized)) {
                    return null; // an integer too wide for the 64-bit pipeline (input scales near 7 and above)
                }
                exp16[i] = Slow.clamp(requantized, -32768, 32767);
                sum = sum.add(exp16[i]);
            }
            if (sum.signum() <= 0) {
                return null;
            }
            BigInteger factor = Slow.floorDiv(BigInteger.ONE.shiftLeft(32), sum);
            for (int i = 0; i < rowLength; i++) {
                out[row + i] = Slow.floorDiv(exp16[i].multiply(factor), BigInteger.ONE.shiftLeft(32 - outputBits)).intValueExact();
            }
        }
        return out;
    }

    /** IntGELU's constants {b_int, c_int, shift_int} for scaling factor s (int_erf runs with s / k). */
    static long[] geluConstants(double s) {
        double erfScale = s / GELU_K;
        double sigmoidScale = erfScale * erfScale * GELU_COEFF0 * (1 << GELU_CONST);
        return new long[] {floorOf(GELU_COEFF1 / erfScale), floorOf(GELU_COEFF2 / (erfScale * erfScale)), floorOf(1.0 / sigmoidScale)};
    }

    /** IntGELU.forward: x * (floor(sign(x) ((min(|x|, -b_int) + b_int)^2 + c_int) / 2^14) + shift_int); null beyond a long. */
    static Long iGelu(int x, long bInt, long cInt, long shiftInt) {
        BigInteger abs = big(Math.abs((long) x)).min(big(bInt).negate());
        BigInteger square = abs.add(big(bInt)).pow(2);
        BigInteger poly = square.add(big(cInt));
        BigInteger y = poly.multiply(big(Long.signum(x)));
        BigInteger sigmoid = Slow.floorDiv(y, BigInteger.ONE.shiftLeft(GELU_CONST));
        BigInteger factor = sigmoid.add(big(shiftInt));
        BigInteger out = big(x).multiply(factor);
        return fits(square) && fits(poly) && fits(factor) && fits(out) ? out.longValueExact() : null;
    }

    /**
     * IntLayerNorm.forward per row: mean = round_half_even(sum / n), y = x - mean, var = sum(floor(y / 2^shift)^2),
     * std = floor(sqrt(var)) 2^shift, factor = floor(2^31 / std) (0 for std = 0, where the reference divides by zero),
     * floor(y * factor / 2) + bias; null where a value leaves a long.
     */
    static long[] layerNorm(int[] x, int rowLength, int shift, long[] biasInt) {
        long[] out = new long[x.length];
        for (int row = 0; row < x.length; row += rowLength) {
            BigInteger sum = BigInteger.ZERO;
            for (int i = row; i < row + rowLength; i++) {
                sum = sum.add(big(x[i]));
            }
            BigInteger mean = Slow.divide(sum, big(rowLength), Rounding.HALF_EVEN);
            BigInteger variance = BigInteger.ZERO;
            for (int i = row; i < row + rowLength; i++) {
                variance = variance.add(Slow.floorDiv(big(x[i]).subtract(mean), BigInteger.ONE.shiftLeft(shift)).pow(2));
            }
            if (!fits(variance)) {
                return null;
            }
            BigInteger std = variance.sqrt().shiftLeft(shift);
            BigInteger factor = std.signum() == 0 ? BigInteger.ZERO : Slow.floorDiv(BigInteger.ONE.shiftLeft(31), std);
            for (int i = 0; i < rowLength; i++) {
                BigInteger product = big(x[row + i]).subtract(mean).multiply(factor);
                BigInteger v = Slow.floorDiv(product, BigInteger.TWO).add(big(biasInt[i]));
                if (!fits(std) || !fits(product) || !fits(v)) {
                    return null;
                }
                out[row + i] = v.longValueExact();
            }
        }
        return out;
    }
}

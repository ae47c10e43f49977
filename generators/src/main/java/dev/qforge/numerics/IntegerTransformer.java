package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;

import java.math.BigInteger;

/**
 * I-BERT integer-only nonlinearities (Kim et al., "I-BERT: Integer-only BERT Quantization",
 * ICML 2021), bit-exact with the integer pipeline of its reference code (HuggingFace transformers
 * models/ibert/quant_modules.py: IntSoftmax, IntGELU, IntLayerNorm).
 *
 * <p>Each function splits, as the paper does, into constants derived once from the real input
 * scale (the {@code *Params} records, computed here in float64; the PyTorch code derives them in
 * float32, which can move a floor by one in rare cases) and a run-time part that is pure integer
 * arithmetic: floor division ({@code Math.floorDiv}, {@link Rounding#FLOOR} shifts), exact integer
 * square root, exact products (overflow throws ArithmeticException). Where the PyTorch code holds
 * integers in float64 (the 16-bit requantization of the exponentials multiplies two ~31-bit
 * integers), this computes the exact integer result that integer hardware produces.
 */
public final class IntegerTransformer {
    /** I-BERT's x0 = -ln 2 (rounded as in the reference). */
    private static final double X0 = -0.6931;
    /** I-BERT's exponent headroom constant: exponentials are scaled by 2^30, inputs clamped at 30 * x0. */
    private static final int EXP_CONST = 30;
    /** exp(r) on (-ln2, 0] ~ a (r + b)^2 + c, written as a (r^2 + (b/a) r + c/a) in the reference. */
    private static final double EXP_A = 0.35815147;
    private static final double EXP_B = 0.96963238 / EXP_A;
    private static final double EXP_C = 1.0 / EXP_A;
    /** i-GELU: erf(x) ~ sign(x) [a (min(|x|, -b) + b)^2 + 1] with x scaled by 1/k, k ~ sqrt(2). */
    private static final double GELU_K = 1.4142;
    private static final double GELU_A = -0.2888;
    private static final double GELU_B = -1.769;
    private static final double GELU_C = 1.0 / GELU_A;
    private static final int GELU_CONST = 14;

    private IntegerTransformer() {
    }

    /**
     * i-exp constants for input scale S: x0Int = floor(x0 / S), bInt = floor((b/a) / S),
     * cInt = floor((c/a) / S^2); the result scale is a S^2 / 2^30.
     */
    public record ExpParams(double inputScale, long x0Int, long bInt, long cInt) {
        public ExpParams {
            if (x0Int >= 0 || x0Int < Long.MIN_VALUE / EXP_CONST) {
                throw new IllegalArgumentException("x0Int must be in " + Long.MIN_VALUE / EXP_CONST + "..-1, got " + x0Int);
            }
        }

        public static ExpParams forInputScale(double inputScale) {
            requireScale(inputScale);
            return new ExpParams(inputScale, floor(X0 / inputScale, "x0Int", inputScale),
                    floor(EXP_B / inputScale, "bInt", inputScale), floor(EXP_C / (inputScale * inputScale), "cInt", inputScale));
        }

        /** The real value of one unit of {@link #iExp}'s result. */
        public double outputScale() {
            return EXP_A * inputScale * inputScale / (1L << EXP_CONST);
        }
    }

    /**
     * i-softmax constants: the i-exp constants, the 16-bit requantization of the exponentials as
     * I-BERT's QuantAct(16) / FixedPointMul does it (ratio = exp scale / exp16Scale decomposed by
     * batch_frexp: multiplier = round-half-away(mantissa * 2^31), shift = 31 - exponent), and the
     * output width (I-BERT: 8; the output scale is 2^-outputBits).
     */
    public record SoftmaxParams(ExpParams exp, long requantMultiplier, int requantShift, int outputBits) {
        public SoftmaxParams {
            if (requantMultiplier < 0) {
                throw new IllegalArgumentException("requantMultiplier must be >= 0, got " + requantMultiplier);
            }
            if (outputBits < 1 || outputBits > 16) {
                throw new IllegalArgumentException("outputBits must be in 1..16, got " + outputBits);
            }
        }

        /**
         * @param exp16Scale the scale of the 16-bit exponentials; I-BERT calibrates it as
         *                   max|exp| / (2^15 - 1), and since exp(x - max) peaks at 1, 1 / 32767 is the natural
         *                   value ({@link #forInputScale(double, int)})
         */
        public static SoftmaxParams forInputScale(double inputScale, double exp16Scale, int outputBits) {
            requireScale(exp16Scale);
            ExpParams exp = ExpParams.forInputScale(inputScale);
            double ratio = exp.outputScale() / exp16Scale;
            int frexpExponent = Rounded.floorLog2(ratio) + 1;
            long multiplier = Rounded.toLong(Rounded.significand(ratio), Rounded.exponent(ratio) + 31 - frexpExponent,
                    Rounding.HALF_AWAY);
            return new SoftmaxParams(exp, multiplier, 31 - frexpExponent, outputBits);
        }

        /** With the exponentials' 16-bit scale 1 / 32767 (their calibrated range [0, 1]). */
        public static SoftmaxParams forInputScale(double inputScale, int outputBits) {
            return forInputScale(inputScale, 1.0 / 32767, outputBits);
        }
    }

    /**
     * i-GELU constants for input scale S (IntGELU.int_erf with scale S / k): bInt = floor(b / S'),
     * cInt = floor((1/a) / S'^2), the sigmoid scale a S'^2 2^14, shiftInt = floor(1 / sigmoid scale);
     * the result scale is S * sigmoid scale / 2. I-BERT applies it to int32 matmul outputs with
     * small scales: the fixed 2^14 pre-shift leaves the erf term with about 0.3 / S^2 / 2^14 levels,
     * so S must be well below 0.01 for a useful result.
     */
    public record GeluParams(double inputScale, long bInt, long cInt, long shiftInt) {
        public static GeluParams forInputScale(double inputScale) {
            requireScale(inputScale);
            double erfScale = inputScale / GELU_K;
            return new GeluParams(inputScale, floor(GELU_B / erfScale, "bInt", inputScale),
                    floor(GELU_C / (erfScale * erfScale), "cInt", inputScale),
                    floor(1.0 / sigmoidScale(inputScale), "shiftInt", inputScale));
        }

        /** The real value of one unit of {@link #iGelu}'s result. */
        public double outputScale() {
            return inputScale * sigmoidScale(inputScale) / 2;
        }

        /** The scale of the floored erf term: a (S / k)^2 2^14. */
        private static double sigmoidScale(double inputScale) {
            double erfScale = inputScale / GELU_K;
            return erfScale * erfScale * GELU_A * (1 << GELU_CONST);
        }
    }

    private static void requireScale(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        }
    }

    /** Whether floor(v) is a long (false for NaN). */
    private static boolean fitsLong(double v) {
        return Math.abs(v) < 0x1p63;
    }

    /** floor(v) for the constant name derived from inputScale; a constant beyond a long means the scale is out of range. */
    private static long floor(double v, String name, double inputScale) {
        if (!fitsLong(v)) {
            throw new IllegalArgumentException("inputScale " + inputScale + " is out of range: the constant " + name + " = " + v
                    + " does not fit a long");
        }
        return Rounded.toLong(v, Rounding.FLOOR);
    }

    /** I-BERT int_exp's quotient q = floor(max(x, 30 x0Int) / x0Int), in 0..30. */
    private static long expQuotient(long x, ExpParams p) {
        return Math.floorDiv(Math.max(x, EXP_CONST * p.x0Int()), p.x0Int());
    }

    /** I-BERT int_polynomial of the remainder r = max(x, 30 x0Int) - x0Int q. */
    private static long expPolynomial(long x, long q, ExpParams p) {
        return expPolynomial(Math.max(x, EXP_CONST * p.x0Int()) - p.x0Int() * q, p);
    }

    /**
     * I-BERT int_polynomial: z = (r + bInt) r + cInt for a remainder r in (x0Int, 0], exp(r S) in
     * units of {@link ExpParams#outputScale()} 2^30 (z rises with r: at most cInt, at r = 0).
     */
    public static long expPolynomial(long r, ExpParams p) {
        if (r > 0 || r <= p.x0Int()) {
            throw new IllegalArgumentException("r must be in (x0Int, 0] = (" + p.x0Int() + ", 0], got " + r);
        }
        return Math.addExact(Math.multiplyExact(r + p.bInt(), r), p.cInt());
    }

    /**
     * I-BERT's 16-bit exponential of z 2^(30 - q) (IntSoftmax's QuantAct(16)): saturate_int16(
     * round_half_even(z 2^(30 - q) multiplier / 2^shift)), exact for any z (iSoftmax's own form
     * stops at |z multiplier| < 2^62).
     */
    public static long exp16(long z, int q, SoftmaxParams p) {
        BigInteger product = BigInteger.valueOf(z).multiply(BigInteger.valueOf(p.requantMultiplier()));
        int shift = p.requantShift() - (EXP_CONST - q);
        long rounded = shift >= 0 ? Rounded.shiftRight(product, shift, Rounding.HALF_EVEN)
                : product.shiftLeft(-shift).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        return IntFormat.INT16.saturate(rounded);
    }

    private static void requireNonPositive(long x, String name) {
        if (x > 0) {
            throw new IllegalArgumentException(name + " must be <= 0 (a max-subtracted input), got " + x);
        }
    }

    /**
     * i-exp (IntSoftmax.int_exp): exp(x S) ~ 2^-q exp(r S) with x = q x0Int + r, the polynomial for
     * exp(r S), then max(floor(z 2^(30 - q)), 0), in units of {@link ExpParams#outputScale()}.
     *
     * @param x a max-subtracted input, <= 0
     */
    public static long iExp(long x, ExpParams p) {
        requireNonPositive(x, "x");
        long q = expQuotient(x, p);
        return Math.max(Math.multiplyExact(expPolynomial(x, q, p), 1L << (EXP_CONST - q)), 0);
    }

    /**
     * i-softmax (IntSoftmax.forward) over each row of rowLength values: subtract the row max, i-exp,
     * requantize the exponentials to 16 bits (round half to even of exp * multiplier / 2^shift, as
     * torch.round, clamped to int16), factor = floor(2^32 / sum), out = floor(exp16 * factor /
     * 2^(32 - outputBits)). Outputs are in units of 2^-outputBits and can reach 2^outputBits.
     * The exponential times the multiplier is formed as z * multiplier * 2^(30 - q), exact while
     * |z * multiplier| < 2^62 (input scales above about 3e-5).
     *
     * @throws ArithmeticException if z * multiplier leaves that range
     */
    public static int[] iSoftmax(int[] x, int rowLength, SoftmaxParams p) {
        requireRows(x.length, rowLength);
        int[] out = new int[x.length];
        long[] exp16 = new long[rowLength];
        for (int row = 0; row < x.length; row += rowLength) {
            long max = Long.MIN_VALUE;
            for (int i = row; i < row + rowLength; i++) {
                max = Math.max(max, x[i]);
            }
            long sum = 0;
            for (int i = 0; i < rowLength; i++) {
                long d = x[row + i] - max;
                long q = expQuotient(d, p.exp());
                long z = expPolynomial(d, q, p.exp());
                long scaled = z <= 0 ? 0 : Rounded.toLong(Rounded.productBelow2To62(z, p.requantMultiplier(),
                        "i-softmax exponential times the 16-bit requantization multiplier (input scale too small)"),
                        (int) (EXP_CONST - q) - p.requantShift(), Rounding.HALF_EVEN);
                exp16[i] = IntFormat.INT16.saturate(scaled);
                sum += exp16[i];
            }
            if (sum <= 0) {
                throw new ArithmeticException("the 16-bit exponentials of row " + row / rowLength + " sum to " + sum);
            }
            for (int i = 0; i < rowLength; i++) {
                out[row + i] = (int) normalize(exp16[i], sum, p.outputBits());
            }
        }
        return out;
    }

    /** i-softmax's division: factor = floor(2^32 / sum), out = floor(exp16 factor / 2^(32 - outputBits)); 0 <= exp16 <= sum. */
    public static long normalize(long exp16, long sum, int outputBits) {
        if (sum <= 0 || exp16 < 0 || exp16 > sum) {
            throw new IllegalArgumentException("normalize needs 0 <= exp16 <= sum, sum > 0, got " + exp16 + " of " + sum);
        }
        return (exp16 * Math.floorDiv(1L << 32, sum)) >> (32 - outputBits);
    }

    /**
     * i-GELU (IntGELU.forward): erf via the clipped second-order polynomial, floor(y / 2^14), then
     * x * (erf + shiftInt), in units of {@link GeluParams#outputScale()}.
     */
    public static long[] iGelu(int[] x, GeluParams p) {
        long[] out = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            long abs = Math.min(Math.abs((long) x[i]), -p.bInt());
            long erf = Long.signum(x[i]) * Math.addExact(Math.multiplyExact(abs + p.bInt(), abs + p.bInt()), p.cInt());
            long sigmoid = Rounding.FLOOR.shiftRight(erf, GELU_CONST);
            out[i] = Math.multiplyExact((long) x[i], Math.addExact(sigmoid, p.shiftInt()));
        }
        return out;
    }

    /**
     * Exact floor(sqrt(n)) by I-BERT's Algorithm 1 (integer Newton iteration from
     * 2^ceil(bits(n) / 2), stopping when the iterate no longer decreases).
     */
    public static long isqrt(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        if (n == 0) {
            return 0;
        }
        int bits = 64 - Long.numberOfLeadingZeros(n);
        long x = 1L << ((bits + 1) / 2);
        while (true) {
            long next = (x + n / x) / 2; // non-negative operands: / is floor
            if (next >= x) {
                return x;
            }
            x = next;
        }
    }

    /**
     * Integer LayerNorm (IntLayerNorm.forward, inference) over each row of rowLength values:
     * mean = round_half_even(sum / n) (torch.round of the mean), y = x - mean,
     * var = sum(floor(y / 2^shift)^2), std = isqrt(var) * 2^shift, factor = floor(2^31 / std),
     * out = floor(y * factor / 2) + biasInt[channel]. The output scale of channel c is
     * {@link #layerNormOutputScale}. A zero std (a constant row) gives factor 0, so the row
     * normalizes to 0 (the reference divides by zero there).
     *
     * @param shift   I-BERT's calibrated variance pre-shift (0 for none)
     * @param biasInt rowLength values from {@link #layerNormBias}
     */
    public static long[] layerNorm(int[] x, int rowLength, int shift, long[] biasInt) {
        requireRows(x.length, rowLength);
        if (biasInt.length != rowLength) {
            throw new IllegalArgumentException("biasInt.length must be rowLength " + rowLength + ", got " + biasInt.length);
        }
        if (shift < 0 || shift > 31) {
            throw new IllegalArgumentException("shift must be in 0..31, got " + shift);
        }
        long[] out = new long[x.length];
        for (int row = 0; row < x.length; row += rowLength) {
            long sum = 0;
            for (int i = row; i < row + rowLength; i++) {
                sum += x[i];
            }
            long mean = Rounded.divide(sum, rowLength, Rounding.HALF_EVEN);
            long variance = 0;
            for (int i = row; i < row + rowLength; i++) {
                long shifted = Rounding.FLOOR.shiftRight(x[i] - mean, shift);
                variance = Math.addExact(variance, Math.multiplyExact(shifted, shifted));
            }
            long std = Math.multiplyExact(isqrt(variance), 1L << shift);
            long factor = std == 0 ? 0 : Math.floorDiv(1L << 31, std);
            for (int i = 0; i < rowLength; i++) {
                long y = x[row + i] - mean;
                out[row + i] = Math.addExact(Rounding.FLOOR.shiftRight(Math.multiplyExact(y, factor), 1), biasInt[i]);
            }
        }
        return out;
    }

    /** The per-channel integer bias of {@link #layerNorm}: floor((bias / weight) / (sqrt(n) / 2^30)). */
    public static long[] layerNormBias(double[] weight, double[] bias) {
        if (weight.length != bias.length || weight.length == 0) {
            throw new IllegalArgumentException("weight and bias must have the same nonzero length, got " + weight.length
                    + " and " + bias.length);
        }
        long[] out = new long[weight.length];
        for (int c = 0; c < out.length; c++) {
            if (weight[c] == 0 || !Double.isFinite(weight[c])) {
                throw new IllegalArgumentException("weight[" + c + "] must be finite and nonzero, got " + weight[c]);
            }
            double v = bias[c] / weight[c] / layerNormOutputScale(1.0, weight.length);
            if (!fitsLong(v)) {
                throw new IllegalArgumentException("bias[" + c + "] / weight[" + c + "] = " + bias[c] / weight[c]
                        + " is out of range: the integer bias does not fit a long");
            }
            out[c] = Rounded.toLong(v, Rounding.FLOOR);
        }
        return out;
    }

    /** The real value of one unit of {@link #layerNorm}'s output in a channel of the given weight: weight * sqrt(n) / 2^30. */
    public static double layerNormOutputScale(double weight, int rowLength) {
        return StrictMath.sqrt(rowLength) / (1L << 30) * weight;
    }

    private static void requireRows(int length, int rowLength) {
        if (rowLength <= 0 || length % rowLength != 0) {
            throw new IllegalArgumentException("rowLength must be > 0 and divide the input length " + length + ", got "
                    + rowLength);
        }
    }
}

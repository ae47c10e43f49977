package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;

/**
 * TFLite integer requantization, bit-exact with tensorflow/lite/kernels/internal/common.h,
 * common.cc and quantization_util.cc, and gemmlowp/fixedpoint/fixedpoint.h, in both
 * {@link TfliteRounding} modes. Where TFLite relies on C++ signed overflow (undefined behaviour)
 * these throw {@link ArithmeticException} instead.
 */
public final class TfliteRequant {
    private TfliteRequant() {
    }

    /** How {@link #saturatingRoundingDoublingHighMul} rounds a*b / 2^31. */
    public static final Rounding HIGH_MUL_ROUNDING = Rounding.HALF_UP;
    /** How {@link #roundingDivideByPOT} rounds. */
    public static final Rounding DIVIDE_BY_POT_ROUNDING = Rounding.HALF_AWAY;
    /** How {@link TfliteRounding#SINGLE_ROUNDING} rounds x * multiplier / 2^(31 - shift). */
    public static final Rounding SINGLE_ROUNDING_MODE = Rounding.HALF_UP;

    /** A real multiplier as multiplier * 2^(shift - 31), multiplier in [2^30, 2^31) or 0. */
    public record QuantizedMultiplier(int multiplier, int shift) {
    }

    /** Fused activation functions (TfLiteFusedActivation) with a quantized clamp. */
    public enum Activation {
        NONE, RELU, RELU_N1_TO_1, RELU6
    }

    /**
     * The integer parameters of a quantized fully connected layer, as TFLite's FullyConnectedParams
     * (tensorflow/lite/kernels/internal/types.h): offsets are the negated input and filter zero
     * points and the output zero point.
     */
    public record FullyConnectedParams(int inputOffset, int weightsOffset, int outputOffset, int outputMultiplier,
                                       int outputShift, int quantizedActivationMin, int quantizedActivationMax,
                                       TfliteRounding rounding) {
    }

    /**
     * TFLite QuantizeMultiplier (quantization_util.cc): frexp(real) = q * 2^shift with q in [0.5, 1),
     * multiplier = round-half-away(q * 2^31) (TfLiteRound); a multiplier of 2^31 becomes 2^30 with
     * shift + 1; shift < -31 flushes to (0, 0); in {@link TfliteRounding#SINGLE_ROUNDING} a shift
     * above 30 saturates to (2^31 - 1, 30). The double-rounding shift is not bounded above (3e9 gives
     * shift 32); {@link #multiplyByQuantizedMultiplier} then only accepts x for which x * 2^shift fits.
     *
     * @param realMultiplier finite and >= 0 (TFLite only uses non-negative multipliers)
     */
    public static QuantizedMultiplier quantizeMultiplier(double realMultiplier, TfliteRounding mode) {
        if (!(realMultiplier >= 0) || Double.isInfinite(realMultiplier)) {
            throw new IllegalArgumentException("realMultiplier must be finite and >= 0, got " + realMultiplier);
        }
        if (realMultiplier == 0) {
            return new QuantizedMultiplier(0, 0);
        }
        int shift = Rounded.floorLog2(realMultiplier) + 1; // frexp's exponent
        long q = Rounded.toLong(Rounded.significand(realMultiplier), Rounded.exponent(realMultiplier) - shift + 31,
                Rounding.HALF_AWAY);
        if (q == 1L << 31) {
            q /= 2;
            shift++;
        }
        if (shift < -31) {
            return new QuantizedMultiplier(0, 0);
        }
        if (mode == TfliteRounding.SINGLE_ROUNDING && shift > 30) {
            return new QuantizedMultiplier(Integer.MAX_VALUE, 30);
        }
        return new QuantizedMultiplier((int) q, shift);
    }

    /**
     * gemmlowp SaturatingRoundingDoublingHighMul (fixedpoint.h): the high 32 bits of 2*a*b, rounded;
     * (INT32_MIN, INT32_MIN) saturates to INT32_MAX. gemmlowp adds a nudge of 2^30 (or 1 - 2^30 for a
     * negative product) and divides by 2^31 truncating; that is exactly ties toward +inf, so this is
     * {@link Rounding#HALF_UP} of a*b / 2^31 (e.g. -0.5 -> 0, 0.5 -> 1, -1.5 -> -1).
     */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        return (int) HIGH_MUL_ROUNDING.shiftRight((long) a * b, 31);
    }

    /**
     * gemmlowp RoundingDivideByPOT (fixedpoint.h): x / 2^exponent rounded to nearest, ties away from
     * zero (mask/threshold form), i.e. {@link Rounding#HALF_AWAY}.
     *
     * @param exponent 0..31
     */
    public static int roundingDivideByPOT(int x, int exponent) {
        if (exponent < 0 || exponent > 31) {
            throw new IllegalArgumentException("exponent must be in 0..31, got " + exponent);
        }
        return (int) DIVIDE_BY_POT_ROUNDING.shiftRight(x, exponent);
    }

    /**
     * TFLite MultiplyByQuantizedMultiplier (common.h / common.cc): x * multiplier * 2^(shift - 31).
     * <ul>
     *   <li>DOUBLE_ROUNDING: RoundingDivideByPOT(SRDHM(x * 2^max(shift, 0), multiplier), max(-shift, 0));
     *       shift >= -31. TFLite computes x * 2^shift in int32 without a check; here it must fit.</li>
     *   <li>SINGLE_ROUNDING: (x * multiplier + 2^(total - 1)) >> total with total = 31 - shift, i.e.
     *       {@link Rounding#HALF_UP}; shift in -31..30 and the result must fit int32 (TFLite DCHECKs).</li>
     * </ul>
     *
     * @param multiplier 0..2^31-1, as produced by {@link #quantizeMultiplier}
     * @throws ArithmeticException if an intermediate or the result leaves int32
     */
    public static int multiplyByQuantizedMultiplier(int x, int multiplier, int shift, TfliteRounding mode) {
        if (multiplier < 0) {
            throw new IllegalArgumentException("multiplier must be >= 0, got " + multiplier);
        }
        if (mode == TfliteRounding.DOUBLE_ROUNDING) {
            if (shift < -31) {
                throw new IllegalArgumentException("shift must be >= -31 in DOUBLE_ROUNDING, got " + shift);
            }
            int leftShift = Math.max(shift, 0);
            long shifted = x == 0 ? 0 : (long) x << Math.min(leftShift, 32);
            if (shifted != (int) shifted) {
                throw new ArithmeticException("x * 2^" + leftShift + " overflows int32, x=" + x);
            }
            return roundingDivideByPOT(saturatingRoundingDoublingHighMul((int) shifted, multiplier), Math.max(-shift, 0));
        }
        if (shift < -31 || shift > 30) {
            throw new IllegalArgumentException("shift must be in -31..30 in SINGLE_ROUNDING, got " + shift);
        }
        long result = SINGLE_ROUNDING_MODE.shiftRight((long) x * multiplier, 31 - shift);
        if (result != (int) result) {
            throw new ArithmeticException("result " + result + " overflows int32, x=" + x + " multiplier=" + multiplier
                    + " shift=" + shift);
        }
        return (int) result;
    }

    /**
     * The quantized clamp of an activation, as CalculateActivationRangeQuantized (kernel_util.cc):
     * a real bound f maps to zeroPoint + round-half-away(f / scale), f / scale in float32 like TFLite,
     * intersected with the format's range.
     *
     * @return {min, max}
     */
    public static int[] activationRange(Activation activation, float scale, int zeroPoint, IntFormat format) {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        }
        format.requireInRange(zeroPoint, "zeroPoint"); // else the range's min could pass its max
        long qmin = format.min();
        long qmax = format.max();
        long lo = switch (activation) {
            case NONE -> qmin;
            case RELU, RELU6 -> Math.max(qmin, quantizeBound(0.0f, scale, zeroPoint));
            case RELU_N1_TO_1 -> Math.max(qmin, quantizeBound(-1.0f, scale, zeroPoint));
        };
        long hi = switch (activation) {
            case NONE, RELU -> qmax;
            case RELU6 -> Math.min(qmax, quantizeBound(6.0f, scale, zeroPoint));
            case RELU_N1_TO_1 -> Math.min(qmax, quantizeBound(1.0f, scale, zeroPoint));
        };
        return new int[] {(int) lo, (int) hi};
    }

    private static long quantizeBound(float f, float scale, int zeroPoint) {
        return zeroPoint + Rounded.toLong((double) (f / scale), Rounding.HALF_AWAY);
    }

    /**
     * The output stage shared by TFLite's quantized kernels: MultiplyByQuantizedMultiplier, add the
     * output offset, clamp to the activation range.
     */
    public static int requantize(long acc, FullyConnectedParams p) {
        if (acc != (int) acc) {
            throw new ArithmeticException("accumulator " + acc + " overflows int32 (TFLite's accumulator type)");
        }
        int scaled = multiplyByQuantizedMultiplier((int) acc, p.outputMultiplier(), p.outputShift(), p.rounding());
        int withOffset = Math.addExact(scaled, p.outputOffset());
        return Math.max(p.quantizedActivationMin(), Math.min(p.quantizedActivationMax(), withOffset));
    }

    /**
     * Folds an input zero point into the bias, so that an engine computing sum_d filter * input (no
     * zero point) followed by {@link #requantize} gives TFLite's fully connected result:
     * bias'[o] = bias[o] - inputZeroPoint * sum_d filter[o][d], wrapped to int32.
     *
     * <p>Exact: sum_d filter * (input - zp) + bias and sum_d filter * input + bias' are equal modulo
     * 2^32, and the requantizer's input is that sum wrapped to int32 (TFLite's int32 add, and
     * {@link #requantize}'s), so the two agree whenever TFLite's own
     * int32 accumulator does not overflow, which TFLite requires. The product sum the hardware adds
     * bias' to must itself be exact (a GEMM engine's derived accumulator width is) or wrap to int32.
     *
     * @param bias           outputDepth int32 values, or null for none
     * @param filter         outputDepth x depth values, row-major, as {@link #fullyConnected}'s
     * @param inputZeroPoint the input tensor's zero point (TFLite's input_offset is its negation)
     * @return outputDepth int32 values
     */
    public static int[] foldInputZeroPoint(int[] bias, int[] filter, int outputDepth, int inputZeroPoint) {
        if (outputDepth <= 0 || filter.length % outputDepth != 0) {
            throw new IllegalArgumentException("outputDepth must be > 0 and divide filter.length " + filter.length + ", got "
                    + outputDepth);
        }
        if (bias != null && bias.length != outputDepth) {
            throw new IllegalArgumentException("bias.length must be outputDepth " + outputDepth + ", got " + bias.length);
        }
        int depth = filter.length / outputDepth;
        int[] folded = new int[outputDepth];
        for (int o = 0; o < outputDepth; o++) {
            long sum = 0; // |filter| < 2^31 and depth < 2^31: exact in a long
            for (int d = 0; d < depth; d++) {
                sum += filter[o * depth + d];
            }
            // int32 arithmetic wraps, as TFLite's accumulator would: only the value modulo 2^32 matters
            folded[o] = (bias == null ? 0 : bias[o]) - inputZeroPoint * (int) sum;
        }
        return folded;
    }

    /**
     * int8 fully connected, bit-exact with TFLite reference_integer_ops::FullyConnected
     * (kernels/internal/reference/integer_ops/fully_connected.h): for each batch b and output unit o,
     * acc = sum_d (filter[o][d] + weightsOffset) * (input[b][d] + inputOffset) + bias[o], then
     * {@link #requantize}. The int32 accumulator of TFLite must not overflow (checked here). The
     * offsets are negated int8 zero points (-128..127) and the output offset and activation range are
     * int8 values, as for an int8 model.
     *
     * @param input  batches x depth int8 values, row-major
     * @param filter outputDepth x depth int8 values, row-major
     * @param bias   outputDepth int32 values, or null
     * @return batches x outputDepth int8 values, row-major
     */
    public static int[] fullyConnected(FullyConnectedParams params, int[] input, int batches, int[] filter, int outputDepth,
                                       int[] bias) {
        if (batches <= 0 || input.length % batches != 0) {
            throw new IllegalArgumentException("batches must be > 0 and divide input.length " + input.length + ", got " + batches);
        }
        int depth = input.length / batches;
        if (outputDepth <= 0 || filter.length != Sizes.product(outputDepth, depth, "outputDepth * depth")) {
            throw new IllegalArgumentException("filter.length must be outputDepth * depth = " + outputDepth + " * " + depth
                    + ", got " + filter.length);
        }
        if (bias != null && bias.length != outputDepth) {
            throw new IllegalArgumentException("bias.length must be " + outputDepth + ", got " + bias.length);
        }
        IntFormat.INT8.requireInRange(-(long) params.inputOffset(), "-params.inputOffset (the input zero point)");
        IntFormat.INT8.requireInRange(-(long) params.weightsOffset(), "-params.weightsOffset (the filter zero point)");
        IntFormat.INT8.requireInRange(params.outputOffset(), "params.outputOffset (the output zero point)");
        IntFormat.INT8.requireInRange(params.quantizedActivationMin(), "params.quantizedActivationMin");
        IntFormat.INT8.requireInRange(params.quantizedActivationMax(), "params.quantizedActivationMax");
        if (params.quantizedActivationMin() > params.quantizedActivationMax()) {
            throw new IllegalArgumentException("params.quantizedActivationMin " + params.quantizedActivationMin()
                    + " must be <= params.quantizedActivationMax " + params.quantizedActivationMax());
        }
        IntFormat.INT8.requireAllInRange(input, "input");
        IntFormat.INT8.requireAllInRange(filter, "filter");
        int[] output = new int[Sizes.product(batches, outputDepth, "batches * outputDepth")];
        for (int b = 0; b < batches; b++) {
            for (int o = 0; o < outputDepth; o++) {
                long acc = bias == null ? 0 : bias[o];
                for (int d = 0; d < depth; d++) {
                    // each factor is in -256..255: no overflow of the long sum for any depth
                    acc += ((long) filter[o * depth + d] + params.weightsOffset()) * ((long) input[b * depth + d] + params.inputOffset());
                }
                output[b * outputDepth + o] = requantize(acc, params);
            }
        }
        return output;
    }
}

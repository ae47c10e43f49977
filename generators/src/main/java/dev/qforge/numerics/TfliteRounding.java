package dev.qforge.numerics;

/**
 * The two rounding behaviours of TFLite's MultiplyByQuantizedMultiplier, selected in TFLite at
 * build time by the {@code TFLITE_SINGLE_ROUNDING} macro (tensorflow/lite/kernels/internal/common.h
 * and common.cc). Here it is always an explicit argument; {@link #DEFAULT} is what a default TFLite
 * build does.
 */
public enum TfliteRounding {
    /**
     * gemmlowp style: SaturatingRoundingDoublingHighMul (ties toward +inf) and then
     * RoundingDivideByPOT (ties away from zero): two roundings. TFLite's default.
     */
    DOUBLE_ROUNDING,
    /**
     * {@code (x * M + 2^(total-1)) >> total} with total = 31 - shift: one rounding, ties toward +inf;
     * shift limited to -31..30.
     */
    SINGLE_ROUNDING;

    /** TFLite built without TFLITE_SINGLE_ROUNDING. */
    public static final TfliteRounding DEFAULT = DOUBLE_ROUNDING;
}

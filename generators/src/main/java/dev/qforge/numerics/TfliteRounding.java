package dev.qforge.numerics;

/**
 * The two rounding behaviours of TFLite's MultiplyByQuantizedMultiplier, selected in TFLite at
 * build time by the {@code TFLITE_SINGLE_ROUNDING} macro (tensorflow/lite/kernels/internal/common.h
 * and common.cc). Here it is always an explicit argument; {@link #DEFAULT} is what TFLite 2.21 as
 * it ships computes. Each mode has the option name it goes by ({@code requant=tflite|gemmlowp}),
 * named after what it matches, and its old name as an accepted alias.
 */
public enum TfliteRounding {
    /**
     * gemmlowp style: SaturatingRoundingDoublingHighMul (ties toward +inf) and then
     * RoundingDivideByPOT (ties away from zero): two roundings. TFLite built without
     * TFLITE_SINGLE_ROUNDING (its source before the switch, and gemmlowp); not what the 2.21
     * wheels compute.
     */
    DOUBLE_ROUNDING("gemmlowp", "double",
            "double rounding, as gemmlowp and TFLite built without TFLITE_SINGLE_ROUNDING; not TFLite 2.21 as it ships"),
    /**
     * {@code (x * M + 2^(total-1)) >> total} with total = 31 - shift: one rounding, ties toward +inf;
     * shift limited to -31..30. What TFLite 2.21's int8 FullyConnected computes: every output of the
     * committed TFLite 2.21 vectors (generators/src/test/resources/conformance, made by
     * scripts/conformance/make_vectors.py) follows it, including every one where the two roundings differ.
     */
    SINGLE_ROUNDING("tflite", "single",
            "single rounding, as TFLite 2.21 ships (TFLITE_SINGLE_ROUNDING; checked against the committed TFLite 2.21 vectors)");

    /** What TFLite 2.21 as it ships computes (its int8 FullyConnected, reference and default kernels). */
    public static final TfliteRounding DEFAULT = SINGLE_ROUNDING;

    private final String optionName;
    private final String alias;
    private final String matches;

    TfliteRounding(String optionName, String alias, String matches) {
        this.optionName = optionName;
        this.alias = alias;
        this.matches = matches;
    }

    /** The name an option value uses: {@code tflite} or {@code gemmlowp}. */
    public String optionName() {
        return optionName;
    }

    /** Which framework (and version) the mode matches, and how that is known, for port tables and reports. */
    public String matches() {
        return matches;
    }

    /** The mode's old option name, still accepted: {@code single} or {@code double}. */
    public String alias() {
        return alias;
    }
}

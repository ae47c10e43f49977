package dev.qforge.generators.dequant;

import dev.qforge.numerics.IntFormat;
import dev.qforge.numerics.MxElementType;

/**
 * A dequant unit's code format: a grouped integer (GPTQ/AWQ-style weights, a per-group scale and
 * optional zero point), an OCP MX v1.0 element type (blocks of 32 sharing an E8M0 scale), or
 * block floating point ({@link dev.qforge.numerics.Bfp}: n-bit mantissas, its width a parameter of
 * the config, sharing an E8M0 exponent), or BFP with outliers ({@link dev.qforge.numerics.OutlierBfp}:
 * BFP inliers plus k 8-bit outliers per block, each with its index and the outliers' own E8M0
 * exponent). A grouped format has {@code integer}, MX has {@code mx}, BFP neither.
 */
public enum Element {
    INT4("int4", IntFormat.INT4, null),
    UINT4("uint4", IntFormat.UINT4, null),
    INT2("int2", IntFormat.signed(2), null),
    UINT2("uint2", IntFormat.unsigned(2), null),
    MXFP8_E4M3("mxfp8_e4m3", null, MxElementType.FP8_E4M3),
    MXFP8_E5M2("mxfp8_e5m2", null, MxElementType.FP8_E5M2),
    MXFP6_E3M2("mxfp6_e3m2", null, MxElementType.FP6_E3M2),
    MXFP6_E2M3("mxfp6_e2m3", null, MxElementType.FP6_E2M3),
    MXFP4("mxfp4", null, MxElementType.FP4_E2M1),
    MXINT8("mxint8", null, MxElementType.INT8),
    BFP("bfp", null, null),
    BFP_OUTLIER("bfp_outlier", null, null);

    private final String optionName;
    private final IntFormat integer;
    private final MxElementType mx;

    Element(String optionName, IntFormat integer, MxElementType mx) {
        this.optionName = optionName;
        this.integer = integer;
        this.mx = mx;
    }

    /** The {@code --format} value. */
    public String optionName() {
        return optionName;
    }

    /** The integer format of a grouped format, or null for MX. */
    public IntFormat integer() {
        return integer;
    }

    /** The MX element type, or null for a grouped integer format. */
    public MxElementType mx() {
        return mx;
    }

    public boolean isMx() {
        return mx != null;
    }

    /** Whether blocks share an E8M0 scale (MX and BFP) rather than a grouped integer's scale and zero point. */
    public boolean isBlockScaled() {
        return integer == null;
    }

    /** Whether codes are BFP mantissas whose width is the config's mantissaBits (BFP, and the inliers of BFP_OUTLIER). */
    public boolean isBfp() {
        return this == BFP || this == BFP_OUTLIER;
    }

    /** Whether some code is a NaN or an infinity (MXFP8 only). */
    public boolean hasSpecialCodes() {
        return mx != null && mx.hasNaN(); // the types with infinities have NaNs too
    }
}

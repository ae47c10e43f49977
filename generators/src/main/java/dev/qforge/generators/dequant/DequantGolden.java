package dev.qforge.generators.dequant;

import dev.qforge.numerics.Bfp;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.OutlierBfp;

/**
 * What a {@link Dequantizer} computes, lane by lane, through numerics: the exact value
 * {@code element(code) * scale} (grouped integers: {@code (q - zeroPoint) * scale}; BFP: numerics'
 * {@link Bfp#decode}), a product of
 * two short binary values and so exact in a double, IEEE 754 special cases included (a NaN scale
 * gives NaN, an infinite scale times 0 gives NaN, -0 keeps its sign); then either one
 * {@link BinaryFloat#encode} (round to nearest even) into the output format, or, for fixed
 * output, the exact integer {@code value / 2^fixedExponent}.
 */
public final class DequantGolden {
    private DequantGolden() { }

    /** The exact value of a scale's bits (E8M0: 2^(byte - 127), NaN for 0xFF; S16: the signed integer / 2^scaleFrac). */
    public static double scaleValue(DequantConfig cfg, long scaleBits) {
        return switch (cfg.scale()) {
            case BF16, FP16 -> cfg.scale().binaryFloat().decode(scaleBits);
            case E8M0 -> Mx.scaleValue((int) scaleBits);
            case S16 -> Math.scalb((double) (short) scaleBits, -cfg.scaleFrac());
        };
    }

    /** The exact value of one code of a group with the given scale and zero point (zero point ignored without one). */
    public static double value(DequantConfig cfg, int code, long scaleBits, int zeroPoint) {
        if (cfg.element() == Element.BFP_OUTLIER) {
            throw new IllegalArgumentException("a bfp_outlier value depends on its index and its group's outliers: use outlierLane");
        }
        if (cfg.element() == Element.BFP) {
            return Bfp.decode(new Bfp.Blocks(cfg.mantissaBits(), 1, new int[] {(int) scaleBits},
                    new int[] {(int) cfg.integer().wrap(code)}))[0];
        }
        if (cfg.element().isMx()) {
            return cfg.element().mx().decode(code) * scaleValue(cfg, scaleBits);
        }
        long q = cfg.integer().wrap(code) - (cfg.zeroPoint() ? cfg.integer().wrap(zeroPoint) : 0);
        return q * scaleValue(cfg, scaleBits); // a small integer times a short binary value: exact
    }

    /**
     * One output lane of {@link Element#BFP_OUTLIER}: element {@code index} of its group (0..groupSize-1),
     * {@link OutlierBfp#element} rounded once into the output format; {@code scaleBits} is the inliers' E8M0 byte.
     */
    public static long outlierLane(DequantConfig cfg, int index, int code, long scaleBits, OutlierBfp.Outliers outliers) {
        return cfg.out().encode(OutlierBfp.element(cfg.mantissaBits(), index, (int) cfg.integer().wrap(code), (int) scaleBits, outliers));
    }

    /** One output lane: the output format's bits, or the signed fixed-point integer (see {@link #fixedExponent}). */
    public static long lane(DequantConfig cfg, int code, long scaleBits, int zeroPoint) {
        double v = value(cfg, code, scaleBits, zeroPoint);
        if (cfg.out() != null) {
            return cfg.out().encode(v);
        }
        if (fixedNaN(cfg, scaleBits)) {
            return 0;
        }
        return (long) Math.scalb(v, -fixedExponent(cfg, scaleBits)); // exact: v is a multiple of 2^fixedExponent
    }

    /** Fixed output: lane value = lane * 2^fixedExponent, the scale's quantum times the element's smallest quantum. */
    public static int fixedExponent(DequantConfig cfg, long scaleBits) {
        int scaleQuantum = switch (cfg.scale()) {
            case BF16, FP16 -> cfg.scale().binaryFloat().quantumExponent(scaleBits);
            case E8M0 -> (int) scaleBits - Mx.SCALE_BIAS;
            case S16 -> -cfg.scaleFrac();
        };
        return scaleQuantum + cfg.minExponent();
    }

    /** Fixed output: whether the scale is not a finite number (a NaN or infinite float, the E8M0 NaN); the lanes are then 0. */
    public static boolean fixedNaN(DequantConfig cfg, long scaleBits) {
        return !Double.isFinite(scaleValue(cfg, scaleBits));
    }

    /** Code {@code lane} of a packed word: lane i in bits [i * bits, i * bits + bits), the GPTQ order (little end first). */
    public static int unpack(java.math.BigInteger word, int bits, int lane) {
        return word.shiftRight(lane * bits).intValue() & ((1 << bits) - 1);
    }
}

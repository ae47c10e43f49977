package dev.qforge.generators.dequant;

import dev.qforge.generators.InvalidParameter;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.IntFormat;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.PackOrder;

/**
 * One dequant unit: {@code lanes} codes of {@code element} per beat, groups (MX: blocks) of
 * {@code groupSize} consecutive codes sharing one scale (and, for grouped integers, optionally one
 * zero point), results as exact fixed point or one binary float each.
 *
 * @param scaleFrac    fraction bits of an {@link Scale#S16} scale (ignored for the others)
 * @param out          the output's binary float format, or null for exact fixed point
 * @param mantissaBits a {@link Element#BFP} mantissa's width, 2..{@value #MAX_BFP_BITS} (ignored for the others)
 * @param order        how {@code in_codes} packs the codes of a 32-bit word: {@link PackOrder#GPTQ} (groups
 *                     run along the lanes of consecutive beats), or {@link PackOrder#AWQ} (int4/uint4 only:
 *                     AutoAWQ's interleaved nibbles; each lane is an output column with its own scale and
 *                     zero point, and a group is {@code groupSize} consecutive beats)
 * @param outliers     outliers per block of {@link Element#BFP_OUTLIER}, 1..{@value #MAX_OUTLIERS} (0 for the others)
 */
public record DequantConfig(Element element, int lanes, int groupSize, Scale scale, int scaleFrac, boolean zeroPoint,
                            BinaryFloat out, int mantissaBits, PackOrder order, int outliers) {
    public static final int MAX_LANES = 64;
    public static final int MAX_GROUP = 256;
    public static final int MAX_BFP_BITS = 16;
    public static final int MAX_OUTLIERS = 4;

    /** A config in the GPTQ order without outliers (the formats other than {@link Element#BFP_OUTLIER}). */
    public DequantConfig(Element element, int lanes, int groupSize, Scale scale, int scaleFrac, boolean zeroPoint,
                         BinaryFloat out, int mantissaBits) {
        this(element, lanes, groupSize, scale, scaleFrac, zeroPoint, out, mantissaBits, PackOrder.GPTQ, 0);
    }

    /** How a group's scale is stored. */
    public enum Scale {
        BF16(16), FP16(16), S16(16), E8M0(8);

        private final int bits;

        Scale(int bits) {
            this.bits = bits;
        }

        public int bits() {
            return bits;
        }

        /** The binary float format of BF16 and FP16 scales, else null. */
        public BinaryFloat binaryFloat() {
            return this == BF16 ? BinaryFloat.BF16 : this == FP16 ? BinaryFloat.FP16 : null;
        }
    }

    public DequantConfig {
        if (lanes < 1 || lanes > MAX_LANES || Integer.bitCount(lanes) != 1) {
            throw new InvalidParameter("lanes", "must be a power of two in 1.." + MAX_LANES + ", got " + lanes);
        }
        if (element.isBfp() && (mantissaBits < 2 || mantissaBits > MAX_BFP_BITS)) {
            throw new InvalidParameter("mantissaBits", "must be in 2.." + MAX_BFP_BITS + " for " + element.optionName() + ", got " + mantissaBits);
        }
        if (element.isMx() && groupSize != Mx.BLOCK_SIZE) {
            throw new InvalidParameter("groupSize", "must be " + Mx.BLOCK_SIZE + " for " + element.optionName()
                    + " (the only MX v1.0 block size), got " + groupSize);
        }
        if (element.isBlockScaled()) {
            if (scale != Scale.E8M0) {
                throw new InvalidParameter("scale", "of " + element.optionName() + " is its E8M0 block scale, got " + scale);
            }
            if (zeroPoint) {
                throw new InvalidParameter("zeroPoint", "does not exist in block-scaled formats (" + element.optionName() + ")");
            }
        } else if (scale == Scale.E8M0) {
            throw new InvalidParameter("scale", "e8m0 belongs to MX and BFP; " + element.optionName() + " takes bf16, fp16 or s16");
        }
        if (groupSize < 2 || groupSize > MAX_GROUP || Integer.bitCount(groupSize) != 1) {
            throw new InvalidParameter("groupSize", "must be a power of two in 2.." + MAX_GROUP + ", got " + groupSize);
        }
        if (scaleFrac < 0 || scaleFrac > 15) {
            throw new InvalidParameter("scaleFrac", "must be in 0..15, got " + scaleFrac);
        }
        if (order == null) {
            throw new InvalidParameter("order", "must be gptq or awq, got null");
        }
        if (element == Element.BFP_OUTLIER) {
            if (outliers < 1 || outliers > MAX_OUTLIERS || outliers >= groupSize) {
                throw new InvalidParameter("outliers", "must be in 1.." + Math.min(MAX_OUTLIERS, groupSize - 1)
                        + " (fewer than the group of " + groupSize + "), got " + outliers);
            }
            if (out == null) {
                throw new InvalidParameter("out", "fixed has one exponent per group, but bfp_outlier's outliers and inliers carry "
                        + "two; use bf16, fp16 or fp32");
            }
        } else if (outliers != 0) {
            throw new InvalidParameter("outliers", "apply only to bfp_outlier, got " + outliers + " for " + element.optionName());
        }
        if (order == PackOrder.AWQ) {
            if (element.integer() == null || element.integer().bits() != 4) {
                throw new InvalidParameter("order", "awq packs only 4-bit codes (int4, uint4), got " + element.optionName());
            }
            if (lanes < 8) {
                throw new InvalidParameter("lanes", "must be at least 8 (one 32-bit word of codes) in the awq order, got " + lanes);
            }
        }
        if (out == null && element.hasSpecialCodes()) {
            throw new InvalidParameter("out", "fixed cannot carry the NaN and infinity codes of " + element.optionName()
                    + "; use bf16, fp16 or fp32");
        }
    }

    /** Bits per code. */
    public int codeBits() {
        return element.isMx() ? element.mx().bits() : integer().bits();
    }

    /** The integer format of a grouped or BFP code (BFP: a signed mantissa; BFP_OUTLIER: an inlier's), null for MX. */
    public IntFormat integer() {
        return element.isBfp() ? IntFormat.signed(mantissaBits) : element.integer();
    }

    /** log2 of a code's smallest quantum before scaling: MX's, BFP's 2 - n, 0 for grouped integers. */
    public int minExponent() {
        return element.isMx() ? element.mx().minExponent() : element.isBfp() ? 2 - mantissaBits : 0;
    }

    /** Scales (and zero points) per beat: one per group a beat touches (AWQ order: one per lane). */
    public int scalesPerBeat() {
        return order == PackOrder.AWQ ? lanes : Math.max(1, lanes / groupSize);
    }

    /** Beats sharing one scale: the scale ports are read on the first of them. */
    public int beatsPerGroup() {
        return order == PackOrder.AWQ ? groupSize : Math.max(1, groupSize / lanes);
    }

    /** The scale (and zero point) port of lane i: its group's, or in the AWQ order its own. */
    public int scaleIndex(int lane) {
        return order == PackOrder.AWQ ? lane : lane / Math.min(lanes, groupSize);
    }

    /** Where lane i's code begins in {@code in_codes}: bit i * b, or in the AWQ order its nibble of its 32-bit word. */
    public int codeOffset(int lane) {
        return order == PackOrder.AWQ ? order.bitOffset(lane, codeBits()) : lane * codeBits();
    }

    /** Bits of a BFP_OUTLIER slot's index: the position in a group. */
    public int outlierIndexBits() {
        return Integer.numberOfTrailingZeros(groupSize);
    }

    /** Whether the fixed output has a runtime exponent and NaN flag per scale (every scale but s16). */
    public boolean fixedHasExponent() {
        return out == null && scale != Scale.S16;
    }
}

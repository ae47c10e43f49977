package dev.qforge.generators.quantize;

import dev.qforge.generators.InvalidParameter;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.Binary32Blocks;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.MxElementType;

/**
 * One quantize unit: the output format, its block size, the lanes per beat and the input format.
 *
 * @param format    an MX element type, or BFP
 * @param blockSize elements sharing a scale: 32 for MX, a power of two up to {@link #MAX_BLOCK} for BFP
 * @param lanes     elements per beat, a power of two dividing blockSize
 * @param input     the bit patterns taken on each lane
 */
public record QuantizeConfig(Format format, int blockSize, int lanes, Input input) {
    /** Largest BFP block. */
    public static final int MAX_BLOCK = 256;

    /**
     * The input values: IEEE binary32 or bfloat16 bit patterns. Both decode exactly to the real
     * values the numerics rules take (bf16 is binary32's top half), and both are what an
     * activation stream of an LLM carries.
     */
    public enum Input {
        FP32(BinaryFloat.FP32), BF16(BinaryFloat.BF16);

        private final BinaryFloat format;

        Input(BinaryFloat format) {
            this.format = format;
        }

        /** The binary format of the patterns: numerics' one decoding rule for them. */
        public BinaryFloat format() {
            return format;
        }

        public int bits() {
            return format.bits();
        }

        public String optionName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * An output format: an OCP MX element type ({@code mx} set), or n-bit BFP mantissas
     * ({@code mx} null, {@code bfpBits} = n).
     */
    public record Format(MxElementType mx, int bfpBits) {
        public static Format mx(MxElementType type) {
            return new Format(type, 0);
        }

        public static Format bfp(int mantissaBits) {
            Binary32Blocks.Element.bfp(mantissaBits); // checks the width
            return new Format(null, mantissaBits);
        }

        public boolean isMx() {
            return mx != null;
        }

        /** The element as the integer formulation of the conversion sees it. */
        public Binary32Blocks.Element element() {
            return isMx() ? Binary32Blocks.Element.of(mx) : Binary32Blocks.Element.bfp(bfpBits);
        }

        /** As the options spell it: mxint8, mxfp8_e4m3, ..., or bfp8 for 8-bit BFP. */
        public String optionName() {
            if (!isMx()) {
                return "bfp" + bfpBits;
            }
            return "mx" + mx.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public QuantizeConfig {
        if (format.isMx() && blockSize != Mx.BLOCK_SIZE) {
            throw new InvalidParameter("blockSize", "is " + Mx.BLOCK_SIZE + " for every MX format (OCP MX v1.0), got " + blockSize);
        }
        if (blockSize < 1 || blockSize > MAX_BLOCK || Integer.bitCount(blockSize) != 1) {
            throw new InvalidParameter("blockSize", "must be a power of two in 1.." + MAX_BLOCK + ", got " + blockSize);
        }
        if (lanes < 1 || lanes > blockSize || Integer.bitCount(lanes) != 1) {
            throw new InvalidParameter("lanes", "must be a power of two in 1.." + blockSize + " (the block size), got " + lanes);
        }
    }

    /** Beats per block. */
    public int beatsPerBlock() {
        return blockSize / lanes;
    }

    /** Code width. */
    public int codeBits() {
        return format.element().bits();
    }

    /** The module name: every parameter, e.g. {@code Quantize_mxfp8_e4m3_fp32_l8} or {@code Quantize_bfp8_b16_bf16_l4}. */
    public String moduleName() {
        return "Quantize_" + format.optionName() + (format.isMx() ? "" : "_b" + blockSize) + "_" + input.optionName() + "_l" + lanes;
    }
}

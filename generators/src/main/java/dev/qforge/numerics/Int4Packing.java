package dev.qforge.numerics;

/**
 * int4 / uint4 tensors packed two elements per byte, element 2i in the low nibble and 2i+1 in
 * the high nibble of byte i; an odd count leaves the last high nibble 0. This is the ONNX layout
 * (onnx.ai IR "4 bit integer types": "the first element is stored in the 4 LSB").
 */
public final class Int4Packing {
    private Int4Packing() {
    }

    /**
     * Packs values (each in format's range) into ceil(n/2) bytes.
     *
     * @param format {@link IntFormat#INT4} or {@link IntFormat#UINT4}
     */
    public static byte[] pack(int[] values, IntFormat format) {
        requireNibble(format);
        format.requireAllInRange(values, "values");
        byte[] packed = new byte[values.length / 2 + values.length % 2];
        for (int i = 0; i < values.length; i++) {
            packed[i >> 1] |= (byte) ((values[i] & 0xF) << ((i & 1) * 4));
        }
        return packed;
    }

    /** The first count elements of a packed tensor, sign-extended for INT4. */
    public static int[] unpack(byte[] packed, int count, IntFormat format) {
        requireNibble(format);
        if (count < 0 || count > 2 * packed.length) {
            throw new IllegalArgumentException("count must be in 0.." + 2 * packed.length + ", got " + count);
        }
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = (int) format.wrap((packed[i >> 1] >> ((i & 1) * 4)) & 0xF);
        }
        return values;
    }

    private static void requireNibble(IntFormat format) {
        if (format.bits() != 4) {
            throw new IllegalArgumentException("format must be int4 or uint4, got " + format);
        }
    }
}

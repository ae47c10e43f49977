package com.example.dequant;

import dev.qforge.dsl.Rounding;
import dev.qforge.numerics.FixedPoint;
import dev.qforge.numerics.Int4Packing;
import dev.qforge.numerics.IntFormat;

import java.util.ArrayList;
import java.util.List;

/** What {@link GroupDequantizer} delivers, beat by beat, with qforge's int4 packing and fixed-point rules. */
public final class GroupDequantizerGolden {
    private GroupDequantizerGolden() {
    }

    /**
     * The out beats for groups with these scales (raw, scaleFrac fraction bits) and these codes
     * beats (groupSize / lanes per group): value_0 .. value_{lanes-1} (raw, scaleFrac fraction
     * bits), then last as 0 or 1.
     */
    public static List<long[]> dequantize(long[] scales, long[] codeBeats, int lanes, int groupSize, int scaleBits, int scaleFrac) {
        int beatsPerGroup = groupSize / lanes;
        IntFormat valueFormat = IntFormat.signed(scaleBits + 4);
        List<long[]> out = new ArrayList<>();
        for (int b = 0; b < codeBeats.length; b++) {
            long scale = scales[b / beatsPerGroup];
            int[] codes = Int4Packing.unpack(littleEndian(codeBeats[b], lanes), lanes, IntFormat.INT4);
            long[] beat = new long[lanes + 1];
            for (int i = 0; i < lanes; i++) {
                // exact: the product keeps the scale's fraction bits and always fits scaleBits + 4 bits
                beat[i] = FixedPoint.multiply(codes[i], 0, scale, scaleFrac, scaleFrac, valueFormat, Rounding.HALF_EVEN, IntFormat.Overflow.WRAP);
            }
            beat[lanes] = b % beatsPerGroup == beatsPerGroup - 1 ? 1 : 0;
            out.add(beat);
        }
        return out;
    }

    /** The bytes of a codes beat, lowest first: lanes 2i and 2i+1 share byte i. */
    private static byte[] littleEndian(long word, int lanes) {
        byte[] bytes = new byte[(lanes + 1) / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (word >>> (8 * i));
        }
        return bytes;
    }
}

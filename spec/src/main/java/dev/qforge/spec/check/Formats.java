package dev.qforge.spec.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numeric formats as users write them, and their storage cost: {@code int8}, {@code uint4},
 * {@code bf16}, {@code mxfp4} (OCP MX: 32 elements share an 8-bit scale), {@code sfix(16, 12)},
 * and grouped integers {@code int4 group 128 scale bf16} (one scale per group).
 */
public final class Formats {
    /** Named formats and their bits per element before any shared scale. */
    private static final Map<String, Integer> NAMED = Map.ofEntries(Map.entry("bf16", 16), Map.entry("fp16", 16), Map.entry("fp32", 32),
            Map.entry("mxfp8_e4m3", 8), Map.entry("mxfp8_e5m2", 8), Map.entry("mxfp6_e3m2", 6), Map.entry("mxfp6_e2m3", 6),
            Map.entry("mxfp4", 4), Map.entry("mxint8", 8));
    /** OCP MX v1.0: a block of 32 elements shares one E8M0 scale. */
    private static final int MX_BLOCK = 32;
    private static final int MX_SCALE_BITS = 8;
    private static final Pattern INT = Pattern.compile("(u?)int([0-9]+)");
    /** Fixed point as the checker writes it back: sfix(width, fraction bits). */
    private static final Pattern FIX = Pattern.compile("[su]fix\\(([0-9]+), ([0-9]+)\\)");

    private Formats() { }

    /** Every spelling, for "did you mean" (intN and uintN as int8, int4, uint8, uint4). */
    public static List<String> spellings() {
        List<String> s = new ArrayList<>(List.of("int2", "int4", "int8", "int16", "int32", "uint4", "uint8", "sfix", "ufix"));
        s.addAll(NAMED.keySet().stream().sorted().toList());
        return s;
    }

    /** Bits per element of a format ({@code int8}, {@code mxfp4}, {@code sfix(16, 12)}), or -1 when it is none. */
    public static double bitsPerElement(String name) {
        Matcher m = INT.matcher(name);
        if (m.matches()) {
            int bits = Integer.parseInt(m.group(2));
            return bits >= 1 && bits <= 64 ? bits : -1;
        }
        Matcher fix = FIX.matcher(name);
        if (fix.matches()) {
            int width = Integer.parseInt(fix.group(1));
            return width >= 1 && width <= 64 && Integer.parseInt(fix.group(2)) <= width ? width : -1;
        }
        Integer bits = NAMED.get(name);
        if (bits == null) {
            return -1;
        }
        return name.startsWith("mx") ? bits + (double) MX_SCALE_BITS / MX_BLOCK : bits;
    }

    /** Bits per element of {@code int4 group G scale S}: the element and its share of the scale. */
    public static double groupedBits(double elementBits, long group, double scaleBits) {
        return elementBits + scaleBits / group;
    }
}

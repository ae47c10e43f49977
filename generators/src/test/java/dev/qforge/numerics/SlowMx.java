package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;
import dev.qforge.numerics.Slow.Exact;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An independent slow implementation of OCP Microscaling Formats (MX) v1.0 conversion, written
 * from the spec: element values are enumerated from the bit fields of section 5.3 (value =
 * (-1)^S 2^(E - bias) (1 + F / 2^M), subnormal (-1)^S 2^(1 - bias) (F / 2^M); MXINT8 a two's
 * complement byte times 2^-6), a real value goes to the nearest element value found by search with
 * ties to the even code (round to nearest even), and the shared E8M0 exponent is
 * floor(log2(max |V_i|)) - emax_elem (section 6.3). Exact BigInteger arithmetic throughout; it
 * shares no code with {@link Mx} or {@link MxElementType} (the enum is only a key).
 *
 * <p>The conventions where the spec leaves a choice are the ones {@link Mx} documents: saturation
 * to the largest normal, MXINT8 saturating symmetrically to +-127/64, a NaN or infinity in a block
 * (or an exponent above 127) giving the NaN scale 0xFF with all codes 0, exponents clamped below at
 * -127, an all-zero block taking max = 2^-126, NaN encoding to 0x7F, the sign of zero kept.
 */
final class SlowMx {
    private SlowMx() {
    }

    /** OCP MX v1.0 section 5.3: a type's bit fields and which top codes are special. */
    private record Layout(int bits, int exponentBits, int mantissaBits, int bias, boolean hasInfinity, boolean hasNaN) {
        boolean isInteger() {
            return exponentBits == 0;
        }
    }

    private static Layout layout(MxElementType t) {
        return switch (t) {
            case INT8 -> new Layout(8, 0, 6, 0, false, false); // 6: the fraction bits of MXINT8's 2^-6 scale
            case FP8_E4M3 -> new Layout(8, 4, 3, 7, false, true);
            case FP8_E5M2 -> new Layout(8, 5, 2, 15, true, true);
            case FP6_E3M2 -> new Layout(6, 3, 2, 3, false, false);
            case FP6_E2M3 -> new Layout(6, 2, 3, 1, false, false);
            case FP4_E2M1 -> new Layout(4, 2, 1, 1, false, false);
        };
    }

    /** A type's non-negative finite values, indexed by magnitude code, as multiples of its smallest quantum. */
    private record Grid(Layout layout, int unitExponent, long[] units, int emax) {
    }

    private static final Map<MxElementType, Grid> GRIDS = new EnumMap<>(MxElementType.class);

    static {
        for (MxElementType t : MxElementType.values()) {
            Layout l = layout(t);
            int unitExponent = l.isInteger() ? -l.mantissaBits() : 1 - l.bias() - l.mantissaBits();
            List<Long> units = new ArrayList<>();
            int positiveCodes = l.isInteger() ? 128 : 1 << (l.bits() - 1);
            for (int code = 0; code < positiveCodes; code++) {
                Exact v = value(l, code);
                if (v == null) {
                    break; // the specials are the top codes
                }
                units.add(v.timesPow2(-unitExponent).round(Rounding.TOWARD_ZERO).longValueExact());
            }
            long[] u = units.stream().mapToLong(Long::longValue).toArray();
            for (int i = 1; i < u.length; i++) {
                if (u[i] <= u[i - 1]) {
                    throw new AssertionError(t + ": values must increase with the code");
                }
            }
            int emax = Exact.of(u[u.length - 1], unitExponent).floorLog2();
            GRIDS.put(t, new Grid(l, unitExponent, u, emax));
        }
    }

    /** The exact value of a code read by the spec's formula; null for NaN and infinities. */
    private static Exact value(Layout l, int code) {
        if (l.isInteger()) {
            return Exact.of((byte) code, -l.mantissaBits());
        }
        int sign = code >> (l.bits() - 1) & 1;
        int e = code >> l.mantissaBits() & ((1 << l.exponentBits()) - 1);
        int f = code & ((1 << l.mantissaBits()) - 1);
        int eMax = (1 << l.exponentBits()) - 1;
        if (l.hasInfinity() && e == eMax) {
            return null; // E5M2: S.11111.00 infinity, S.11111.{01, 10, 11} NaN
        }
        if (l.hasNaN() && !l.hasInfinity() && e == eMax && f == (1 << l.mantissaBits()) - 1) {
            return null; // E4M3: S.1111.111 NaN
        }
        Exact magnitude = e == 0
                ? Exact.of(f, 1 - l.bias() - l.mantissaBits())
                : Exact.of((1L << l.mantissaBits()) + f, e - l.bias() - l.mantissaBits());
        return sign == 1 ? magnitude.negate() : magnitude;
    }

    /** The exact value of a finite code, null for NaN and infinities. */
    static Exact value(MxElementType t, int code) {
        return value(GRIDS.get(t).layout(), code);
    }

    /** Whether a code's sign bit is set (FP types; MXINT8 negatives). */
    static boolean isNegative(MxElementType t, int code) {
        return (code >> (GRIDS.get(t).layout().bits() - 1) & 1) == 1;
    }

    /** emax_elem: the exponent of the largest normal. */
    static int emax(MxElementType t) {
        return GRIDS.get(t).emax();
    }

    /** The spacing exponent of adjacent codes' values at the bottom of the range (the subnormal quantum). */
    static int unitExponent(MxElementType t) {
        return GRIDS.get(t).unitExponent();
    }

    /** The magnitudes of the non-negative finite values, in units of 2^unitExponent. */
    static long[] units(MxElementType t) {
        return GRIDS.get(t).units().clone();
    }

    /**
     * The code of v / 2^x: round to nearest, ties to the even code, saturate to the largest normal;
     * NaN is 0x7F (types with NaN; IllegalArgumentException otherwise), infinities the E5M2 infinity
     * codes or the largest normal.
     */
    static int encode(MxElementType t, double v, int x) {
        Grid g = GRIDS.get(t);
        if (Double.isNaN(v)) {
            if (!g.layout().hasNaN()) {
                throw new IllegalArgumentException("no NaN in " + t);
            }
            return 0x7F;
        }
        if (Double.isInfinite(v)) {
            return withSign(g.layout(), g.layout().hasInfinity() ? 0x7C : g.units().length - 1, v < 0);
        }
        return encode(g, Exact.of(Math.abs(v)), v < 0 || 1 / v < 0, x); // -0.0 keeps its sign
    }

    private static int encode(Grid g, Exact magnitude, boolean negative, int x) {
        return withSign(g.layout(), nearest(g, magnitude.timesPow2(-x - g.unitExponent())), negative);
    }

    private static int withSign(Layout l, int magnitudeCode, boolean negative) {
        if (l.isInteger()) {
            return negative ? -magnitudeCode & 0xFF : magnitudeCode;
        }
        return negative ? magnitudeCode | 1 << (l.bits() - 1) : magnitudeCode;
    }

    /** The magnitude code nearest to u >= 0 (in units), ties to the even code, saturating. */
    private static int nearest(Grid g, Exact u) {
        long[] units = g.units();
        int last = units.length - 1;
        BigInteger floor = u.round(Rounding.FLOOR);
        if (floor.compareTo(BigInteger.valueOf(units[last])) >= 0) {
            return last;
        }
        int i = Arrays.binarySearch(units, floor.longValueExact());
        i = i >= 0 ? i : -i - 2; // units[i] <= floor(u) <= u < units[i + 1]
        int c = u.timesPow2(1).compareTo(Exact.of(units[i] + units[i + 1], 0));
        return c < 0 ? i : c > 0 ? i + 1 : (i % 2 == 0 ? i : i + 1);
    }

    /** E8M0 scale bytes and element codes of a converted tensor. */
    record Blocks(int[] scales, int[] codes) {
    }

    /** OCP MX v1.0 section 6.3 conversion of v in blocks of blockSize (the last one may be short). */
    static Blocks quantize(double[] v, MxElementType t, int blockSize) {
        int blocks = (v.length + blockSize - 1) / blockSize;
        int[] scales = new int[blocks];
        int[] codes = new int[v.length];
        for (int j = 0; j < blocks; j++) {
            int from = j * blockSize;
            int to = Math.min(v.length, from + blockSize);
            scales[j] = 0xFF;
            Exact amax = Exact.ZERO;
            Exact[] magnitudes = new Exact[to - from];
            boolean special = false;
            for (int i = from; i < to && !special; i++) {
                special = !Double.isFinite(v[i]);
                magnitudes[i - from] = special ? null : Exact.of(Math.abs(v[i]));
                amax = special || magnitudes[i - from].compareTo(amax) <= 0 ? amax : magnitudes[i - from];
            }
            int x = (amax.signum() == 0 ? -126 : amax.floorLog2()) - emax(t);
            if (special || x > 127) {
                continue; // NaN scale, codes 0
            }
            x = Math.max(x, -127);
            scales[j] = x + 127;
            for (int i = from; i < to; i++) {
                codes[i] = encode(GRIDS.get(t), magnitudes[i - from], v[i] < 0 || 1 / v[i] < 0, x);
            }
        }
        return new Blocks(scales, codes);
    }
}

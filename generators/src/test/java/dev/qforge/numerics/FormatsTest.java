package dev.qforge.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qforge.dsl.Rounding;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** IntFormat, Int4Packing and GroupedQuant. */
class FormatsTest {
    @Test
    void intFormatRangesSaturateAndWrap() {
        assertEquals(-8, IntFormat.INT4.min());
        assertEquals(7, IntFormat.INT4.max());
        assertEquals(15, IntFormat.UINT4.max());
        assertEquals(-2, IntFormat.signed(2).min());
        assertEquals(4294967295L, IntFormat.unsigned(32).max());
        assertEquals(Integer.MIN_VALUE, IntFormat.INT32.min());
        assertEquals(127, IntFormat.INT8.saturate(1000));
        assertEquals(-128, IntFormat.INT8.saturate(-1000));
        assertEquals(-128, IntFormat.INT8.wrap(128));
        assertEquals(-1, IntFormat.INT8.wrap(255));
        assertEquals(1, IntFormat.UINT8.wrap(257));
        assertEquals(255, IntFormat.UINT8.wrap(-1));
        assertEquals(Integer.MIN_VALUE, IntFormat.INT32.wrap(1L << 31));
        assertEquals(3, IntFormat.INT4.narrow(19, IntFormat.Overflow.WRAP));
        assertEquals(7, IntFormat.INT4.narrow(19, IntFormat.Overflow.SATURATE));
        assertThrows(IllegalArgumentException.class, () -> IntFormat.signed(1));
        assertThrows(IllegalArgumentException.class, () -> IntFormat.unsigned(33));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IntFormat.INT8.requireInRange(200, "w"));
        assertTrue(e.getMessage().contains("w") && e.getMessage().contains("200"), e.getMessage());
    }

    @Test
    void intFormatQuantizeRoundsThenAddsZeroPointThenSaturates() {
        assertEquals(130, IntFormat.UINT8.quantize(2.5, Rounding.HALF_EVEN, 128));
        assertEquals(131, IntFormat.UINT8.quantize(2.5, Rounding.HALF_AWAY, 128));
        // a zero point past the long range's edge saturates like any other; it wrapped to min() before
        assertEquals(127, IntFormat.INT8.quantize(100, Rounding.HALF_EVEN, Long.MAX_VALUE));
        assertEquals(-128, IntFormat.INT8.quantize(-100, Rounding.HALF_EVEN, Long.MIN_VALUE));
        assertEquals(255, IntFormat.UINT8.quantize(Double.POSITIVE_INFINITY, Rounding.HALF_EVEN, 0));
        assertEquals(-128, IntFormat.INT8.quantize(-1e300, Rounding.HALF_EVEN, 5));
    }

    @Test
    void int4PackingLowNibbleFirst() {
        byte[] packed = Int4Packing.pack(new int[] {1, -2, 7}, IntFormat.INT4);
        assertArrayEquals(new byte[] {(byte) 0xE1, 0x07}, packed);
        assertArrayEquals(new int[] {1, -2, 7}, Int4Packing.unpack(packed, 3, IntFormat.INT4));
        assertArrayEquals(new byte[] {(byte) 0xF0}, Int4Packing.pack(new int[] {0, 15}, IntFormat.UINT4));
        assertArrayEquals(new int[] {0, 15}, Int4Packing.unpack(new byte[] {(byte) 0xF0}, 2, IntFormat.UINT4));
        Random r = new Random(7);
        for (IntFormat f : new IntFormat[] {IntFormat.INT4, IntFormat.UINT4}) {
            int[] v = new int[101];
            for (int i = 0; i < v.length; i++) {
                v[i] = (int) (f.min() + r.nextInt(16));
            }
            assertArrayEquals(v, Int4Packing.unpack(Int4Packing.pack(v, f), v.length, f));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Int4Packing.pack(new int[] {1, 8}, IntFormat.INT4));
        assertTrue(e.getMessage().contains("values[1]") && e.getMessage().contains("8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Int4Packing.pack(new int[] {1}, IntFormat.INT8));
    }

    @Test
    void groupedQuantMinMaxRule() {
        // one uint4 group of 32: values 0..3.1 step 0.1 -> lo 0, hi 3.1, scale 3.1/15, zero point 0
        double[] w = new double[64];
        for (int i = 0; i < 32; i++) {
            w[i] = i * 0.1;
            w[32 + i] = -1 + i / 31.0 * 2; // -1..1 -> scale 2/15, zero point round(7.5) = 8 (half even)
        }
        GroupedQuant.Tensor t = GroupedQuant.quantize(w, 2, 32, 32, IntFormat.UINT4, Rounding.HALF_EVEN);
        assertEquals(3.1 / 15, t.scales()[0], 1e-15);
        assertEquals(0, t.zeroPoints()[0]);
        assertEquals(15, t.q()[31]);
        assertEquals(8, t.zeroPoints()[1]);
        assertEquals(0, t.q()[32]);
        double[] back = GroupedQuant.dequantize(t);
        for (int i = 0; i < w.length; i++) {
            int at = i;
            assertTrue(Math.abs(back[i] - w[i]) <= t.scales()[i / 32] * 0.5 + 1e-12 || t.q()[i] == 0 || t.q()[i] == 15,
                    () -> "w[" + at + "]");
        }
        assertThrows(IllegalArgumentException.class, () -> GroupedQuant.quantize(w, 1, 64, 48, IntFormat.UINT4, Rounding.HALF_EVEN));
    }

    @Test
    void groupedQuantGroupSizes() {
        Random r = new Random(11);
        for (int g : new int[] {32, 64, 128}) {
            double[] w = new double[4 * 256];
            for (int i = 0; i < w.length; i++) {
                w[i] = r.nextGaussian();
            }
            GroupedQuant.Tensor t = GroupedQuant.quantize(w, 4, 256, g, IntFormat.UINT4, Rounding.HALF_EVEN);
            assertEquals(4 * 256 / g, t.scales().length);
            double[] back = GroupedQuant.dequantize(t);
            for (int i = 0; i < w.length; i++) {
                // inside the group's [lo, hi] every weight is within half a step (plus the zero-point rounding)
                int at = i;
                assertTrue(Math.abs(back[i] - w[i]) <= t.scales()[i / g] + 1e-12, () -> "group " + g + " w[" + at + "]");
            }
            byte[] packed = Int4Packing.pack(t.q(), IntFormat.UINT4);
            assertEquals(w.length / 2, packed.length);
        }
    }

    @Test
    void requireAllInRangeNamesTheFirstBadElement() {
        IntFormat.UINT8.requireAllInRange(new int[] {0, 255}, "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntFormat.UINT8.requireAllInRange(new int[] {0, 256, -1}, "x"));
        assertTrue(e.getMessage().startsWith("x[1] must be in uint8 range [0, 255], got 256"), e.getMessage());
    }

    @Test
    void groupedQuantRejectsSizesBeyondAnArray() {
        // rows * cols = 2^32 would wrap to 0 and match an empty array
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GroupedQuant.quantize(new double[0], 1 << 16, 1 << 16, 32, IntFormat.UINT4, Rounding.HALF_EVEN));
        assertTrue(e.getMessage().contains("rows * cols"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GroupedQuant.quantize(new double[32], 1, 32, 32, new double[] {1},
                new int[] {16}, IntFormat.UINT4, Rounding.HALF_EVEN));
        assertTrue(e.getMessage().contains("zeroPoints[0]"), e.getMessage());
    }
}

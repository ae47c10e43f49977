package dev.qforge.testbenches.verilator;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Vec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Setting and reading a group of ports at once stores and reads the same bits as port by port. */
class PortGroupTest {
    /** Four vectors of three lanes: signed 4-bit, unsigned 12-bit, signed 32-bit inputs; a wide one. */
    private static final class Lanes extends Module {
        Lanes() {
            super("Lanes");
            Vec s4 = inputs("s4", 3, sint(4));
            Vec u12 = inputs("u12", 3, uint(12));
            Vec s32 = inputs("s32", 3, sint(32));
            inputs("u40", 2, uint(40));
            Vec o = outputs("o", 3, sint(4));
            for (int i = 0; i < 3; i++) {
                o.get(i).set(s4.get(i));
            }
            outputs("p", 1, uint(12)).get(0).set(u12.get(0));
            outputs("q", 1, sint(32)).get(0).set(s32.get(0));
        }
    }

    private static final PortLayout LAYOUT = PortLayout.of(Design.elaborate(new Lanes()));

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void groupWritesWhatPortsWrite(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (String name : new String[] {"s4", "u12", "s32"}) {
            PortGroup g = LAYOUT.group(name, 3);
            int width = g.port(0).width();
            Frames byGroup = new Frames(LAYOUT, true, 2, -1);
            Frames byPort = new Frames(LAYOUT, true, 2, -1);
            int[] values = new int[5];
            for (int trial = 0; trial < 200; trial++) {
                for (int k = 0; k < values.length; k++) {
                    // anywhere in the accepted range: two's complement from -2^(w-1), unsigned up to 2^w - 1
                    long lo = -(1L << (width - 1));
                    values[k] = (int) (lo + rnd.nextLong((1L << width) - lo));
                }
                byGroup.set(1, g, values, 2);
                for (int k = 0; k < 3; k++) {
                    byPort.set(1, g.port(k), values[2 + k]);
                }
                assertArrayEquals(byPort.data(), byGroup.data(), name + " " + java.util.Arrays.toString(values));
                int[] back = new int[4];
                byGroup.get(1, g, back, 1);
                for (int k = 0; k < 3; k++) {
                    assertEquals(byGroup.get(1, g.port(k)), back[1 + k], name + " lane " + k);
                }
            }
        }
    }

    @Test
    void readsSignExtendedOutputs() {
        Frames out = new Frames(LAYOUT, false, 1, 0);
        out.data()[LAYOUT.port("o_1").offset()] = 0x0f; // 4-bit -1
        out.data()[LAYOUT.port("o_2").offset()] = 0x07;
        int[] lanes = new int[3];
        out.get(0, LAYOUT.group("o", 3), lanes, 0);
        assertArrayEquals(new int[] {0, -1, 7}, lanes);
    }

    @Test
    void rejectsAValueThatFitsNeitherRangeBeforeWritingAny() {
        Frames f = new Frames(LAYOUT, true, 1, -1);
        PortGroup s4 = LAYOUT.group("s4", 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.set(0, s4, new int[] {15, -8, 16}, 0));
        assertEquals("16 does not fit in 4-bit port 's4_2'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.set(0, s4, new int[] {-9, 0, 0}, 0));
        assertEquals("-9 does not fit in 4-bit port 's4_0'", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> f.set(0, s4, new int[] {1, 2}, 0));
    }

    @Test
    void takesOnlyAlikePortsOfAtMost32Bits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LAYOUT.group("u40", 2));
        assertEquals("a port group takes ports of at most 32 bits; input 40-bit 'u40_0' is wider: set it on its own", e.getMessage());
        PortLayout mixed = PortLayout.of(Design.elaborate(new Lanes()));
        IllegalArgumentException unlike = assertThrows(IllegalArgumentException.class,
                () -> new PortGroup(java.util.List.of(mixed.port("s4_0"), mixed.port("u12_0"))));
        assertEquals("a port group takes ports of one direction, width and signedness: input signed 4-bit 's4_0' and input 12-bit 'u12_0' differ",
                unlike.getMessage());
        IllegalArgumentException outputs = assertThrows(IllegalArgumentException.class,
                () -> new Frames(LAYOUT, false, 1, 0).set(0, LAYOUT.group("s4", 3), new int[3], 0));
        assertEquals("port 's4_0' is an input; these frames hold outputs", outputs.getMessage());
    }
}

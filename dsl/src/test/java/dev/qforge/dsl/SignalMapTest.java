package dev.qforge.dsl;

import org.junit.jupiter.api.Test;

import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SignalMap: a module's signals by serial, another module's signals apart, signals declared later. */
class SignalMapTest {
    static final class Pair extends Module {
        final Signal a = input("a", uint(4));
        final Signal b = output("b", uint(4));
        Signal late;

        Pair() {
            super("Pair");
            b.set(a);
        }

        void declareLate() {
            late = wire("late", uint(4));
        }
    }

    @Test
    void serialsAreDenseInCreationOrderAcrossPortsSignalsAndInstancePorts() {
        Pair inner = new Pair();
        Module outer = new Module("Outer") {
            final Signal x = input("x", uint(4));
            final Signal w = wire("w", uint(4));
            final Instance<Pair> p = instance("p", inner);

            {
                p.io(inner.a).set(x);
                w.set(p.io(inner.b));
            }
        };
        assertEquals(4, outer.signalCount()); // x, w, p_a, p_b
        int expected = 0;
        assertEquals(expected++, outer.ports().get(0).serial());
        assertEquals(expected++, outer.signals().get(0).serial());
        for (Signal io : outer.instances().get(0).io()) {
            assertEquals(expected++, io.serial());
        }
        assertEquals(2, inner.signalCount());
    }

    @Test
    void keepsAnotherModulesSignalApartFromTheOwnSignalWithTheSameSerial() {
        Pair one = new Pair();
        Pair two = new Pair();
        assertEquals(one.a.serial(), two.a.serial());
        SignalMap<String> map = new SignalMap<>(one);
        map.put(one.a, "own");
        assertNull(map.get(two.a));
        map.put(two.a, "foreign");
        assertEquals("own", map.get(one.a));
        assertEquals("foreign", map.get(two.a));
        assertFalse(map.containsKey(one.b));
        assertEquals("made", map.computeIfAbsent(one.b, s -> "made"));
        assertEquals("made", map.computeIfAbsent(one.b, s -> "again"));
    }

    @Test
    void takesASignalDeclaredAfterItWasMade() {
        Pair m = new Pair();
        SignalMap<Integer> map = new SignalMap<>(m);
        m.declareLate();
        assertNull(map.get(m.late));
        map.put(m.late, 7);
        assertEquals(7, map.get(m.late));
        assertTrue(map.containsKey(m.late));
    }

    @Test
    void refusesNullValues() {
        Pair m = new Pair();
        assertThrows(NullPointerException.class, () -> new SignalMap<String>(m).put(m.a, null));
    }
}

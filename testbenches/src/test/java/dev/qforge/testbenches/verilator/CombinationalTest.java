package dev.qforge.testbenches.verilator;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import org.junit.jupiter.api.Test;

import static dev.qforge.dsl.HwType.sint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A top module without state has neither clk nor rst; a cycle then only evaluates it. */
@Cosim
class CombinationalTest {
    static final class Multiplier extends Module {
        Multiplier() {
            super("Multiplier_s8");
            Signal a = input("a", sint(8));
            Signal b = input("b", sint(8));
            output("p", sint(16)).set(a.times(b));
        }
    }

    @Test
    void evaluatesWithoutAClock(CosimSession cosim) {
        Simulator sim = cosim.open(new Multiplier());
        assertEquals(false, sim.layout().hasClock());
        IllegalStateException e = assertThrows(IllegalStateException.class, sim::reset);
        assertTrue(e.getMessage().contains("has no rst port"), e.getMessage());
        sim.poke("a", -128);
        sim.poke("b", -128);
        assertEquals(16384, sim.peek("p"));
        sim.poke("b", 127);
        sim.step(2);
        assertEquals(-16256, sim.peek("p"));
        assertEquals(2, sim.cycle());
    }
}

package dev.qforge.testbenches.verilator;

import dev.qforge.lib.Counter;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Cosim
class SimulatorTest {
    @Test
    void counterCountsEnabledCycles(CosimSession cosim) {
        Simulator sim = cosim.open(new Counter(4));
        sim.reset();
        assertEquals(0, sim.peek("count"));
        sim.poke("en", 1);
        sim.step(3);
        assertEquals(3, sim.peek("count"));
        sim.poke("en", 0);
        sim.step(5);
        assertEquals(3, sim.peek("count"));
        sim.poke("en", 1);
        sim.step(13);
        assertEquals(0, sim.peek("count"), "wraps after 15");
        assertEquals(22, sim.cycle());
    }
}

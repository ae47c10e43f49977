package dev.qforge.testbenches.verilator;

import dev.qforge.lib.Counter;
import dev.qforge.lib.SkidBuffer;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Cosim
class SimulatorFeaturesTest {
    @Test
    void portsWiderThan64Bits(CosimSession cosim) {
        Simulator sim = cosim.open(new WideAdder());
        sim.reset();
        Random rnd = new Random(7);
        BigInteger max = BigInteger.ONE.shiftLeft(100).subtract(BigInteger.ONE);
        for (int i = 0; i < 50; i++) {
            BigInteger a = i == 0 ? max : new BigInteger(100, rnd);
            BigInteger b = i == 0 ? max : new BigInteger(100, rnd);
            sim.poke("a", a);
            sim.poke("b", b);
            long low = a.longValue() << 24 >> 24; // the low 40 bits, signed
            assertEquals(low, sim.peek("low"));
            sim.step();
            assertEquals(a.add(b), sim.peekBig("sum"));
        }
        Frames in = sim.frames(2);
        in.set(0, "a", max);
        Frames out = sim.run(in);
        assertEquals(-1, out.get(0, "low"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> out.get(0, "sum"));
        assertTrue(e.getMessage().contains("101 bits; read it as a BigInteger"), e.getMessage());
    }

    @Test
    void valuesOutsideThePortAreRejected(CosimSession cosim) {
        Simulator sim = cosim.open(new Counter(4));
        assertThrows(IllegalArgumentException.class, () -> sim.poke("en", 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sim.poke("enable", 1));
        assertTrue(e.getMessage().contains("has no port 'enable'; ports: rst, en, count"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sim.poke("count", 1));
    }

    @Test
    void vcdOnRequest(CosimSession cosim) throws Exception {
        Simulator sim = cosim.open(cosim.model(new Counter(4)), cosim.options(3).withVcd(true));
        sim.reset();
        sim.poke("en", 1);
        sim.step(10);
        assertEquals(10, sim.peek("count"));
        sim.close();
        Path vcd = cosim.options(3).vcdFile("Counter_w4");
        String text = Files.readString(vcd);
        assertTrue(text.contains("$var wire  4") && text.contains("count"), "declares the ports");
        assertTrue(text.contains("\n#21\n"), "cycle 10 ends at time 21");
    }

    @Test
    void pipelinedBatchesKeepTheirOrder(CosimSession cosim) {
        Simulator sim = cosim.open(new Counter(8));
        sim.reset();
        Frames in = sim.frames(100);
        for (int t = 0; t < 100; t++) {
            in.set(t, "en", t % 2);
        }
        Simulator.Pending first = sim.submit(in);
        Simulator.Pending second = sim.submit(in); // the frames were copied on submit: reuse is fine
        Frames b = second.await(); // reads the first batch's reply on the way
        Frames a = first.await();
        assertEquals(0, a.get(0, "count"));
        assertEquals(50, b.get(0, "count"));
        assertEquals(99, b.get(99, "count"));
        assertEquals(a.cycle(0) + 100, b.cycle(0));
        assertEquals(100, sim.peek("count"));
    }

    @Test
    void reusedOutputFramesHoldTheLaterBatch(CosimSession cosim) {
        Simulator sim = cosim.open(new Counter(8));
        sim.reset();
        Frames in = sim.frames(10);
        for (int t = 0; t < 10; t++) {
            in.set(t, "en", 1);
        }
        Frames first = sim.submit(in).await();
        long firstCycle = first.cycle(0);
        Simulator.Pending second = sim.submit(in, first);
        IllegalArgumentException busy = assertThrows(IllegalArgumentException.class, () -> sim.submit(in, first));
        assertEquals("these output frames still wait for the batch they were submitted with", busy.getMessage());
        Frames again = second.await();
        assertTrue(again == first, "the same buffer");
        assertEquals(firstCycle + 10, again.cycle(0));
        for (int t = 0; t < 10; t++) {
            assertEquals(10 + t, again.get(t, "count"), "cycle " + t);
        }
        IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class, () -> sim.submit(sim.frames(9), first));
        assertEquals("submit can reuse only output frames of this simulator of as many cycles (9)", shorter.getMessage());
        IllegalArgumentException inputs = assertThrows(IllegalArgumentException.class, () -> sim.submit(in, in));
        assertEquals("submit can reuse only output frames of this simulator of as many cycles (10)", inputs.getMessage());
    }

    @Test
    void pipelinedTransactionsEqualOneAtATime(CosimSession cosim) {
        Random rnd = new Random(11);
        List<StreamRun> runs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long[] beats = rnd.longs(30 + t, 0, 256).toArray();
            runs.add(new StreamRun().send("in", beats).bubbles("in", 0.3).receive("out", beats.length).stalls("out", 0.4).seed(t));
        }
        Simulator one = cosim.open(new SkidBuffer(8));
        one.reset();
        List<StreamResult> expected = runs.stream().map(one::transact).toList();

        Simulator sim = cosim.open(new SkidBuffer(8));
        sim.reset();
        List<Simulator.PendingTransaction> inFlight = runs.stream().map(sim::submit).toList();
        Frames after = sim.frames(3); // a batch after transactions starts where they ended
        Simulator.Pending batch = sim.submit(after);
        for (int t = 0; t < runs.size(); t++) {
            StreamResult got = inFlight.get(t).await();
            assertEquals(expected.get(t).firstCycle(), got.firstCycle());
            assertEquals(expected.get(t).cycles(), got.cycles());
            assertTrue(Arrays.equals(expected.get(t).cycles("out"), got.cycles("out")), "beat cycles of transaction " + t);
            got.expectData("out", expected.get(t).data("out"));
        }
        assertEquals(expected.get(3).firstCycle() + expected.get(3).cycles(), batch.await().cycle(0));
    }
}

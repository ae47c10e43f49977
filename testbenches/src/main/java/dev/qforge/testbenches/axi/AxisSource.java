package dev.qforge.testbenches.axi;

import dev.qforge.testbenches.verilator.Simulator;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An AXI4-Stream master feeding a simulated slave's {@code <bus>_tdata/_tvalid/_tready}: queued
 * beats go out in order; with a gap probability above zero TVALID stays low for random cycles
 * between beats (never dropping once raised, as AXI4-Stream requires). It records the cycles the
 * slave was ready while TVALID was low, and the cycle of every handshake.
 */
public final class AxisSource implements AxiBench.Agent {
    private final String bus;
    private final Random rnd;
    private final double gaps;
    private final ArrayDeque<BigInteger> queue = new ArrayDeque<>();
    private boolean offering;
    private final List<Long> readyIdle = new ArrayList<>();
    private final List<Long> handshakes = new ArrayList<>();

    public AxisSource(AxiBench bench, String bus, Random rnd, double gaps) {
        this.bus = bus;
        this.rnd = rnd;
        this.gaps = gaps;
        bench.add(this);
    }

    public String bus() { return bus; }

    /** Queues beats (TDATA values). */
    public void send(List<BigInteger> beats) {
        queue.addAll(beats);
    }

    public boolean idle() {
        return queue.isEmpty();
    }

    /** Cycles in which TREADY was high and TVALID low. */
    public List<Long> readyIdleCycles() { return readyIdle; }
    /** Cycles in which a beat moved. */
    public List<Long> handshakeCycles() { return handshakes; }

    /** Forgets what was queued and recorded (after a reset). */
    public void clear() {
        queue.clear();
        offering = false;
        readyIdle.clear();
        handshakes.clear();
    }

    @Override
    public void drive(Simulator sim, long cycle) {
        offering = !queue.isEmpty() && (offering || gaps <= 0 || rnd.nextDouble() >= gaps);
        sim.poke(bus + "_tvalid", offering ? 1 : 0);
        sim.poke(bus + "_tdata", offering ? queue.peek() : BigInteger.ZERO);
    }

    @Override
    public void sample(Simulator sim, long cycle) {
        boolean ready = sim.peek(bus + "_tready") == 1;
        if (ready && !offering) {
            readyIdle.add(cycle);
        }
        if (ready && offering) {
            queue.poll();
            handshakes.add(cycle);
            offering = false;
        }
    }
}

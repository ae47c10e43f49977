package dev.qforge.testbenches.axi;

import dev.qforge.testbenches.verilator.Simulator;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An AXI4-Stream slave taking a simulated master's {@code <bus>_tdata/_tvalid/_tready/_tlast}:
 * with a gap probability above zero TREADY is low on random cycles (back-pressure). It records
 * every beat with its TLAST and cycle, and the cycles TVALID was high while TREADY was low.
 */
public final class AxisSink implements AxiBench.Agent {
    /** One beat taken. */
    public record Beat(BigInteger tdata, boolean tlast, long cycle) { }

    private final String bus;
    private final Random rnd;
    private final double gaps;
    private final List<Beat> beats = new ArrayList<>();
    private final List<Long> stalled = new ArrayList<>();
    private boolean ready;

    public AxisSink(AxiBench bench, String bus, Random rnd, double gaps) {
        this.bus = bus;
        this.rnd = rnd;
        this.gaps = gaps;
        bench.add(this);
    }

    public String bus() { return bus; }
    /** Every beat taken so far, in order. */
    public List<Beat> beats() { return beats; }
    /** Cycles in which TVALID was high and TREADY low. */
    public List<Long> stalledCycles() { return stalled; }

    /** Forgets what was recorded (after a reset). */
    public void clear() {
        beats.clear();
        stalled.clear();
    }

    @Override
    public void drive(Simulator sim, long cycle) {
        ready = gaps <= 0 || rnd.nextDouble() >= gaps;
        sim.poke(bus + "_tready", ready ? 1 : 0);
    }

    @Override
    public void sample(Simulator sim, long cycle) {
        if (sim.peek(bus + "_tvalid") != 1) {
            return;
        }
        if (ready) {
            beats.add(new Beat(sim.peekBig(bus + "_tdata"), sim.peek(bus + "_tlast") == 1, cycle));
        } else {
            stalled.add(cycle);
        }
    }
}

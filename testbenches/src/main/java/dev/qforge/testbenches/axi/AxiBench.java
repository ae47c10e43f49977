package dev.qforge.testbenches.axi;

import dev.qforge.testbenches.verilator.Simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs AXI bus-functional models against a simulator cycle by cycle: each cycle every model
 * drives its outputs (decided before it sees the other side, as AXI requires), the logic settles,
 * every model samples the handshakes of that cycle, then the clock ticks.
 */
public final class AxiBench {
    /** A bus-functional model (or any per-cycle hook) on the bench. */
    public interface Agent {
        /** Pokes this cycle's outputs. */
        void drive(Simulator sim, long cycle);

        /** Peeks the settled signals and takes this cycle's handshakes. */
        void sample(Simulator sim, long cycle);
    }

    private final Simulator sim;
    private final List<Agent> agents = new ArrayList<>();
    private final long cycleLimit;

    /** {@code cycleLimit}: the most cycles one {@link #runUntil} may take before it fails. */
    public AxiBench(Simulator sim, long cycleLimit) {
        this.sim = sim;
        this.cycleLimit = cycleLimit;
    }

    public Simulator sim() { return sim; }

    public <A extends Agent> A add(A agent) {
        agents.add(agent);
        return agent;
    }

    /** One clock cycle. */
    public void cycle() {
        long c = sim.cycle();
        for (Agent a : agents) {
            a.drive(sim, c);
        }
        for (Agent a : agents) {
            a.sample(sim, c);
        }
        sim.step();
    }

    /** Cycles until {@code done} holds (checked before each cycle); fails naming {@code what} past the cycle limit. */
    public void runUntil(BooleanSupplier done, String what) {
        long start = sim.cycle();
        while (!done.getAsBoolean()) {
            if (sim.cycle() - start > cycleLimit) {
                throw sim.mismatch("-", sim.cycle(), what, "still waiting after " + cycleLimit + " cycles", null);
            }
            cycle();
        }
    }
}

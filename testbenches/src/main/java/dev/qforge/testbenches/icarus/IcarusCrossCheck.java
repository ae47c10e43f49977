package dev.qforge.testbenches.icarus;

import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.SimOptions;
import dev.qforge.testbenches.verilator.SimOptions.PowerUp;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A second simulator's opinion: a Verilator run recorded from power-up (every cycle's input and
 * output frame) is replayed in Icarus Verilog, and every output of every cycle must agree. Icarus
 * shows state nothing has written yet as x, where Verilator has to pick a value; to tell such
 * genuinely undefined outputs from an Icarus run that went wrong, x is accepted only before the
 * first reset, in a stream's payload while its valid is low, and where replays of the recording in
 * Verilator from all-ones and from random power-up states disagree (see {@link IcarusSim#compare}).
 *
 * <pre>
 * IcarusCrossCheck check = IcarusCrossCheck.record(sim).reset();
 * check.add(sim.transact(run.record()));
 * check.assertIcarusAgrees(Path.of("target", "cosim-icarus"));
 * </pre>
 */
public final class IcarusCrossCheck {
    /** Differences listed in a failure. */
    private static final int SHOWN = 10;
    private final Simulator sim;
    private Frames inputs;
    private Frames outputs;

    private IcarusCrossCheck(Simulator sim) {
        this.sim = sim;
    }

    /** Starts recording {@code sim}, which must not have run a cycle yet. */
    public static IcarusCrossCheck record(Simulator sim) {
        if (sim.cycle() != 0) {
            throw new IllegalStateException("the simulator of " + sim.layout().top() + " has run " + sim.cycle()
                    + " cycles; a cross-check replays a run from power-up, so record it from cycle 0");
        }
        return new IcarusCrossCheck(sim);
    }

    /** Runs one cycle with {@code rst} high and records it; afterwards {@code rst} is low. */
    public IcarusCrossCheck reset() {
        Frames in = sim.frames(1);
        in.set(0, "rst", 1);
        add(in, sim.run(in));
        sim.poke("rst", 0);
        return this;
    }

    /** Records a recorded stream transaction ({@link dev.qforge.testbenches.verilator.StreamRun#record()}). */
    public IcarusCrossCheck add(StreamResult r) {
        return add(r.recordedInputs(), r.recordedOutputs());
    }

    /** Records a batch: its input frames and the outputs {@link Simulator#run} returned for them. */
    public IcarusCrossCheck add(Frames in, Frames out) {
        long next = outputs == null ? 0 : outputs.cycle(0) + outputs.cycles();
        if (out.cycles() > 0 && out.cycle(0) != next) {
            throw new IllegalStateException("the recording of " + sim.layout().top() + " ends at cycle " + next + ", but these frames start at cycle "
                    + out.cycle(0) + ": record every cycle the simulator runs");
        }
        inputs = inputs == null ? in : Frames.concat(inputs, in);
        outputs = outputs == null ? out : Frames.concat(outputs, out);
        return this;
    }

    /**
     * Replays the recording in Icarus inside {@code workDir/<module>}; throws an AssertionError that
     * lists the first differences (cycle, port, both values) unless every output of every cycle agrees.
     */
    public void assertIcarusAgrees(Path workDir) {
        if (inputs == null) {
            throw new IllegalStateException("nothing recorded to replay");
        }
        String top = sim.layout().top();
        Path dir = workDir.resolve(top);
        IcarusSim.Outputs icarus = IcarusSim.run(sim.model().sources(), inputs, dir);
        List<String> diffs = IcarusSim.compare(inputs, outputs, otherPowerUps(), icarus, SHOWN);
        if (!diffs.isEmpty()) {
            throw new AssertionError("Icarus and Verilator disagree on " + top + " (" + inputs.cycles() + " cycles replayed from power-up in "
                    + dir.toAbsolutePath() + "):\n  " + String.join("\n  ", diffs));
        }
    }

    /** Verilator's outputs of the recorded inputs from all-ones and from random power-up states. */
    private List<Frames> otherPowerUps() {
        List<Frames> others = new ArrayList<>();
        for (PowerUp p : List.of(PowerUp.ONES, PowerUp.RANDOM)) {
            try (Simulator replay = sim.model().start(SimOptions.defaults().withSeed(1).withPowerUp(p).withRecordMb(0))) {
                others.add(replay.run(inputs));
            }
        }
        return others;
    }
}

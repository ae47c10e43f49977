package dev.qforge.testbenches.verilator;

import java.util.List;
import java.util.Map;

/** What a {@link StreamRun} did: the beats collected and the cycle of every beat that moved. */
public final class StreamResult {
    private final Simulator sim;
    private final PortLayout layout;
    private final boolean complete;
    private final long firstCycle;
    private final int cycles;
    private final Map<String, long[]> beatCycles;
    private final Map<String, List<long[]>> received;
    private final Frames recordedInputs;
    private final Frames recordedOutputs;

    StreamResult(Simulator sim, boolean complete, long firstCycle, int cycles, Map<String, long[]> beatCycles,
                 Map<String, List<long[]>> received, Frames recordedInputs, Frames recordedOutputs) {
        this.sim = sim;
        this.layout = sim.layout();
        this.complete = complete;
        this.firstCycle = firstCycle;
        this.cycles = cycles;
        this.beatCycles = beatCycles;
        this.received = received;
        this.recordedInputs = recordedInputs;
        this.recordedOutputs = recordedOutputs;
    }

    /** Whether every beat was sent and every wanted beat received before the cycle limit. */
    public boolean complete() { return complete; }
    /** The cycle the run started on. */
    public long firstCycle() { return firstCycle; }
    /** Cycles the run took. */
    public int cycles() { return cycles; }

    /** For an input stream, the cycle each beat was accepted; for an output stream, the cycle each beat arrived. */
    public long[] cycles(String stream) {
        layout.stream(stream);
        return beatCycles.get(stream).clone();
    }

    /** The beats received on an output stream, one value per payload port each. */
    public List<long[]> beats(String stream) {
        requireOutput(stream);
        return received.get(stream);
    }

    /** The values received on an output stream whose payload is one field. */
    public long[] data(String stream) {
        requireOutput(stream);
        List<long[]> beats = received.get(stream);
        long[] d = new long[beats.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = beats.get(i)[0];
        }
        return d;
    }

    /** Every cycle's input frame (only when the run was recorded). */
    public Frames recordedInputs() { return requireRecorded(recordedInputs); }
    /** Every cycle's output frame, sampled before the clock edge (only when the run was recorded). */
    public Frames recordedOutputs() { return requireRecorded(recordedOutputs); }

    /**
     * Checks that an output stream delivered exactly {@code expected}, in order; otherwise throws a
     * {@link CosimMismatch} naming the first wrong or missing beat.
     */
    public void expectData(String stream, long... expected) {
        PortLayout.StreamPorts s = requireOutput(stream);
        long[] got = data(stream);
        long[] at = beatCycles.get(stream);
        Port field = s.payload().get(0);
        for (int i = 0; i < Math.min(got.length, expected.length); i++) {
            if (got[i] != expected[i]) {
                throw sim.mismatch(field.name(), at[i], expected[i], got[i], "beat " + i + " of " + expected.length + " on stream '" + stream + "'");
            }
        }
        if (got.length != expected.length) {
            long end = firstCycle + cycles;
            throw got.length < expected.length
                    ? sim.mismatch(s.valid().name(), end, "beat " + got.length + " (" + Simulator.format(field, expected[got.length]) + ")",
                            "no beat after " + got.length + " of " + expected.length + " within " + cycles + " cycles", "stream '" + stream + "' ran dry")
                    : sim.mismatch(field.name(), at[expected.length], "no beat after " + expected.length,
                            "beat " + Simulator.format(field, got[expected.length]), "stream '" + stream + "' delivered extra beats");
        }
    }

    private PortLayout.StreamPorts requireOutput(String stream) {
        PortLayout.StreamPorts s = layout.stream(stream);
        if (s.input()) {
            throw new IllegalArgumentException("stream '" + stream + "' is an input; only output streams deliver beats");
        }
        return s;
    }

    private static Frames requireRecorded(Frames f) {
        if (f == null) {
            throw new IllegalStateException("this run was not recorded; call StreamRun.record()");
        }
        return f;
    }
}

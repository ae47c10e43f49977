package dev.qforge.testbenches.verilator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

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
        requireSingleField(stream);
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
     * Checks that an output stream whose payload is one field delivered exactly {@code expected},
     * in order; otherwise throws a {@link CosimMismatch} naming the first wrong or missing beat.
     */
    public void expectData(String stream, long... expected) {
        requireSingleField(stream);
        List<long[]> beats = new ArrayList<>(expected.length);
        for (long e : expected) {
            beats.add(new long[] {e});
        }
        expectBeats(stream, beats);
    }

    /**
     * Checks that an output stream delivered exactly {@code expected} (one value per payload port
     * each, in port order), in order; otherwise throws a {@link CosimMismatch} naming the first
     * wrong field of the first wrong beat, or the first missing or extra beat.
     */
    public void expectBeats(String stream, List<long[]> expected) {
        expectBeats(stream, expected, i -> null);
    }

    /** As {@link #expectBeats(String, List)}; {@code describe} names beat i in a failure (where it came from), or gives null. */
    public void expectBeats(String stream, List<long[]> expected, IntFunction<String> describe) {
        PortLayout.StreamPorts s = requireOutput(stream);
        List<Port> fields = s.payload();
        List<long[]> got = received.get(stream);
        long[] at = beatCycles.get(stream);
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i).length != fields.size()) {
                throw new IllegalArgumentException("expected beat " + i + " of stream '" + stream + "' has " + expected.get(i).length
                        + " values; the stream has " + fields.size() + " payload ports");
            }
        }
        for (int i = 0; i < Math.min(got.size(), expected.size()); i++) {
            for (int k = 0; k < fields.size(); k++) {
                if (got.get(i)[k] != expected.get(i)[k]) {
                    throw sim.mismatch(fields.get(k).name(), at[i], expected.get(i)[k], got.get(i)[k], beatContext(stream, i, expected.size(), describe));
                }
            }
        }
        if (got.size() < expected.size()) {
            int i = got.size();
            throw sim.mismatch(s.valid().name(), firstCycle + cycles, "beat " + i + " = " + format(fields, expected.get(i)),
                    "no beat after " + i + " of " + expected.size() + " within " + cycles + " cycles",
                    "stream '" + stream + "' ran dry" + described(describe, i));
        }
        if (got.size() > expected.size()) {
            int i = expected.size();
            throw sim.mismatch(s.valid().name(), at[i], "no beat after " + i, "beat " + i + " = " + format(fields, got.get(i)),
                    "stream '" + stream + "' delivered extra beats");
        }
    }

    private static String beatContext(String stream, int i, int n, IntFunction<String> describe) {
        return "beat " + i + " of " + n + " on stream '" + stream + "'" + described(describe, i);
    }

    private static String described(IntFunction<String> describe, int i) {
        String d = describe.apply(i);
        return d != null ? ": " + d : "";
    }

    /** A beat's values: {@code 5 (0x5)} for one field, {@code {a=1 (0x1), b=2 (0x2)}} for several. */
    private static String format(List<Port> fields, long[] beat) {
        if (fields.size() == 1) {
            return Simulator.format(fields.get(0), beat[0]);
        }
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < fields.size(); k++) {
            parts.add(fields.get(k).name() + "=" + Simulator.format(fields.get(k), beat[k]));
        }
        return "{" + String.join(", ", parts) + "}";
    }

    private void requireSingleField(String stream) {
        PortLayout.StreamPorts s = requireOutput(stream);
        if (s.payload().size() != 1) {
            throw new IllegalArgumentException("stream '" + stream + "' has " + s.payload().size() + " payload ports ("
                    + String.join(", ", s.payload().stream().map(Port::name).toList()) + "); use beats() and expectBeats(), which cover every field");
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

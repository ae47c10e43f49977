package dev.qforge.testbenches.verilator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A transaction-level run: beats to send on input streams, beats to collect from output streams,
 * and how irregular the traffic is. The harness drives valid and ready itself, so the whole run is
 * one round trip. A stream that is not mentioned stays idle (valid low, or ready low).
 */
public final class StreamRun {
    private final Map<String, List<long[]>> send = new HashMap<>();
    private final Map<String, Integer> receive = new HashMap<>();
    private final Map<String, Double> bubbles = new HashMap<>();
    private final Map<String, Double> stalls = new HashMap<>();
    private final Set<String> named = new LinkedHashSet<>();
    private Long seed;
    private int maxCycles = 1_000_000;
    private boolean record;

    /** Beats for an input stream whose payload is one field ({@code <stream>_data}). */
    public StreamRun send(String stream, long... data) {
        List<long[]> beats = new ArrayList<>(data.length);
        for (long d : data) {
            beats.add(new long[] {d});
        }
        return sendBeats(stream, beats);
    }

    /** Beats for an input stream, each with one value per payload port, in port order. */
    public StreamRun sendBeats(String stream, List<long[]> beats) {
        named.add(stream);
        send.computeIfAbsent(stream, k -> new ArrayList<>()).addAll(beats);
        return this;
    }

    /** Collect {@code beats} beats from an output stream; its ready stays low after the last. */
    public StreamRun receive(String stream, int beats) {
        if (beats < 0) {
            throw new IllegalArgumentException("cannot receive " + beats + " beats");
        }
        named.add(stream);
        receive.put(stream, beats);
        return this;
    }

    /** Before each beat, the input stream idles (valid low) for a cycle with probability {@code p}, repeatedly. */
    public StreamRun bubbles(String stream, double p) {
        named.add(stream);
        bubbles.put(stream, probability(p));
        return this;
    }

    /** On each cycle the output stream holds ready low with probability {@code p} (back-pressure). */
    public StreamRun stalls(String stream, double p) {
        named.add(stream);
        stalls.put(stream, probability(p));
        return this;
    }

    /** The seed of the bubbles and stalls (default: the simulator's seed, else 0). */
    public StreamRun seed(long s) {
        this.seed = s;
        return this;
    }

    /** Stop after this many cycles even when beats are missing (default 1,000,000). */
    public StreamRun maxCycles(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxCycles must be >= 0, got " + n);
        }
        this.maxCycles = n;
        return this;
    }

    /** Also return every cycle's input and output frames (to replay the run in another simulator). */
    public StreamRun record() {
        this.record = true;
        return this;
    }

    private static double probability(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("a bubble or stall probability must be in [0, 1), got " + p);
        }
        return p;
    }

    /** Checks every named stream exists on {@code layout} with the direction it is used in. */
    void validate(PortLayout layout) {
        for (String name : named) {
            PortLayout.StreamPorts s = layout.stream(name);
            boolean usedAsInput = send.containsKey(name) || bubbles.containsKey(name);
            boolean usedAsOutput = receive.containsKey(name) || stalls.containsKey(name);
            if (s.input() ? usedAsOutput : usedAsInput) {
                throw new IllegalArgumentException("stream '" + name + "' of " + layout.top() + " is an " + (s.input() ? "input" : "output")
                        + " stream; " + (s.input() ? "send beats to it and give it bubbles" : "receive beats from it and give it stalls"));
            }
            for (Port p : s.payload()) {
                if (p.isWide()) {
                    throw new IllegalArgumentException("stream '" + name + "' has payload port '" + p.name() + "' of " + p.width()
                            + " bits; transactions carry payload fields as longs, so drive this stream with the cycle-level API");
                }
            }
            for (long[] beat : send.getOrDefault(name, List.of())) {
                if (beat.length != s.payload().size()) {
                    throw new IllegalArgumentException("a beat of stream '" + name + "' needs " + s.payload().size()
                            + " values (one per payload port), got " + beat.length);
                }
            }
        }
    }

    List<long[]> beats(String stream) { return send.getOrDefault(stream, List.of()); }
    int wanted(String stream) { return receive.getOrDefault(stream, 0); }
    double bubbles(String stream) { return bubbles.getOrDefault(stream, 0.0); }
    double stalls(String stream) { return stalls.getOrDefault(stream, 0.0); }
    Long seed() { return seed; }
    int maxCycles() { return maxCycles; }
    boolean isRecorded() { return record; }
}

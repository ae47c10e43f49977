package dev.qforge.testbenches.verilator;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A batch of per-cycle frames: the inputs to apply on each cycle of a run, or the outputs sampled
 * on each cycle (before its clock edge). One flat byte array, so a batch travels to and from the
 * harness without conversion.
 */
public final class Frames {
    private final PortLayout layout;
    private final boolean inputs;
    private final int frameBytes;
    private final int cycles;
    private final byte[] data;
    /** Changes only when {@link Simulator#submit(Frames, Frames)} reuses output frames for a later batch. */
    private long firstCycle;

    Frames(PortLayout layout, boolean inputs, int cycles, long firstCycle) {
        if (cycles < 0) {
            throw new IllegalArgumentException("a batch needs a cycle count >= 0, got " + cycles);
        }
        this.layout = layout;
        this.inputs = inputs;
        this.frameBytes = inputs ? layout.inputBytes() : layout.outputBytes();
        this.cycles = cycles;
        this.data = new byte[Math.multiplyExact(cycles, frameBytes)];
        this.firstCycle = firstCycle;
    }

    /** The frames of {@code a} followed by those of {@code b} (same module, both inputs or both outputs). */
    public static Frames concat(Frames a, Frames b) {
        if (a.layout != b.layout || a.inputs != b.inputs) {
            throw new IllegalArgumentException("only frames of the same kind from the same simulator can be joined");
        }
        Frames all = new Frames(a.layout, a.inputs, a.cycles + b.cycles, a.firstCycle);
        System.arraycopy(a.data, 0, all.data, 0, a.data.length);
        System.arraycopy(b.data, 0, all.data, a.data.length, b.data.length);
        return all;
    }

    public int cycles() { return cycles; }
    public boolean isInputs() { return inputs; }
    public PortLayout layout() { return layout; }

    /** The simulation cycle of frame {@code i} (for outputs and recorded inputs; input frames made by {@code frames()} have none). */
    public long cycle(int i) { return firstCycle + i; }

    public void set(int i, Port p, long value) {
        p.write(data, base(i, p), value);
    }

    public void set(int i, String port, long value) { set(i, layout.port(port), value); }

    public void set(int i, String port, BigInteger value) {
        Port p = layout.port(port);
        p.write(data, base(i, p), value);
    }

    /** Sets port k of {@code g} in frame {@code i} to {@code values[from + k]}, for every port of the group. */
    public void set(int i, PortGroup g, int[] values, int from) {
        Objects.checkFromIndexSize(from, g.size(), values.length);
        g.write(data, base(i, g.port(0)), values, from);
    }

    /** Reads port k of {@code g} in frame {@code i} into {@code values[from + k]}, for every port of the group. */
    public void get(int i, PortGroup g, int[] values, int from) {
        Objects.checkFromIndexSize(from, g.size(), values.length);
        g.read(data, base(i, g.port(0)), values, from);
    }

    public long get(int i, Port p) {
        return p.read(data, base(i, p));
    }

    public long get(int i, String port) { return get(i, layout.port(port)); }

    public BigInteger getBig(int i, String port) {
        Port p = layout.port(port);
        return p.readBig(data, base(i, p));
    }

    private int base(int i, Port p) {
        if (p.isInput() != inputs) {
            throw new IllegalArgumentException("port '" + p.name() + "' is an " + (p.isInput() ? "input" : "output")
                    + "; these frames hold " + (inputs ? "inputs" : "outputs"));
        }
        if (i < 0 || i >= cycles) {
            throw new IndexOutOfBoundsException("frame " + i + " of " + cycles);
        }
        return i * frameBytes;
    }

    byte[] data() { return data; }

    /** These frames, now holding the batch that starts at {@code cycle}. */
    Frames reuseFrom(long cycle) {
        firstCycle = cycle;
        return this;
    }
}

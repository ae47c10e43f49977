package dev.qforge.testbenches.verilator;

import dev.qforge.testbenches.process.Processes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A running Verilator model of one top module, driven over the harness {@link Protocol}.
 *
 * <p>Cycle level: {@link #poke} inputs, {@link #step} the clock, {@link #peek} outputs. Batches:
 * fill {@link #frames} with the inputs of many cycles and {@link #run} (or {@link #submit}, to
 * prepare the next batch while the model runs this one) to get every cycle's outputs. Transactions:
 * {@link #transact} sends and collects whole streams while the harness drives valid and ready.
 *
 * <p>Every command sent is also recorded (up to {@link SimOptions#recordMb()}), so when a
 * comparison fails, {@link #mismatch} replays the run into a traced build of the model and names
 * the resulting VCD. Not thread-safe: one test thread drives one simulator.
 */
public final class Simulator implements AutoCloseable {
    private final Model model;
    private final PortLayout layout;
    private final SimOptions options;
    private final HarnessProcess harness;
    private final Path liveVcd;
    private final byte[] inputs;
    private final byte[] outputs;
    /** Batches and transactions sent whose replies have not been read yet, in order. */
    private final ArrayDeque<InFlight> pending = new ArrayDeque<>();
    private final Recording recording;
    private final ByteBuffer reply = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private boolean outputsFresh;
    private long cycle;
    private boolean closed;

    Simulator(Model model, SimOptions options) {
        this.model = model;
        this.layout = model.layout();
        this.options = options;
        this.inputs = new byte[layout.inputBytes()];
        this.outputs = new byte[layout.outputBytes()];
        this.recording = options.recordMb() > 0 && !options.vcd() ? new Recording(options.recordMb()) : null;
        Model run = model;
        if (options.vcd()) {
            run = model.traced();
            liveVcd = options.vcdFile(layout.top());
            createParent(liveVcd);
        } else {
            liveVcd = null;
        }
        harness = HarnessProcess.start(layout.top(), run.binary(), harnessArgs(liveVcd), options.timeout());
    }

    public PortLayout layout() { return layout; }
    public Port port(String name) { return layout.port(name); }
    /** Clock edges so far. */
    public long cycle() { return cycle; }
    /** Process id of the harness (for fault-injection tests). */
    public long pid() { return harness.pid(); }
    /** The model this simulator runs (to start more runs of it, e.g. with another power-up state). */
    public Model model() { return model; }

    // ---- cycle level ----------------------------------------------------------------------------

    /** Sets an input; it holds its value until poked again. Accepts the unsigned and the two's complement range. */
    public void poke(Port p, long value) {
        requireInput(p).write(inputs, 0, value);
        outputsFresh = false;
    }

    public void poke(String port, long value) { poke(layout.port(port), value); }

    public void poke(String port, BigInteger value) {
        requireInput(layout.port(port)).write(inputs, 0, value);
        outputsFresh = false;
    }

    /** An output as the logic drives it now (signed ports sign-extended), or an input's poked value. */
    public long peek(Port p) {
        return p.isInput() ? p.read(inputs, 0) : p.read(freshOutputs(), 0);
    }

    public long peek(String port) { return peek(layout.port(port)); }

    public BigInteger peekBig(String port) {
        Port p = layout.port(port);
        return p.isInput() ? p.readBig(inputs, 0) : p.readBig(freshOutputs(), 0);
    }

    public void step() { step(1); }

    /** Runs {@code n} clock edges with the current inputs. */
    public void step(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot step " + n + " cycles");
        }
        drain();
        Wire w = new Wire(1 + inputs.length + 4).u8(Protocol.STEP).bytes(inputs, 0, inputs.length).u32(n);
        send(w, "stepping " + n + " cycles");
        cycle += n;
        readFrameReply("stepping " + n + " cycles");
    }

    /** Holds {@code rst} high for {@code cycles} clock edges, then low. */
    public void reset(int cycles) {
        if (!layout.hasReset()) {
            throw new IllegalStateException("module " + layout.top() + " has no rst port (it has no register with a reset value)");
        }
        poke("rst", 1);
        step(cycles);
        poke("rst", 0);
    }

    public void reset() { reset(1); }

    /** Peeks {@code port} and throws a {@link CosimMismatch} unless it equals {@code expected}. */
    public void expect(String port, long expected) {
        Port p = layout.port(port);
        long actual = peek(p);
        if (actual != expected) {
            throw mismatch(port, cycle, expected, actual, null);
        }
    }

    private byte[] freshOutputs() {
        if (!outputsFresh) {
            drain();
            Wire w = new Wire(1 + inputs.length).u8(Protocol.EVAL).bytes(inputs, 0, inputs.length);
            send(w, "evaluating for a peek");
            readFrameReply("evaluating for a peek");
        }
        return outputs;
    }

    private void readFrameReply(String during) {
        expectCycle(readLong(during), during);
        harness.readFully(outputs, 0, outputs.length, during);
        outputsFresh = true;
    }

    // ---- batches --------------------------------------------------------------------------------

    /** Input frames for {@code cycles} cycles, each starting as a copy of the current inputs. */
    public Frames frames(int cycles) {
        Frames f = new Frames(layout, true, cycles, -1);
        byte[] d = f.data();
        for (int i = 0; i < cycles; i++) {
            System.arraycopy(inputs, 0, d, i * inputs.length, inputs.length);
        }
        return f;
    }

    /** Applies one input frame per cycle and returns the outputs of every cycle (sampled before its clock edge). */
    public Frames run(Frames in) {
        return submit(in).await();
    }

    /**
     * Sends a batch and returns at once, so Java can prepare the next batch while the model runs
     * this one. Results must be awaited in submission order. Afterwards the inputs hold the last frame's values.
     */
    public Pending submit(Frames in) {
        return submit(in, null);
    }

    /**
     * Like {@link #submit(Frames)}, with the outputs written into {@code into}: the output frames of
     * an earlier batch of as many cycles, which the caller has finished reading. A long run then
     * reuses a few buffers instead of allocating (and zeroing) one per batch.
     */
    public Pending submit(Frames in, Frames into) {
        requireOpen();
        if (!in.isInputs() || in.layout() != layout) {
            throw new IllegalArgumentException("submit takes input frames made by frames() of this simulator");
        }
        if (into != null && (into.isInputs() || into.layout() != layout || into.cycles() != in.cycles())) {
            throw new IllegalArgumentException("submit can reuse only output frames of this simulator of as many cycles (" + in.cycles() + ")");
        }
        if (into != null && pending.stream().anyMatch(f -> f instanceof Pending p && p.out == into)) {
            throw new IllegalArgumentException("these output frames still wait for the batch they were submitted with");
        }
        if (pending.stream().anyMatch(f -> f instanceof PendingTransaction)) {
            drain(); // a batch's first cycle is known only once the transactions before it have ended
        }
        String during = "running a batch of " + in.cycles() + " cycles";
        Wire w = new Wire(5).u8(Protocol.VECTORS).u32(in.cycles());
        sendUnflushed(w.buf, w.len);
        sendUnflushed(in.data(), in.data().length);
        harness.flush(during);
        Pending p = new Pending(this, into != null ? into.reuseFrom(cycle) : new Frames(layout, false, in.cycles(), cycle));
        pending.add(p);
        if (in.cycles() > 0) {
            System.arraycopy(in.data(), (in.cycles() - 1) * inputs.length, inputs, 0, inputs.length);
        }
        cycle += in.cycles();
        outputsFresh = false;
        return p;
    }

    /** A command sent whose reply is read later, in the order the commands were sent. */
    private abstract static class InFlight {
        final Simulator sim;
        boolean done;

        InFlight(Simulator sim) {
            this.sim = sim;
        }

        /** Reads this command's reply, which is the next one the harness sends. */
        abstract void receive();

        /** Reads the replies up to and including this one. */
        final void awaitReply() {
            if (done) {
                return;
            }
            if (!sim.pending.contains(this)) {
                throw new IllegalStateException("this command's reply was already read or never sent");
            }
            while (!done) {
                sim.pending.remove().receive();
            }
        }
    }

    /** A submitted batch whose outputs may not have arrived yet. */
    public static final class Pending extends InFlight {
        private final Frames out;

        private Pending(Simulator sim, Frames out) {
            super(sim);
            this.out = out;
        }

        /** Waits for this batch's outputs (and those of every batch or transaction sent before it). */
        public Frames await() {
            awaitReply();
            return out;
        }

        @Override
        void receive() {
            String during = "running a batch of " + out.cycles() + " cycles";
            sim.expectCycleAt(sim.readLong(during), out.cycle(0), during);
            sim.harness.readFully(out.data(), 0, out.data().length, during);
            done = true;
        }
    }

    /** Receives every outstanding batch and transaction (any other command must wait for them). */
    private void drain() {
        requireOpen();
        while (!pending.isEmpty()) {
            pending.remove().receive();
        }
    }

    // ---- transactions ---------------------------------------------------------------------------

    /** Runs a stream transaction: one round trip, however many cycles it takes. */
    public StreamResult transact(StreamRun run) {
        return submit(run).await();
    }

    /**
     * Sends a stream transaction and returns at once, so Java can prepare the next transaction,
     * or check the last one, while the model runs this one (on two cores the two overlap). Await
     * in submission order.
     */
    public PendingTransaction submit(StreamRun run) {
        requireOpen();
        run.validate(layout);
        long seed = run.seed() != null ? run.seed() : options.seed() != null ? options.seed() : 0;
        Wire w = new Wire(64 + inputs.length).u8(Protocol.TRANSACT).bytes(inputs, 0, inputs.length).u64(seed).u32(run.maxCycles()).u8(run.isRecorded() ? 1 : 0);
        for (PortLayout.StreamPorts s : layout.inStreams()) {
            List<long[]> beats = run.beats(s.name());
            w.u32(fraction(run.bubbles(s.name()))).u32(beats.size());
            for (long[] beat : beats) {
                int at = w.reserve(s.beatBytes());
                int beatOff = 0;
                for (int k = 0; k < beat.length; k++) {
                    Port p = s.payload().get(k);
                    p.write(w.buf, at + beatOff - p.offset(), beat[k]); // the field at beatOff of this beat
                    beatOff += p.bytes();
                }
            }
        }
        for (PortLayout.StreamPorts s : layout.outStreams()) {
            w.u32(fraction(run.stalls(s.name()))).u32(run.wanted(s.name()));
        }
        send(w, "sending a stream transaction");
        PendingTransaction p = new PendingTransaction(this, run.isRecorded());
        pending.add(p);
        outputsFresh = false;
        return p;
    }

    /** A submitted stream transaction whose result may not have arrived yet. */
    public static final class PendingTransaction extends InFlight {
        private final boolean recorded;
        private StreamResult result;

        private PendingTransaction(Simulator sim, boolean recorded) {
            super(sim);
            this.recorded = recorded;
        }

        /** Waits for this transaction's result (and for every batch or transaction sent before it). */
        public StreamResult await() {
            awaitReply();
            return result;
        }

        @Override
        void receive() {
            result = sim.receiveTransaction(recorded);
            done = true;
        }
    }

    private StreamResult receiveTransaction(boolean recorded) {
        String during = "running a stream transaction";
        boolean complete = readByte(during) != 0;
        long first = readLong(during);
        expectCycle(first, during);
        int n = readInt(during);
        Map<String, long[]> beatCycles = new HashMap<>();
        Map<String, List<long[]>> received = new HashMap<>();
        for (PortLayout.StreamPorts s : layout.inStreams()) {
            long[] at = new long[readInt(during)];
            for (int i = 0; i < at.length; i++) {
                at[i] = first + (readInt(during) & 0xffff_ffffL);
            }
            beatCycles.put(s.name(), at);
        }
        for (PortLayout.StreamPorts s : layout.outStreams()) {
            long[] at = new long[readInt(during)];
            List<long[]> beats = new ArrayList<>(at.length);
            byte[] beat = new byte[s.beatBytes()];
            for (int i = 0; i < at.length; i++) {
                at[i] = first + (readInt(during) & 0xffff_ffffL);
                harness.readFully(beat, 0, beat.length, during);
                long[] values = new long[s.payload().size()];
                int beatOff = 0;
                for (int k = 0; k < values.length; k++) {
                    Port p = s.payload().get(k);
                    values[k] = p.read(beat, beatOff - p.offset());
                    beatOff += p.bytes();
                }
                beats.add(values);
            }
            beatCycles.put(s.name(), at);
            received.put(s.name(), beats);
        }
        Frames recIn = null;
        Frames recOut = null;
        if (recorded) {
            recIn = new Frames(layout, true, n, first);
            recOut = new Frames(layout, false, n, first);
            harness.readFully(recIn.data(), 0, recIn.data().length, during);
            harness.readFully(recOut.data(), 0, recOut.data().length, during);
        }
        cycle += n;
        outputsFresh = false;
        return new StreamResult(this, complete, first, n, beatCycles, received, recIn, recOut);
    }

    private static int fraction(double p) {
        return (int) Math.round(p * Protocol.ONE);
    }

    // ---- mismatches and waveforms ---------------------------------------------------------------

    /** A mismatch on {@code port} at {@code atCycle}, with values formatted for the port; makes the VCD. */
    public CosimMismatch mismatch(String port, long atCycle, long expected, long actual, String context) {
        Port p = layout.port(port);
        return mismatch(port, atCycle, format(p, expected), format(p, actual), context);
    }

    /**
     * Builds the failure for a comparison the caller made: writes the VCD of the run so far (the
     * live trace, or a replay of the recorded stimulus into a traced build) and names it together
     * with the seed, cycle, port, expected and actual values.
     */
    public CosimMismatch mismatch(String port, long atCycle, String expected, String actual, String context) {
        StringBuilder why = new StringBuilder();
        Path vcd = waveform(why);
        StringBuilder m = new StringBuilder();
        m.append(layout.top()).append(": port '").append(port).append("' at cycle ").append(atCycle)
                .append(": expected ").append(expected).append(", actual ").append(actual);
        if (context != null) {
            m.append("\n  ").append(context);
        }
        m.append("\n  seed: ").append(options.seed() != null ? options.seed() + " (the run repeats exactly with this seed)" : "none (directed test)");
        m.append("\n  vcd:  ").append(vcd != null ? vcd + " (cycle " + atCycle + " spans times " + 2 * atCycle + ".." + (2 * atCycle + 1) + ")" : why);
        return new CosimMismatch(m.toString(), vcd, options.seed(), atCycle, port);
    }

    static String format(Port p, long v) {
        long bits = p.width() >= 64 ? v : v & ((1L << p.width()) - 1);
        return v + " (0x" + Long.toHexString(bits) + ")";
    }

    private Path waveform(StringBuilder why) {
        if (liveVcd != null) {
            close(); // the harness completes its VCD when its input ends
            return liveVcd;
        }
        if (recording == null) {
            why.append("none: stimulus recording is off (SimOptions.recordMb = 0)");
            return null;
        }
        if (recording.overflowed) {
            why.append("none: the run sent more than ").append(options.recordMb())
                    .append(" MB of stimulus; raise SimOptions.recordMb or trace from the start with SimOptions.withVcd(true)");
            return null;
        }
        Path vcd = options.vcdFile(layout.top());
        Path stimulus = vcd.resolveSibling(vcd.getFileName().toString().replaceFirst("\\.vcd$", ".stim"));
        Path log = vcd.resolveSibling(vcd.getFileName().toString().replaceFirst("\\.vcd$", ".log"));
        try {
            createParent(vcd);
            try (OutputStream out = Files.newOutputStream(stimulus)) {
                recording.bytes.writeTo(out);
            }
            List<String> replay = new ArrayList<>(List.of(model.traced().binary().toString()));
            replay.addAll(harnessArgs(vcd));
            // no parent pid for the harness to check: Processes.run's guard, its parent, ends it with the JVM
            ProcessBuilder pb = new ProcessBuilder(replay)
                    .redirectInput(stimulus.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile());
            int code = Processes.run(pb, options.timeout(), "replaying the run of " + layout.top() + " with tracing");
            if (code != 0) {
                why.append("none: the traced replay exited with code ").append(code).append(", see ").append(log);
                return null;
            }
            return vcd;
        } catch (IOException | RuntimeException e) {
            why.append("none: ").append(e.getMessage());
            return null;
        }
    }

    /** The power-up state, and the VCD to write when {@code vcd} is not null. */
    private List<String> harnessArgs(Path vcd) {
        List<String> args = new ArrayList<>(options.powerUpArgs());
        if (vcd != null) {
            args.add(vcd.toString());
        }
        return args;
    }

    private static void createParent(Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
        }
    }

    /** Stops the harness (completing its VCD, if it traces). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            harness.close();
        }
    }

    // ---- wire -----------------------------------------------------------------------------------

    private void send(Wire w, String during) {
        sendUnflushed(w.buf, w.len);
        harness.flush(during);
    }

    private void sendUnflushed(byte[] b, int len) {
        requireOpen();
        harness.write(b, 0, len);
        if (recording != null) {
            recording.add(b, len);
        }
    }

    private long readLong(String during) {
        harness.readFully(reply.array(), 0, 8, during);
        return reply.getLong(0);
    }

    private int readInt(String during) {
        harness.readFully(reply.array(), 0, 4, during);
        return reply.getInt(0);
    }

    private int readByte(String during) {
        harness.readFully(reply.array(), 0, 1, during);
        return reply.get(0);
    }

    private void expectCycle(long reported, String during) {
        expectCycleAt(reported, cycle, during);
    }

    private void expectCycleAt(long reported, long expected, String during) {
        if (reported != expected) {
            close();
            throw new HarnessException("the harness of " + layout.top() + " is out of step while " + during + ": it is at cycle "
                    + reported + ", Java expected " + expected);
        }
    }

    private Port requireInput(Port p) {
        if (!p.isInput()) {
            throw new IllegalArgumentException("cannot poke " + p + ": it is an output");
        }
        return p;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the simulator of " + layout.top() + " is closed");
        }
    }

    /** The commands sent so far, kept up to a size limit for a traced replay. */
    private static final class Recording {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final long limit;
        boolean overflowed;

        Recording(int mb) {
            limit = mb * 1024L * 1024L;
        }

        void add(byte[] b, int len) {
            if (!overflowed && bytes.size() + (long) len > limit) {
                overflowed = true;
                bytes.reset();
            }
            if (!overflowed) {
                bytes.write(b, 0, len);
            }
        }
    }

    /** A little-endian request buffer. */
    private static final class Wire {
        byte[] buf;
        int len;

        Wire(int capacity) {
            buf = new byte[capacity];
        }

        int reserve(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
            int at = len;
            len += n;
            return at;
        }

        Wire u8(int v) {
            buf[reserve(1)] = (byte) v;
            return this;
        }

        Wire u32(int v) {
            int at = reserve(4);
            for (int i = 0; i < 4; i++) {
                buf[at + i] = (byte) (v >>> (8 * i));
            }
            return this;
        }

        Wire u64(long v) {
            int at = reserve(8);
            for (int i = 0; i < 8; i++) {
                buf[at + i] = (byte) (v >>> (8 * i));
            }
            return this;
        }

        Wire bytes(byte[] b, int off, int n) {
            System.arraycopy(b, off, buf, reserve(n), n);
            return this;
        }
    }
}

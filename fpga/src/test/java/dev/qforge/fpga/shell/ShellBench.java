package dev.qforge.fpga.shell;

import dev.qforge.fpga.shell.regmap.RegisterMap;
import dev.qforge.fpga.uart.BridgeLayout;
import dev.qforge.testbenches.axi.AxiBench;
import dev.qforge.testbenches.axi.AxiLiteMaster;
import dev.qforge.testbenches.axi.AxisSink;
import dev.qforge.testbenches.axi.AxisSource;
import dev.qforge.testbenches.verilator.Simulator;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A simulated shell core with the bus-functional models on every interface: an AXI4-Lite master,
 * an AXI4-Stream source per input stream and a sink per output stream, each with its own random
 * gaps. The core's {@code soft_reset} drives its {@code rst}, as the shell's top does.
 */
final class ShellBench {
    final AxiShell shell;
    final AxiBench bench;
    final AxiLiteMaster lite;
    final Map<String, AxisSource> sources = new LinkedHashMap<>();
    final Map<String, AxisSink> sinks = new LinkedHashMap<>();

    ShellBench(AxiShell shell, Simulator sim, long seed, double gaps) {
        this.shell = shell;
        this.bench = new AxiBench(sim, 200_000);
        Random rnd = new Random(seed);
        bench.add(new AxiBench.Agent() { // the top's "rst = ~aresetn | soft_reset"
            @Override
            public void drive(Simulator s, long cycle) { }

            @Override
            public void sample(Simulator s, long cycle) {
                s.poke("rst", s.peek("soft_reset"));
            }
        });
        lite = new AxiLiteMaster(bench, "s_axi", new Random(rnd.nextLong()), gaps);
        for (AxisStream s : shell.streams()) {
            if (s.input()) {
                sources.put(s.name(), new AxisSource(bench, s.bus(), new Random(rnd.nextLong()), gaps));
            } else {
                sinks.put(s.name(), new AxisSink(bench, s.bus(), new Random(rnd.nextLong()), gaps));
            }
        }
    }

    long read(String register) {
        return lite.read(shell.registers().register(register).offset());
    }

    void write(String register, long value) {
        lite.write(shell.registers().register(register).offset(), value);
    }

    /** Queues the beats of each named input stream (field values, packed into TDATA). */
    void send(Map<String, List<long[]>> beats) {
        beats.forEach((stream, list) -> {
            AxisStream s = shell.stream(stream);
            List<BigInteger> tdata = new ArrayList<>();
            for (long[] b : list) {
                tdata.add(tdata(s.pack(b)));
            }
            sources.get(stream).send(tdata);
        });
    }

    /** Runs until {@code beats} beats have arrived on output stream {@code stream} in all; returns its beats' field values. */
    List<long[]> receive(String stream, int beats) {
        AxisSink sink = sinks.get(stream);
        bench.runUntil(() -> sink.beats().size() >= beats, beats + " beats on " + sink.bus());
        AxisStream s = shell.stream(stream);
        List<long[]> out = new ArrayList<>();
        for (AxisSink.Beat b : sink.beats()) {
            out.add(s.unpack(bytes(b.tdata(), s.bytes())));
        }
        return out;
    }

    /** Every register reads its reset value (constants their value). */
    void assertResetValues() {
        for (RegisterMap.Register r : shell.registers().registers()) {
            assertEquals(r.resetRead(), lite.read(r.offset()), r.name() + " at 0x" + Integer.toHexString(r.offset()));
        }
    }

    /** A beat's field values in the stream's field order, each field given by its port name. */
    static long[] beat(AxisStream s, Map<String, Long> byPort) {
        List<BridgeLayout.Field> fields = s.format().fields();
        long[] beat = new long[fields.size()];
        for (int i = 0; i < beat.length; i++) {
            beat[i] = byPort.get(fields.get(i).port());
        }
        return beat;
    }

    static BigInteger tdata(byte[] bytes) {
        byte[] be = new byte[bytes.length + 1];
        for (int i = 0; i < bytes.length; i++) {
            be[bytes.length - i] = bytes[i];
        }
        return new BigInteger(be);
    }

    static byte[] bytes(BigInteger tdata, int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = tdata.shiftRight(8 * i).byteValue();
        }
        return out;
    }

    /**
     * One transaction through the shell: the result stream's beat count set, the counters cleared,
     * {@code inputs} sent; every result beat must equal {@code expected} (named by {@code what} in a
     * failure), TLAST only on the last, and every counter what the models saw on the buses.
     */
    void transaction(Map<String, List<long[]>> inputs, String out, List<long[]> expected, IntFunction<String> what) {
        int n = expected.size();
        write(ShellRegisters.beats(shell.stream(out)), n);
        write(ShellRegisters.CONTROL, 2); // CLEAR_COUNTERS: counts from two cycles after this write's address
        long from = lite.lastAddressCycle() + 2;
        sinks.get(out).clear();
        sources.values().forEach(AxisSource::clear);
        send(inputs);
        List<long[]> got = receive(out, n);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(expected.get(i), got.get(i), what.apply(i));
            assertEquals(i == n - 1, sinks.get(out).beats().get(i).tlast(), "TLAST of " + what.apply(i));
        }
        for (String counter : expectedCounters(from, from).keySet()) {
            long value = read(counter);
            assertEquals(expectedCounters(from, lite.lastAddressCycle()).get(counter), value, counter + " after " + n + " beats");
        }
    }

    /**
     * The counters as the register map documents them, from what the models saw on the buses in
     * cycles [from, to): BUSY set the cycle after an input beat, cleared the cycle after a result
     * beat with TLAST (an input beat in that cycle wins); the shell is idle at {@code from}.
     */
    Map<String, Long> expectedCounters(long from, long to) {
        Set<Long> inFire = new HashSet<>();
        sources.values().forEach(s -> inFire.addAll(s.handshakeCycles()));
        Set<Long> lastOut = new HashSet<>();
        sinks.values().forEach(s -> s.beats().stream().filter(AxisSink.Beat::tlast).forEach(b -> lastOut.add(b.cycle())));
        TreeSet<Long> busy = new TreeSet<>();
        boolean b = false;
        for (long t = from; t < to; t++) {
            if (b) {
                busy.add(t);
            }
            b = inFire.contains(t) || (b && !lastOut.contains(t));
        }
        Map<String, Long> c = new LinkedHashMap<>();
        c.put(ShellRegisters.RESULTS, lastOut.stream().filter(t -> t >= from && t < to).count());
        c.put(ShellRegisters.BUSY_CYCLES, (long) busy.size());
        for (AxisStream s : shell.streams()) {
            List<Long> events = s.input() ? sources.get(s.name()).readyIdleCycles() : sinks.get(s.name()).stalledCycles();
            c.put(ShellRegisters.stalls(s), events.stream().filter(t -> t >= from && t < to && (!s.input() || busy.contains(t))).count());
        }
        return c;
    }
}

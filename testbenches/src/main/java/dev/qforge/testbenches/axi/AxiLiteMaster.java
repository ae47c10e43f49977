package dev.qforge.testbenches.axi;

import dev.qforge.testbenches.verilator.Simulator;

import java.util.Random;

/**
 * An AXI4-Lite master on the {@code s_axi_*} ports of a simulated slave. One transaction at a time,
 * blocking: {@link #read} and {@link #write} run the bench until the response arrives (the other
 * agents keep running). With a gap probability above zero, AWVALID and WVALID rise after independent
 * random delays and BREADY/RREADY are held low for random cycles, as a real interconnect may.
 */
public final class AxiLiteMaster implements AxiBench.Agent {
    /** OKAY, and SLVERR for an address the slave does not decode. */
    public static final int OKAY = 0;
    public static final int SLVERR = 2;

    /** A read's data and response code. */
    public record Response(long data, int resp, long addressCycle) { }

    private final AxiBench bench;
    private final Random rnd;
    private final double gaps;
    private final String p;
    // the transaction in flight
    private boolean writing;
    private boolean reading;
    private boolean awDone;
    private boolean wDone;
    private boolean addrDone;
    private long addr;
    private long data;
    private int strb;
    private Response result;
    private long addressCycle;

    public AxiLiteMaster(AxiBench bench, String prefix, Random rnd, double gaps) {
        this.bench = bench;
        this.p = prefix;
        this.rnd = rnd;
        this.gaps = gaps;
        bench.add(this);
    }

    /** Reads the 32-bit register at byte address {@code address}; fails unless the response is OKAY. */
    public long read(long address) {
        Response r = readResponse(address);
        if (r.resp() != OKAY) {
            throw bench.sim().mismatch(p + "_rresp", bench.sim().cycle(), OKAY, r.resp(), "reading address 0x" + Long.toHexString(address));
        }
        return r.data();
    }

    /** Reads with whatever response the slave gives; the address phase's cycle tells when the value was sampled. */
    public Response readResponse(long address) {
        addr = address;
        reading = true;
        addrDone = false;
        result = null;
        bench.runUntil(() -> result != null, "the read response of 0x" + Long.toHexString(address));
        return result;
    }

    /** Writes all four bytes; fails unless the response is OKAY. */
    public void write(long address, long value) {
        int resp = write(address, value, 0xF);
        if (resp != OKAY) {
            throw bench.sim().mismatch(p + "_bresp", bench.sim().cycle(), OKAY, resp, "writing address 0x" + Long.toHexString(address));
        }
    }

    /** Writes the bytes selected by {@code strobes}; returns the response code. */
    public int write(long address, long value, int strobes) {
        addr = address;
        data = value;
        strb = strobes;
        writing = true;
        awDone = false;
        wDone = false;
        result = null;
        bench.runUntil(() -> result != null, "the write response of 0x" + Long.toHexString(address));
        return result.resp();
    }

    /** The cycle of the last transaction's address handshake (a write takes effect at the end of it, a read samples there). */
    public long lastAddressCycle() {
        return addressCycle;
    }

    private boolean go() {
        return gaps <= 0 || rnd.nextDouble() >= gaps;
    }

    @Override
    public void drive(Simulator sim, long cycle) {
        // a valid, once raised, stays up until its handshake
        boolean aw = writing && !awDone && (sim.peek(p + "_awvalid") == 1 || go());
        boolean w = writing && !wDone && (sim.peek(p + "_wvalid") == 1 || go());
        sim.poke(p + "_awvalid", aw ? 1 : 0);
        sim.poke(p + "_awaddr", aw ? addr : 0);
        sim.poke(p + "_wvalid", w ? 1 : 0);
        sim.poke(p + "_wdata", w ? data : 0);
        sim.poke(p + "_wstrb", w ? strb : 0);
        sim.poke(p + "_bready", writing && awDone && wDone && go() ? 1 : 0);
        boolean ar = reading && !addrDone && (sim.peek(p + "_arvalid") == 1 || go());
        sim.poke(p + "_arvalid", ar ? 1 : 0);
        sim.poke(p + "_araddr", ar ? addr : 0);
        sim.poke(p + "_rready", reading && addrDone && go() ? 1 : 0);
    }

    @Override
    public void sample(Simulator sim, long cycle) {
        if (writing) {
            boolean awFire = sim.peek(p + "_awvalid") == 1 && sim.peek(p + "_awready") == 1;
            boolean wFire = sim.peek(p + "_wvalid") == 1 && sim.peek(p + "_wready") == 1;
            if (awFire) {
                awDone = true;
                addressCycle = cycle;
            }
            wDone |= wFire;
            if (sim.peek(p + "_bvalid") == 1 && sim.peek(p + "_bready") == 1) {
                writing = false;
                result = new Response(0, (int) sim.peek(p + "_bresp"), addressCycle);
            }
        }
        if (reading) {
            if (sim.peek(p + "_arvalid") == 1 && sim.peek(p + "_arready") == 1) {
                addrDone = true;
                addressCycle = cycle;
            }
            if (sim.peek(p + "_rvalid") == 1 && sim.peek(p + "_rready") == 1) {
                reading = false;
                result = new Response(sim.peek(p + "_rdata") & 0xFFFF_FFFFL, (int) sim.peek(p + "_rresp"), addressCycle);
            }
        }
    }
}

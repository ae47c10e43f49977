package dev.qforge.fpga.shell;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.fpga.shell.regmap.RegisterMap;
import dev.qforge.fpga.uart.BridgeLayout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.qforge.dsl.Expr.bool;
import static dev.qforge.dsl.Expr.cat;
import static dev.qforge.dsl.Expr.u;
import static dev.qforge.dsl.HwType.uint;

/**
 * The shell's logic around the block: each valid/ready stream as an AXI4-Stream interface, and the
 * AXI4-Lite register file of {@link ShellRegisters}. Everything here resets on {@code rst}; the
 * top ({@link AxiShell#top()}) drives {@code rst} from {@code aresetn} and from
 * {@code soft_reset}, the pulse this module raises after the write response of a CONTROL.SOFT_RESET
 * write, so the soft reset never cuts an AXI4-Lite transaction.
 */
public final class AxiShellCore extends Module {
    private static final int WORD = 32;
    private static final HwType WORD_T = uint(WORD);

    public AxiShellCore(Module block, List<AxisStream> streams, RegisterMap map) {
        super("AxiShellCore_" + block.name());
        Instance<Module> dut = instance("block", block);
        int aw = map.addressBits();

        // ---- AXI4-Lite slave ports
        Signal awaddr = input("s_axi_awaddr", uint(aw));
        Signal awvalid = input("s_axi_awvalid", HwType.bool());
        Signal awready = output("s_axi_awready", HwType.bool());
        Signal wdata = input("s_axi_wdata", WORD_T);
        Signal wstrb = input("s_axi_wstrb", uint(4));
        Signal wvalid = input("s_axi_wvalid", HwType.bool());
        Signal wready = output("s_axi_wready", HwType.bool());
        Signal bresp = output("s_axi_bresp", uint(2));
        Signal bvalid = output("s_axi_bvalid", HwType.bool());
        Signal bready = input("s_axi_bready", HwType.bool());
        Signal araddr = input("s_axi_araddr", uint(aw));
        Signal arvalid = input("s_axi_arvalid", HwType.bool());
        Signal arready = output("s_axi_arready", HwType.bool());
        Signal rdata = output("s_axi_rdata", WORD_T);
        Signal rresp = output("s_axi_rresp", uint(2));
        Signal rvalid = output("s_axi_rvalid", HwType.bool());
        Signal rready = input("s_axi_rready", HwType.bool());
        Signal interrupt = output("irq", HwType.bool());
        Signal softReset = output("soft_reset", HwType.bool());

        // ---- streams: TDATA fields straight to and from the block's payload ports (no added latency)
        Expr anyIn = bool(false);
        Expr lastOut = bool(false);
        Expr padError = bool(false);
        Map<String, Expr> stallConditions = new LinkedHashMap<>();
        List<Signal> beatsRegs = new ArrayList<>();
        Signal busy = reg("busy", HwType.bool(), 0);
        for (AxisStream s : streams) {
            String p = s.bus() + "_";
            Signal tdata = s.input() ? input(p + "tdata", uint(8 * s.bytes())) : output(p + "tdata", uint(8 * s.bytes()));
            Signal tvalid = s.input() ? input(p + "tvalid", HwType.bool()) : output(p + "tvalid", HwType.bool());
            Signal tready = s.input() ? output(p + "tready", HwType.bool()) : input(p + "tready", HwType.bool());
            Signal valid = dut.io(s.name() + "_valid");
            Signal ready = dut.io(s.name() + "_ready");
            Expr fire = tvalid.and(tready);
            int bits = s.format().bits();
            if (s.input()) {
                valid.set(tvalid);
                tready.set(ready);
                int at = 0;
                for (BridgeLayout.Field f : s.format().fields()) {
                    Signal port = block.port(f.port());
                    dut.io(port).set(BridgeLayout.asPortType(tdata.slice(at + f.width() - 1, at), port.type()));
                    at += f.width();
                }
                if (bits < tdata.width()) {
                    padError = padError.or(fire.and(tdata.slice(tdata.width() - 1, bits).orReduce()));
                }
                anyIn = anyIn.or(fire);
                stallConditions.put(s.bus(), busy.and(tready).and(tvalid.not()));
            } else {
                tvalid.set(valid);
                ready.set(tready);
                List<Expr> parts = new ArrayList<>();
                for (BridgeLayout.Field f : s.format().fields()) {
                    Signal v = dut.io(f.port());
                    parts.add(0, v.type().isBool() ? v : v.asUInt());
                }
                Expr packed = cat(parts.toArray(new Expr[0]));
                tdata.set(bits < tdata.width() ? packed.extend(tdata.width()) : packed);
                // TLAST on the last beat of a result transaction: M_AXIS_<S>_BEATS beats (0 acts as 1)
                Signal beats = reg(s.bus() + "_beats", WORD_T, 1);
                Signal count = reg(s.bus() + "_count", WORD_T, 0);
                beatsRegs.add(beats);
                Expr last = count.plus(1).ge(beats);
                output(p + "tlast", HwType.bool()).set(last);
                when(fire, () -> when(last, () -> count.set(u(0, WORD))).otherwise(() -> count.set(count.plus(1).truncate(WORD))));
                lastOut = lastOut.or(fire.and(last));
                stallConditions.put(s.bus(), tvalid.and(tready.not()));
            }
        }
        Expr inFire = anyIn;
        Expr done = lastOut;
        when(inFire, () -> busy.set(bool(true))).elsewhen(done, () -> busy.set(bool(false)));

        // ---- live registers
        Signal intrEnable = reg("intr_enable", uint(2), 0);
        Signal intrStatus = reg("intr_status", uint(2), 0);
        Signal results = reg("results", WORD_T, 0);
        Signal busyCycles = reg("busy_cycles", WORD_T, 0);
        Map<String, Signal> stalls = new LinkedHashMap<>();
        Signal clearCounters = reg("clear_counters", HwType.bool(), 0);
        clearCounters.set(bool(false));
        List<Signal> counters = new ArrayList<>(List.of(results, busyCycles));
        for (Map.Entry<String, Expr> e : stallConditions.entrySet()) {
            Signal c = reg(e.getKey() + "_stalls", WORD_T, 0);
            stalls.put(e.getKey(), c);
            counters.add(c);
            when(e.getValue(), () -> c.set(c.plus(1).truncate(WORD)));
        }
        when(busy, () -> busyCycles.set(busyCycles.plus(1).truncate(WORD)));
        when(done, () -> results.set(results.plus(1).truncate(WORD)));
        when(clearCounters, () -> counters.forEach(c -> c.set(u(0, WORD))));
        interrupt.set(intrStatus.and(intrEnable).orReduce());

        // ---- AXI4-Lite writes: address and data taken together, one response each
        Signal bvalidQ = reg("bvalid_q", HwType.bool(), 0);
        Signal brespQ = reg("bresp_q", uint(2), 0);
        Signal resetPending = reg("reset_pending", HwType.bool(), 0);
        Signal softResetQ = reg("soft_reset_q", HwType.bool(), 0);
        bvalid.set(bvalidQ);
        bresp.set(brespQ);
        softReset.set(softResetQ);
        Expr writeGo = awvalid.and(wvalid).and(bvalidQ.not()).and(resetPending.not());
        awready.set(writeGo);
        wready.set(writeGo);
        Expr byteMask = cat(rep(wstrb.bit(3)), rep(wstrb.bit(2)), rep(wstrb.bit(1)), rep(wstrb.bit(0)));
        Expr written = wdata.and(byteMask);
        Map<RegisterMap.Register, Signal> rw = new LinkedHashMap<>();
        int out = 0;
        for (RegisterMap.Register r : map.registers()) {
            if (r.access() == RegisterMap.Access.RW && r.name().endsWith("_BEATS")) {
                rw.put(r, beatsRegs.get(out++));
            }
        }
        // interrupt status: events set bits, a write of 1 clears them (an event in the same cycle wins)
        Expr w1c = writeGo.and(awaddr.eq(map.register(ShellRegisters.INTR_STATUS).offset())).and(written.slice(1, 0).orReduce());
        Expr cleared = Expr.mux(w1c, intrStatus.and(written.slice(1, 0).not()), intrStatus);
        intrStatus.set(cleared.or(cat(padError, done)));
        when(bvalidQ.and(bready), () -> {
            bvalidQ.set(bool(false));
            when(resetPending, () -> softResetQ.set(bool(true)));
        });
        when(writeGo, () -> {
            bvalidQ.set(bool(true));
            brespQ.set(u(2, 2)); // SLVERR unless the address is a writable register
            for (RegisterMap.Register r : map.registers()) {
                if (r.access() == RegisterMap.Access.RO) {
                    continue;
                }
                when(awaddr.eq(r.offset()), () -> {
                    brespQ.set(u(0, 2));
                    switch (r.name()) {
                        case ShellRegisters.CONTROL -> {
                            when(written.bit(0), () -> resetPending.set(bool(true)));
                            when(written.bit(1), () -> clearCounters.set(bool(true)));
                        }
                        case ShellRegisters.INTR_ENABLE -> intrEnable.set(merge(intrEnable, written, byteMask));
                        case ShellRegisters.INTR_STATUS -> { } // above
                        default -> {
                            Signal target = rw.get(r);
                            target.set(merge(target, written, byteMask));
                        }
                    }
                });
            }
        });

        // ---- AXI4-Lite reads: one at a time, the value sampled when the address is taken
        Signal rvalidQ = reg("rvalid_q", HwType.bool(), 0);
        Signal rdataQ = reg("rdata_q", WORD_T, 0);
        Signal rrespQ = reg("rresp_q", uint(2), 0);
        rvalid.set(rvalidQ);
        rdata.set(rdataQ);
        rresp.set(rrespQ);
        Expr readGo = arvalid.and(rvalidQ.not()).and(resetPending.not());
        arready.set(rvalidQ.not().and(resetPending.not()));
        when(rvalidQ.and(rready), () -> rvalidQ.set(bool(false)));
        when(readGo, () -> {
            rvalidQ.set(bool(true));
            rdataQ.set(u(0, WORD));
            rrespQ.set(u(2, 2));
            for (RegisterMap.Register r : map.registers()) {
                Expr value = switch (r.name()) {
                    case ShellRegisters.CONTROL -> u(0, WORD);
                    case ShellRegisters.STATUS -> busy.extend(WORD);
                    case ShellRegisters.INTR_ENABLE -> intrEnable.extend(WORD);
                    case ShellRegisters.INTR_STATUS -> intrStatus.extend(WORD);
                    case ShellRegisters.RESULTS -> results;
                    case ShellRegisters.BUSY_CYCLES -> busyCycles;
                    default -> r.value() != null ? u(r.value(), WORD) : liveStreamRegister(r, rw, stalls);
                };
                when(araddr.eq(r.offset()), () -> {
                    rrespQ.set(u(0, 2));
                    rdataQ.set(value);
                });
            }
        });
    }

    private static Expr liveStreamRegister(RegisterMap.Register r, Map<RegisterMap.Register, Signal> rw, Map<String, Signal> stalls) {
        if (rw.containsKey(r)) {
            return rw.get(r);
        }
        String bus = r.name().substring(0, r.name().length() - ShellRegisters.STALL_SUFFIX.length()).toLowerCase(java.util.Locale.ROOT);
        return stalls.get(bus);
    }

    /** {@code old} with the bytes of {@code mask} replaced by {@code value}'s, at {@code old}'s width. */
    private static Expr merge(Signal old, Expr value, Expr mask) {
        int w = old.width();
        Expr m = mask.slice(w - 1, 0);
        return old.and(m.not()).or(value.slice(w - 1, 0).and(m));
    }

    /** A WSTRB bit as its byte lane's mask. */
    private static Expr rep(Expr bit) {
        return Expr.mux(bit, u(0xFF, 8), u(0, 8));
    }
}

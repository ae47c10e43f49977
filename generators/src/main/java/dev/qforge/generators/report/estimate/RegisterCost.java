package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.SignalMap;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import static dev.qforge.generators.report.estimate.Operators.ceilDiv;
import static dev.qforge.generators.report.estimate.Operators.distinctBits;
import static dev.qforge.generators.report.estimate.Operators.strip;

/**
 * Costs the registers that stay flip-flops: shift-register chains become SRLs on Xilinx, copies
 * of the same bit are merged, and DSP-absorbed registers are counted with the DSP.
 */
final class RegisterCost {
    private final Module module;
    private final Target target;
    private final Drivers drivers;
    private final Liveness liveness;
    private final DspAbsorption dsps;
    private final Tally tally;
    /** Flip-flop bits that copy a signal straight: on iCE40 each takes a logic cell of its own. */
    private long unpairedBits;

    RegisterCost(Module module, Target target, Drivers drivers, Liveness liveness, DspAbsorption dsps, Tally tally) {
        this.module = module;
        this.target = target;
        this.drivers = drivers;
        this.liveness = liveness;
        this.dsps = dsps;
        this.tally = tally;
        count();
    }

    /** Flip-flop bits that copy a signal straight, with no logic in front to share their cell. */
    long unpairedBits() {
        return unpairedBits;
    }

    private void count() {
        Set<Object> enables = Collections.newSetFromMap(new IdentityHashMap<>());
        SignalMap<int[]> inShiftRegisters = target.isIce40() ? null : shiftRegisters();
        for (Signal s : module.signals()) {
            if (s.kind() != Signal.Kind.REG || dsps.isAbsorbed(s) || liveness.liveWidth(s) == 0) {
                continue;
            }
            List<Drivers.Driver> ds = drivers.of(s);
            int bits = Math.min(liveness.liveWidth(s), ds.size() == 1 ? distinctBits(ds.get(0).assign().value(), s.width()) : s.width());
            int[] inChains = inShiftRegisters == null ? null : inShiftRegisters.get(s);
            int packed = inChains == null ? 0 : inChains[0];
            if (packed >= bits) {
                continue;
            }
            tally.add(Resource.FF, Math.max(0, bits - packed - dsps.absorbedBits(s)));
            boolean enabled = EnableNets.hasEnable(ds);
            if (enabled && s.resetValue() != null && target.isIce40()) {
                // SB_DFFESR resets only while enabled: Yosys ORs rst into the enable with one LUT
                enables.add(ds.get(0).path().get(0).stmt().cond());
            }
            if (ds.size() == 1 && !(strip(ds.get(0).assign().value()) instanceof Op)) {
                unpairedBits += s.width();
            }
        }
        tally.add(Resource.LUT, enables.size());
    }

    /**
     * Register bits Yosys' shregmap packs into SRL16E/SRLC32E on Xilinx, per register: it works bit
     * by bit, on chains of at least three flip-flops without reset on the same enable, each read only
     * by the next (the last one may be read anywhere), so a register read whole by the next one
     * chains, and so do bits read through a slice that nothing else reads (a pipelined adder's
     * operand pieces and sum pieces, which wait in registers of their own: measured on the
     * requantizer, 355 SRL16E on xcup). Each chain costs one LUT per bit per 32 stages instead of
     * its flip-flops. Per register, by serial (a large array's skew chains hold ~10^5 registers),
     * the bits packed (a one-element counter).
     */
    private SignalMap<int[]> shiftRegisters() {
        SignalMap<Signal> prev = new SignalMap<>(module);
        SignalMap<int[]> forwarded = new SignalMap<>(module); // bits of a register the next ones take
        for (Signal s : module.signals()) {
            Signal p = chainedFrom(s);
            if (p != null) {
                prev.put(s, p);
                forwarded.computeIfAbsent(p, k -> new int[1])[0] += s.width();
            }
        }
        SignalMap<int[]> packed = new SignalMap<>(module);
        for (Signal s : module.signals()) {
            if (s.kind() != Signal.Kind.REG || dsps.isAbsorbed(s)) {
                continue;
            }
            // the bits that end their chain here (the chain is walked only then: a chain of n stages ends once, not n times)
            int ending = Math.max(0, Math.min(liveness.liveWidth(s), s.width()) - (forwarded.get(s) == null ? 0 : forwarded.get(s)[0]));
            if (ending == 0) {
                continue;
            }
            List<Signal> chain = new ArrayList<>();
            for (Signal r = s; r != null; r = prev.get(r)) {
                chain.add(r);
            }
            Signal head = chain.get(chain.size() - 1);
            if (chain.size() < 3 || head.resetValue() != null || drivers.of(head).size() != 1) {
                continue;
            }
            for (Signal r : chain) {
                packed.computeIfAbsent(r, k -> new int[1])[0] += ending;
            }
            tally.add(Resource.LUT, (long) ending * ceilDiv(chain.size(), 32));
        }
        return packed;
    }

    /**
     * The register {@code s} copies on the same enable, whole or the bits of a slice, when those
     * bits are read by s alone (every other reader of it reads other bits through a slice), else null.
     */
    private Signal chainedFrom(Signal s) {
        List<Drivers.Driver> ds = s.kind() == Signal.Kind.REG && s.resetValue() == null && !dsps.isAbsorbed(s) ? drivers.of(s) : List.of();
        if (ds.size() != 1) {
            return null;
        }
        // through the wiring (slices, concatenations, retyping) down to the register whose bits lo..hi s takes
        Expr from = ds.get(0).assign().value();
        int lo = 0;
        int hi = s.width() - 1;
        while (from instanceof Op op && (op.kind() == Op.Kind.SLICE || op.kind() == Op.Kind.RETYPE || op.kind() == Op.Kind.CAT)) {
            if (op.kind() == Op.Kind.SLICE) {
                lo += op.p1();
                hi += op.p1();
                from = op.operand(0);
            } else if (op.kind() == Op.Kind.RETYPE) {
                from = op.operand(0);
            } else {
                Expr part = null;
                for (int k = op.operandCount() - 1, off = 0; k >= 0 && part == null; off += op.operand(k).width(), k--) {
                    if (off <= lo && hi < off + op.operand(k).width()) {
                        part = op.operand(k);
                        lo -= off;
                        hi -= off;
                    }
                }
                if (part == null) {
                    return null; // the bits come from more than one part
                }
                from = part;
            }
        }
        if (!(from instanceof Signal p) || p.kind() != Signal.Kind.REG || p.resetValue() != null || dsps.isAbsorbed(p)
                || !readAlone(p, lo, hi)) {
            return null;
        }
        List<Drivers.Driver> dp = drivers.of(p);
        return dp.size() == 1 && sameConditions(dp.get(0).path(), ds.get(0).path()) ? p : null;
    }

    /** Whether bits lo..hi of {@code p} have one reader, which reads exactly them. */
    private boolean readAlone(Signal p, int lo, int hi) {
        List<int[]> reads = new ArrayList<>();
        bitsRead(p, 0, 0, p.width() - 1, reads);
        int overlapping = 0;
        for (int[] r : reads) {
            if (r[0] <= hi && lo <= r[1]) {
                if (r[0] != lo || r[1] != hi) {
                    return false;
                }
                overlapping++;
            }
        }
        return overlapping == 1;
    }

    /**
     * The bits of a register each reader of {@code e} takes, through the wiring: e's bits
     * winLo..winHi are the register's bits base + winLo.. (e's other bits are not the register's).
     */
    private void bitsRead(Expr e, int base, int winLo, int winHi, List<int[]> reads) {
        List<Op> ops = e instanceof Signal s ? liveness.consumers(s) : liveness.consumers((Op) e);
        int others = (e instanceof Signal s ? liveness.readers(s) : liveness.uses((Op) e)) - ops.size();
        for (int i = 0; i < others; i++) {
            reads.add(new int[] {base + winLo, base + winHi});
        }
        for (Op op : ops) {
            switch (op.kind()) {
                case SLICE -> {
                    int lo = Math.max(winLo, op.p1());
                    int hi = Math.min(winHi, op.p0());
                    if (lo <= hi) {
                        bitsRead(op, base + op.p1(), lo - op.p1(), hi - op.p1(), reads);
                    }
                }
                case RETYPE -> bitsRead(op, base, winLo, winHi, reads);
                case CAT -> {
                    for (int k = op.operandCount() - 1, off = 0; k >= 0; off += op.operand(k).width(), k--) {
                        if (op.operand(k) == e) {
                            bitsRead(op, base - off, winLo + off, winHi + off, reads);
                        }
                    }
                }
                default -> reads.add(new int[] {base + winLo, base + winHi});
            }
        }
    }

    private static boolean sameConditions(List<Drivers.Step> a, List<Drivers.Step> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).stmt().cond() != b.get(i).stmt().cond() || a.get(i).then() != b.get(i).then()) {
                return false;
            }
        }
        return true;
    }
}

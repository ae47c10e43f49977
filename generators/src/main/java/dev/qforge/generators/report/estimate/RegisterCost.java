package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
        Set<Signal> inShiftRegisters = target.isIce40() ? Set.of() : shiftRegisters();
        for (Signal s : module.signals()) {
            if (s.kind() != Signal.Kind.REG || dsps.isAbsorbed(s) || inShiftRegisters.contains(s) || liveness.liveWidth(s) == 0) {
                continue;
            }
            List<Drivers.Driver> ds = drivers.of(s);
            int bits = Math.min(liveness.liveWidth(s), ds.size() == 1 ? distinctBits(ds.get(0).assign().value(), s.width()) : s.width());
            tally.add(Resource.FF, Math.max(0, bits - dsps.absorbedBits(s)));
            boolean enabled = ds.stream().noneMatch(Drivers.Driver::isUnconditional);
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
     * Registers Yosys' shregmap packs into SRL16E/SRLC32E on Xilinx: chains of at least three
     * registers without reset on the same enable, each read only by the next (the last one may be
     * read anywhere). Each chain costs one LUT per bit per 32 stages instead of its flip-flops.
     */
    private Set<Signal> shiftRegisters() {
        Map<Signal, Signal> next = new IdentityHashMap<>();
        for (Signal s : module.signals()) {
            Signal prev = chainedFrom(s);
            if (prev != null) {
                next.put(prev, s);
            }
        }
        Set<Signal> packed = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Signal> successors = Collections.newSetFromMap(new IdentityHashMap<>());
        successors.addAll(next.values());
        for (Signal head : next.keySet()) {
            if (successors.contains(head) || head.resetValue() != null || drivers.of(head).size() != 1) {
                continue;
            }
            List<Signal> chain = new ArrayList<>();
            for (Signal s = head; s != null; s = next.get(s)) {
                chain.add(s);
            }
            if (chain.size() >= 3) {
                packed.addAll(chain);
                tally.add(Resource.LUT, (long) liveness.liveWidth(chain.get(chain.size() - 1)) * ceilDiv(chain.size(), 32));
            }
        }
        return packed;
    }

    /** The register {@code s} copies on the same enable when it is the only reader of it, else null. */
    private Signal chainedFrom(Signal s) {
        List<Drivers.Driver> ds = s.kind() == Signal.Kind.REG && s.resetValue() == null && !dsps.isAbsorbed(s) ? drivers.of(s) : List.of();
        if (ds.size() != 1 || !(ds.get(0).assign().value() instanceof Signal p) || p.kind() != Signal.Kind.REG
                || p.resetValue() != null || p.width() != s.width() || liveness.readers(p) != 1 || dsps.isAbsorbed(p)) {
            return null;
        }
        List<Drivers.Driver> dp = drivers.of(p);
        return dp.size() == 1 && sameConditions(dp.get(0).path(), ds.get(0).path()) ? p : null;
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

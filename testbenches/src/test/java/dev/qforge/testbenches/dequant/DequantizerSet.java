package dev.qforge.testbenches.dequant;

import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.dequant.DequantConfig;
import dev.qforge.generators.dequant.DequantCycleModel;
import dev.qforge.generators.dequant.Dequantizer;

import java.util.List;

import static dev.qforge.dsl.HwType.bool;

/**
 * Several dequant units of one pipeline depth sharing {@code in_valid} and {@code out_ready}, so one
 * Verilator model checks several formats: every unit's control is the same generator code, so
 * {@code in_ready} and {@code out_valid} come from the first; unit k's data ports appear as
 * {@link #port} names them ({@code in_u<k>_codes}, {@code out_u<k>_exp_0}, ...), so they stay the
 * payload of the {@code in} and {@code out} streams.
 */
final class DequantizerSet extends Module {
    private static final List<String> CONTROL = List.of("in_valid", "in_ready", "out_valid", "out_ready");

    /** The units' count and a hash of their module names, which state every parameter (joined, they would pass file-name limits). */
    private static String name(List<DequantConfig> cfgs) {
        String units = String.join(",", cfgs.stream().map(c -> new Dequantizer(c).name()).toList());
        return "DequantSet_" + cfgs.size() + "u_" + Integer.toHexString(units.hashCode());
    }

    /** The set's name for unit k's data port {@code name}: {@code in_codes} -> {@code in_u<k>_codes}. */
    static String port(int k, String name) {
        return name.replaceFirst("_", "_u" + k + "_");
    }

    DequantizerSet(List<DequantConfig> cfgs) {
        super(name(cfgs));
        int latency = DequantCycleModel.latency(cfgs.get(0));
        if (cfgs.stream().anyMatch(c -> DequantCycleModel.latency(c) != latency)) {
            throw new IllegalArgumentException("units of a set share their control, so they need one latency: " + cfgs);
        }
        Signal inValid = input("in_valid", bool());
        Signal inReady = output("in_ready", bool());
        Signal outValid = output("out_valid", bool());
        Signal outReady = input("out_ready", bool());
        for (int k = 0; k < cfgs.size(); k++) {
            Dequantizer d = new Dequantizer(cfgs.get(k));
            Instance<Dequantizer> u = instance("dq" + k, d);
            u.io(d.inValid).set(inValid);
            u.io(d.outReady).set(outReady);
            if (k == 0) {
                inReady.set(u.io(d.inReady));
                outValid.set(u.io(d.outValid));
            }
            for (Signal p : d.ports()) {
                if (CONTROL.contains(p.name())) {
                    continue;
                }
                if (p.kind() == Signal.Kind.INPUT) {
                    u.io(p).set(input(port(k, p.name()), p.type()));
                } else {
                    output(port(k, p.name()), p.type()).set(u.io(p));
                }
            }
        }
    }
}

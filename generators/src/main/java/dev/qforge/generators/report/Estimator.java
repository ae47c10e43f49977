package dev.qforge.generators.report;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Module;
import dev.qforge.generators.report.estimate.LiveModule;
import dev.qforge.generators.report.estimate.ModuleModel;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Estimates the resources and Fmax of an elaborated design for every {@link Target}, without running
 * any tool: each distinct module is modelled once ({@link ModuleModel}) and counted once per
 * instance. Instant even for large arrays (linear in the size of the IR).
 */
public final class Estimator {
    private Estimator() { }

    /**
     * How far, in percent, a LUT, flip-flop, DSP or BRAM figure may be off the synthesized one: what CalibrationTest
     * (fpga) holds every figure of its designs to against Yosys 0.23 on every target, but its few known gaps.
     */
    public static final double CALIBRATED_ERROR_PERCENT = 12.0;

    /** One module's figures on one target: per instance (its own logic, not its submodules) and in total. */
    public record ModuleFigures(String module, long instances, Resources perInstance) {
        public Resources total() { return perInstance.times(instances); }
    }

    /**
     * A target's estimate: per module (submodules first), in total, the critical path, and why the
     * design does not fit the device ("" when it fits).
     */
    public record TargetEstimate(Target target, List<ModuleFigures> modules, Resources total,
                                 double criticalPathNs, String criticalPath, String doesNotFit) {
        /** Fmax from the critical path, at most the clock network's limit; MHz rounded to 0.1. Meaningful only when {@link #fits}. */
        public double fmaxMhz() {
            return Math.round(10 * Math.min(1000.0 / criticalPathNs, target.delays().maxClockMhz())) / 10.0;
        }

        public boolean fits() {
            return doesNotFit.isEmpty();
        }
    }

    public static Map<Target, TargetEstimate> estimate(Design design) {
        return estimate(design, EnumSet.allOf(Target.class));
    }

    /** The estimates on {@code targets} only, each as {@link #estimate(Design)} gives it (a spec's check needs its device's alone). */
    public static Map<Target, TargetEstimate> estimate(Design design, Set<Target> targets) {
        Map<String, Long> instances = instanceCounts(design);
        Map<Target, TargetEstimate> out = new EnumMap<>(Target.class);
        Map<Target, Map<String, ModuleModel>> models = new EnumMap<>(Target.class);
        Map<Target, List<ModuleFigures>> figures = new EnumMap<>(Target.class);
        // the top's critical path per target, kept rather than its model: a large array's top model is the largest,
        // and holding one per target until the end kept them all in the heap together
        Map<Target, TopPath> topPaths = new EnumMap<>(Target.class);
        for (Target t : targets) {
            models.put(t, new HashMap<>());
            figures.put(t, new ArrayList<>());
        }
        for (Module m : design.modules()) {
            LiveModule live = new LiveModule(m, design.drivers(m)); // the same on every target
            for (Target t : targets) {
                ModuleModel model = new ModuleModel(live, t, models.get(t), m == design.top());
                if (m == design.top()) {
                    topPaths.put(t, model.hasTimedPath() ? new TopPath(model.worstPathNs(), model.worstPathThrough())
                            : new TopPath(t.delays().clockToOut() + t.delays().lutLevel() + t.delays().setup(), "no timed path; one LUT level assumed"));
                } else {
                    models.get(t).put(m.name(), model);
                }
                figures.get(t).add(new ModuleFigures(m.name(), instances.get(m.name()), model.resources()));
            }
        }
        for (Target t : targets) {
            Resources total = Resources.none();
            for (ModuleFigures f : figures.get(t)) {
                total = total.plus(f.total());
            }
            TopPath top = topPaths.get(t);
            out.put(t, new TargetEstimate(t, List.copyOf(figures.get(t)), total, Math.round(top.ns() * 100) / 100.0, top.through(), overCapacity(t, total)));
        }
        return out;
    }

    /** The top's longest path, its delay and the elements it runs through (one LUT level when none is timed). */
    private record TopPath(double ns, String through) { }

    /** What the device lacks for {@code total}, e.g. "9 SB_MAC16 estimated, the up5k has 8"; "" when it fits. */
    static String overCapacity(Target t, Resources total) {
        List<String> over = new ArrayList<>();
        for (Resource r : t.resources()) {
            long have = t.capacity(r);
            if (have >= 0 && total.get(r) > have) {
                over.add(total.get(r) + " " + t.resourceName(r) + " estimated, the " + t.id() + " has " + have);
            }
        }
        return String.join("; ", over);
    }

    /** How many times each module occurs in the hierarchy under the top (the top once). */
    static Map<String, Long> instanceCounts(Design design) {
        Map<String, Long> count = new LinkedHashMap<>();
        List<Module> modules = design.modules();
        count.put(design.top().name(), 1L);
        for (int i = modules.size() - 1; i >= 0; i--) {
            Module m = modules.get(i);
            long n = count.getOrDefault(m.name(), 0L);
            for (Instance<?> inst : m.instances()) {
                count.merge(inst.def().name(), n, Long::sum);
            }
        }
        return count;
    }
}

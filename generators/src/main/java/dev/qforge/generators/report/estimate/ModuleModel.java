package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Resources;
import dev.qforge.generators.report.Target;

import java.util.HashMap;
import java.util.Map;

/**
 * The resource and timing model of one module for one target, read from its IR the way Yosys 0.23
 * maps it, each rule measured against Yosys (fpga's CalibrationTest). It runs these passes, each
 * reading the ones before:
 * <ol>
 *   <li>{@link Liveness} (shared by every target, in {@link LiveModule}): only live bits cost; each operator is costed at the bits its consumers read;</li>
 *   <li>{@link Arithmetic}: how adders, shifters and multipliers map (carry chains, DSP tiles, LUT multipliers);</li>
 *   <li>{@link DspAbsorption}: the registers and adders DSPs take in, as xilinx_dsp and ice40_dsp do;</li>
 *   <li>{@link LutCones}: bitwise and compare logic as ABC packs it into LUTs;</li>
 *   <li>costing: {@link LogicCost} (its conditions' leaves by {@link ConditionLeaves}, a shift by a computed amount by
 *       {@link FoldedShiftAmount}), the multiplexers ABC collapses for depth ({@link CollapsedSelects}), {@link RegisterCost},
 *       {@link MemoryCost};</li>
 *   <li>{@link ModuleTiming}: the critical path over the same facts.</li>
 * </ol>
 * Submodules are not included in the resources: {@code Estimator} adds them per instance.
 */
public final class ModuleModel {
    private final Module module;
    private final Target target;
    private final Drivers drivers;
    private final Liveness liveness;
    private final Arithmetic arithmetic;
    private final DspAbsorption dsps;
    private final LutCones cones;
    private final LogicCost logic;
    private final Resources resources;
    /** The critical-path model of this module, its submodules' included. */
    private final ModuleTiming timing;

    /** Models {@code live}'s module, whose submodules' models are {@code children} (by module name); {@code isTop} for the design's top. */
    public ModuleModel(LiveModule live, Target target, Map<String, ModuleModel> children, boolean isTop) {
        this.module = live.module();
        this.target = target;
        this.drivers = live.drivers();
        this.liveness = live.liveness();
        this.arithmetic = new Arithmetic(target, liveness, drivers);
        this.dsps = new DspAbsorption(module, target, drivers, liveness, arithmetic);
        this.cones = new LutCones(module, target, drivers, liveness, live.decoders());
        Tally tally = new Tally();
        this.logic = new LogicCost(liveness, arithmetic, cones, dsps, new ConditionLeaves(target, drivers), tally);
        tally.add(Resource.LUT, CollapsedSelects.extraLuts(target, liveness, cones, drivers));
        RegisterCost registers = new RegisterCost(module, target, drivers, liveness, dsps, tally);
        if (target.isIce40()) {
            // a logic cell per LUT, and one per flip-flop with no LUT in front to share it
            tally.add(Resource.LC, tally.get(Resource.LUT) + registers.unpairedBits());
        }
        new MemoryCost(module, target, drivers, tally);
        this.resources = tally.resources();
        Map<String, ModuleTiming> childTimings = new HashMap<>();
        children.forEach((name, child) -> childTimings.put(name, child.timing));
        this.timing = new ModuleTiming(this, childTimings, isTop);
    }

    /** This module's own resources (its submodules not included). */
    public Resources resources() {
        return resources;
    }

    /** Whether some register-to-register path (or, on the top, port path) was timed. */
    public boolean hasTimedPath() {
        return timing.worst().exists();
    }

    /** The delay of the longest path in this module (its submodules included), in ns. */
    public double worstPathNs() {
        return timing.worst().ns();
    }

    /** The elements the longest path runs through. */
    public String worstPathThrough() {
        return timing.worst().through();
    }

    // ---- the passes, for the timing model ------------------------------------------------------------

    Module module() { return module; }
    Target target() { return target; }
    Drivers drivers() { return drivers; }
    Liveness liveness() { return liveness; }
    Arithmetic arithmetic() { return arithmetic; }
    DspAbsorption dsps() { return dsps; }
    LutCones cones() { return cones; }
    LogicCost logic() { return logic; }
}

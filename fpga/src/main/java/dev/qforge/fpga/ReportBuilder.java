package dev.qforge.fpga;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.emit.VerilogEmitter;
import dev.qforge.fpga.ooc.OutOfContextPlacement;
import dev.qforge.fpga.synth.Nextpnr;
import dev.qforge.fpga.synth.SynthCache;
import dev.qforge.fpga.synth.Synthesis;
import dev.qforge.fpga.synth.Tool;
import dev.qforge.fpga.synth.Yosys;
import dev.qforge.generators.BlockInfo;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Measured;
import dev.qforge.generators.report.Report;
import dev.qforge.generators.report.Target;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Builds the report of a design: the estimates always; with {@code synthesize}, Yosys figures for
 * every target and nextpnr-ice40 place and route for the iCE40 targets, when the tools are installed
 * (a missing or failing tool is stated in the report, with the command and the tail of its output);
 * a block with more ports than the package has pins is placed out of context ({@link OutOfContextPlacement}).
 * Tool results are cached under ~/.cache/qforge/synth, so unchanged RTL is not synthesized twice.
 */
public final class ReportBuilder {
    /** Longest a single Yosys or nextpnr run may take before it is killed. */
    static final Duration TOOL_TIMEOUT = Duration.ofMinutes(20);

    private ReportBuilder() { }

    public static Report build(BlockInfo info, Design design, boolean synthesize) {
        return build(info, design, synthesize, line -> { });
    }

    /**
     * As {@link #build(BlockInfo, Design, boolean)}, telling {@code progress} (from any thread) as
     * each target's synthesis ends. Targets are synthesized two at a time: each Yosys run is
     * single-threaded, and the machines qforge runs on have at least two cores.
     */
    public static Report build(BlockInfo info, Design design, boolean synthesize, Consumer<String> progress) {
        Map<Target, Estimator.TargetEstimate> estimates = Estimator.estimate(design);
        if (!synthesize) {
            return Report.of(info, design, estimates, Map.of());
        }
        SynthCache cache = SynthCache.standard();
        Optional<Yosys> yosys = Yosys.find(cache, TOOL_TIMEOUT);
        Optional<Nextpnr> nextpnr = Nextpnr.find(cache, TOOL_TIMEOUT);
        Map<Target, Future<Measured>> running = new EnumMap<>(Target.class);
        ExecutorService twoAtATime = Executors.newFixedThreadPool(2);
        try {
            for (Target t : Target.values()) {
                running.put(t, twoAtATime.submit(() -> {
                    long t0 = System.nanoTime();
                    Measured m = measure(yosys, nextpnr, design, t);
                    progress.accept(String.format(Locale.ROOT, "%s: %s%s (%.1f s)", t.id(), m.status().lines().findFirst().orElse(""),
                            m.placeAndRoute() == null ? "" : ", place and route: " + m.placeAndRoute().status(), (System.nanoTime() - t0) / 1e9));
                    return m;
                }));
            }
            Map<Target, Measured> measured = new EnumMap<>(Target.class);
            for (Map.Entry<Target, Future<Measured>> e : running.entrySet()) {
                measured.put(e.getKey(), e.getValue().get());
            }
            return Report.of(info, design, estimates, measured);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while synthesizing " + design.top().name(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            twoAtATime.shutdownNow();
        }
    }

    /** Yosys figures of one target, and nextpnr place and route for iCE40; a missing or failing tool is stated, not thrown. */
    private static Measured measure(Optional<Yosys> yosys, Optional<Nextpnr> nextpnr, Design design, Target t) {
        if (yosys.isEmpty()) {
            return Measured.none("yosys not installed (not found on the PATH)");
        }
        try {
            Synthesis s = yosys.get().synthesize(design, t);
            Report.PlaceAndRoute pnr = t.isIce40() ? placeAndRoute(yosys.get(), nextpnr, s, design) : null;
            return new Measured(Measured.SYNTHESIZED, s.tool(), s.command(), s.modules(), s.total(), pnr);
        } catch (Tool.ToolException e) {
            return Measured.none("failed: " + e.getMessage());
        }
    }

    /** nextpnr-ice40 on the block's own pins, or {@link OutOfContextPlacement out of context} when it has more ports than the package has pins. */
    private static Report.PlaceAndRoute placeAndRoute(Yosys yosys, Optional<Nextpnr> nextpnr, Synthesis s, Design design) {
        if (nextpnr.isEmpty()) {
            return new Report.PlaceAndRoute("not run", "nextpnr-ice40 not installed (not found on the PATH)", "", null, null, Map.of());
        }
        try {
            int ioBits = ioBits(design);
            Nextpnr.Result r = OutOfContextPlacement.needed(s, ioBits) ? OutOfContextPlacement.place(yosys, nextpnr.get(), design, s, ioBits)
                    : nextpnr.get().placeAndRoute(s, ioBits);
            Map<String, Report.Usage> use = new LinkedHashMap<>();
            r.utilization().forEach((k, v) -> use.put(k, new Report.Usage(v.used(), v.available())));
            return r.fits() ? new Report.PlaceAndRoute(Report.PlaceAndRoute.FITS, r.reason(), r.command(), r.fmaxMhz(), null, use)
                    : new Report.PlaceAndRoute(Report.PlaceAndRoute.DOES_NOT_FIT, r.reason(), r.command(), null, null, use);
        } catch (Tool.ToolException e) {
            return new Report.PlaceAndRoute("failed", e.getMessage(), "", null, null, Map.of());
        }
    }

    /** Top-level port bits, clock and reset included: each needs a package pin. */
    public static int ioBits(Design design) {
        VerilogEmitter.Clocking c = design.clocking(design.top());
        int bits = (c.clock() ? 1 : 0) + (c.reset() ? 1 : 0);
        for (Signal p : design.top().ports()) {
            bits += p.width();
        }
        return bits;
    }
}

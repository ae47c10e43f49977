package dev.qforge.fpga.synth;

import dev.qforge.dsl.Design;
import dev.qforge.fpga.RequiresTools;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Target;
import dev.qforge.lib.SystolicArray;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The estimated Fmax against nextpnr-ice40 over systolic arrays that fit the packages' pins, within
 * {@link #BOUND_PERCENT} (LUT multipliers only: nextpnr does not time paths through SB_MAC16).
 */
class FmaxCalibrationTest {
    /** Reached: 12.7% (the delays are fitted to these runs, so this holds the fit, not a held-out error). */
    static final double BOUND_PERCENT = 13.0;

    /** target, rows, cols, activation bits, weight bits, accumulator bits. */
    static final Object[][] SWEEP = {
            {Target.UP5K, 2, 2, 4, 4, 10}, {Target.UP5K, 1, 1, 4, 4, 8}, {Target.UP5K, 2, 2, 3, 3, 8},
            {Target.HX8K, 2, 2, 4, 4, 10}, {Target.HX8K, 2, 2, 8, 8, 32}, {Target.HX8K, 2, 2, 8, 8, 24},
            {Target.HX8K, 2, 2, 6, 6, 16}, {Target.HX8K, 1, 1, 4, 4, 8}, {Target.HX8K, 1, 2, 16, 16, 32},
    };

    @Test
    void estimatedFmaxIsWithinTheBoundOfNextpnr() {
        RequiresTools.require("yosys", "nextpnr-ice40");
        Yosys yosys = Yosys.find(SynthCache.standard(), Duration.ofMinutes(5)).orElseThrow();
        Nextpnr nextpnr = Nextpnr.find(SynthCache.standard(), Duration.ofMinutes(5)).orElseThrow();
        StringBuilder table = new StringBuilder();
        List<String> failures = new ArrayList<>();
        double worst = 0;
        for (Object[] c : SWEEP) {
            Target t = (Target) c[0];
            SystolicArray top = new SystolicArray((int) c[1], (int) c[2], (int) c[3], (int) c[4], (int) c[5]);
            Design design = Design.elaborate(top);
            double est = Estimator.estimate(design).get(t).fmaxMhz();
            int io = 2 + top.ports().stream().mapToInt(p -> p.width()).sum();
            Nextpnr.Result r = nextpnr.placeAndRoute(yosys.synthesize(design, t), io, est);
            assertTrue(r.fits(), r.reason());
            assertNotNull(r.fmaxMhz(), "nextpnr timed no path");
            double err = 100.0 * (est - r.fmaxMhz()) / r.fmaxMhz();
            worst = Math.max(worst, Math.abs(err));
            String line = String.format(Locale.ROOT, "%-5s %dx%d a%dw%d acc%-3d Fmax est %6.1f MHz, nextpnr %6.1f MHz, %+5.1f%%",
                    t.id(), c[1], c[2], c[3], c[4], c[5], est, r.fmaxMhz(), err);
            table.append(line).append('\n');
            if (Math.abs(err) > BOUND_PERCENT) {
                failures.add(line);
            }
        }
        table.append(String.format(Locale.ROOT, "worst |error| %.1f%%", worst));
        System.out.println(table);
        assertTrue(failures.isEmpty(), "Fmax estimates off by more than " + BOUND_PERCENT + "%:\n" + String.join("\n", failures));
    }
}

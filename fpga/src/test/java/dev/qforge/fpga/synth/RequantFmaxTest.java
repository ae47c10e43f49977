package dev.qforge.fpga.synth;

import dev.qforge.dsl.Design;
import dev.qforge.fpga.ReportBuilder;
import dev.qforge.fpga.RequiresTools;
import dev.qforge.fpga.ooc.IoWrapper;
import dev.qforge.generators.report.Target;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.numerics.TfliteRounding;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A requantizing engine runs as fast as the same engine without its requantizer: the requantizer's
 * adders are cut into carry chains no longer than a PE's accumulator, so it never holds the engine
 * back. A 2 x 1 int8 weight-stationary engine as the default one is built (K up to 256, so 24-bit
 * accumulators; three PE stages), placed by nextpnr-ice40 on UP5K {@link IoWrapper out of context}:
 * its two PEs and the requantizer's four 16 x 16 products fill 6 of the 8 SB_MAC16, whose paths
 * nextpnr does not time, so what is timed is the fabric: carry chains, shifters, control. With Yosys
 * 0.23 and nextpnr 0.4: without requant 49.8 MHz (the engine's K-fold control), with TFLite's single
 * rounding 42.5 MHz and gemmlowp's double rounding 30.4 MHz before the requantizer was pipelined
 * into pieces (its 33-bit clamp compares and SRDHM's rounding add were the critical paths); now
 * see {@link #requantizingEnginesAreNoSlowerThanThePlainOne}'s output. The three placements take about
 * a minute cold, none when cached.
 */
class RequantFmaxTest {
    @Test
    void requantizingEnginesAreNoSlowerThanThePlainOne() throws Exception {
        RequiresTools.require("yosys", "nextpnr-ice40");
        Yosys yosys = Yosys.find(SynthCache.standard(), Duration.ofMinutes(20)).orElseThrow();
        Nextpnr nextpnr = Nextpnr.find(SynthCache.standard(), Duration.ofMinutes(20)).orElseThrow();
        SystolicConfig plain = SystolicConfig.int8(2, 1, 8, 256, 8, false).withPeStages(3);
        List<SystolicConfig> engines = List.of(plain, plain.withRequant(TfliteRounding.SINGLE_ROUNDING),
                plain.withRequant(TfliteRounding.DOUBLE_ROUNDING));
        ExecutorService twoAtATime = Executors.newFixedThreadPool(2);
        try {
            List<Future<Nextpnr.Result>> runs = new ArrayList<>();
            for (SystolicConfig c : engines) {
                Design placed = Design.elaborate(new IoWrapper(GemmEngineBlock.engine(c)));
                runs.add(twoAtATime.submit(() -> nextpnr.placeAndRoute(yosys.synthesize(placed, Target.UP5K), ReportBuilder.ioBits(placed))));
            }
            double[] fmax = new double[engines.size()];
            StringBuilder table = new StringBuilder();
            for (int i = 0; i < engines.size(); i++) {
                Nextpnr.Result r = runs.get(i).get();
                String name = engines.get(i).requant() == null ? "without requant" : engines.get(i).requant().optionName();
                assertTrue(r.fits(), name + ": " + r.reason());
                assertNotNull(r.fmaxMhz(), name + ": nextpnr timed no path");
                fmax[i] = r.fmaxMhz();
                table.append(String.format(Locale.ROOT, "ws 2x1 int8 acc%d %-16s up5k nextpnr %6.1f MHz%n", plain.accBits(), name, fmax[i]));
            }
            System.out.print(table);
            for (int i = 1; i < engines.size(); i++) {
                assertTrue(fmax[i] >= fmax[0], "a requantizing engine is slower than the same engine without requant:\n" + table);
            }
        } finally {
            twoAtATime.shutdownNow();
        }
    }
}

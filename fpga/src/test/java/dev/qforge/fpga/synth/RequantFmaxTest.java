package dev.qforge.fpga.synth;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.Module;
import dev.qforge.fpga.ReportBuilder;
import dev.qforge.fpga.RequiresTools;
import dev.qforge.fpga.ooc.IoWrapper;
import dev.qforge.generators.report.Target;
import dev.qforge.generators.requant.Requantizer;
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
 * The requantizer does not hold a GEMM engine back on iCE40: its adders are cut into carry chains no
 * longer than a PE's accumulator, so placed alone it runs faster than the engine without it, and the
 * requantizing engine as fast as the plain one. The engine is a 2 x 1 int8 weight-stationary one
 * like the default (K up to 256, so 24-bit accumulators; three PE stages), each design placed by
 * nextpnr-ice40 on UP5K {@link IoWrapper out of context}: the two PEs and the requantizer's four
 * 16 x 16 products fill 6 of the 8 SB_MAC16, so what is timed is the fabric (carry chains,
 * shifters, control; paths from a SB_MAC16's output are timed, paths into it not).
 *
 * <p>With Yosys 0.23 and nextpnr 0.4: the engine without requant 49.84 MHz (its K-fold control),
 * with requant 51.14 (tflite) and 50.45 MHz (gemmlowp), both on the engine's own accumulator memory
 * and adder; the requantizers alone 60.61 (tflite: a 24-bit piece) and 54.41 MHz (gemmlowp: the
 * five multiplexer levels of al = srdhm << k). Before the requantizer was cut into pieces the
 * requantizing engines ran at 42.5 and 30.4 MHz, on the 33-bit clamp comparisons and SRDHM's
 * rounding add. The five placements take about two minutes cold, none when cached.
 */
class RequantFmaxTest {
    /**
     * How far nextpnr's placement moves the same engine paths between two netlists: 0.2% measured
     * (49.75 MHz against 49.84 on the accumulator path, in a version whose requantizer was not critical either).
     */
    static final double PLACEMENT_NOISE = 0.01;

    @Test
    void requantizerDoesNotHoldTheEngineBack() throws Exception {
        RequiresTools.require("yosys", "nextpnr-ice40");
        Yosys yosys = Yosys.find(SynthCache.standard(), Duration.ofMinutes(20)).orElseThrow();
        Nextpnr nextpnr = Nextpnr.find(SynthCache.standard(), Duration.ofMinutes(20)).orElseThrow();
        SystolicConfig plain = SystolicConfig.int8(2, 1, 8, 256, 8, false).withPeStages(3);
        List<String> names = new ArrayList<>(List.of("engine without requant"));
        List<Module> tops = new ArrayList<>(List.of(GemmEngineBlock.engine(plain)));
        for (TfliteRounding mode : List.of(TfliteRounding.SINGLE_ROUNDING, TfliteRounding.DOUBLE_ROUNDING)) {
            names.add("engine " + mode.optionName());
            tops.add(GemmEngineBlock.engine(plain.withRequant(mode)));
            names.add("requantizer " + mode.optionName());
            tops.add(new Requantizer(plain.cols(), plain.accBits(), SystolicConfig.REQUANT_OUT_BITS, true, mode));
        }
        ExecutorService twoAtATime = Executors.newFixedThreadPool(2);
        try {
            List<Future<Nextpnr.Result>> runs = new ArrayList<>();
            for (Module top : tops) {
                Design placed = Design.elaborate(new IoWrapper(top));
                runs.add(twoAtATime.submit(() -> nextpnr.placeAndRoute(yosys.synthesize(placed, Target.UP5K), ReportBuilder.ioBits(placed))));
            }
            double[] fmax = new double[tops.size()];
            StringBuilder table = new StringBuilder();
            for (int i = 0; i < tops.size(); i++) {
                Nextpnr.Result r = runs.get(i).get();
                assertTrue(r.fits(), names.get(i) + ": " + r.reason());
                assertNotNull(r.fmaxMhz(), names.get(i) + ": nextpnr timed no path");
                fmax[i] = r.fmaxMhz();
                table.append(String.format(Locale.ROOT, "ws 2x1 int8 acc%d %-24s up5k nextpnr %6.2f MHz%n", plain.accBits(), names.get(i), fmax[i]));
            }
            System.out.print(table);
            for (int i = 1; i < tops.size(); i++) {
                // an engine's own paths place a little differently beside the requantizer; the requantizer alone has none of them
                double floor = tops.get(i) instanceof Requantizer ? fmax[0] : fmax[0] * (1 - PLACEMENT_NOISE);
                assertTrue(fmax[i] >= floor, names.get(i) + " is slower than the engine without requant:\n" + table);
            }
        } finally {
            twoAtATime.shutdownNow();
        }
    }
}

package dev.qforge.fpga.synth;

import com.example.dequant.GroupDequantizer;
import com.example.fir.Fir;
import dev.qforge.dsl.Design;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Rounding;
import dev.qforge.fpga.RequiresTools;
import dev.qforge.fpga.synth.blocks.Crc16;
import dev.qforge.fpga.synth.blocks.Fir5;
import dev.qforge.fpga.synth.blocks.FixedMulAdd;
import dev.qforge.fpga.synth.blocks.GroupDequant;
import dev.qforge.fpga.synth.blocks.MaxTree;
import dev.qforge.fpga.synth.blocks.Normalizer;
import dev.qforge.fpga.synth.blocks.Timer;
import dev.qforge.fpga.synth.blocks.WideMux;
import dev.qforge.fpga.synth.blocks.XorShift;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Report;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Resources;
import dev.qforge.generators.registry.Registry;
import dev.qforge.generators.report.Target;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.lib.AdderTree;
import dev.qforge.lib.Counter;
import dev.qforge.lib.MacPe;
import dev.qforge.lib.SkidBuffer;
import dev.qforge.lib.SyncFifo;
import dev.qforge.lib.SystolicArray;
import dev.qforge.numerics.TfliteRounding;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static dev.qforge.dsl.HwType.sint;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The estimator against Yosys 0.23 over a sweep of GEMM engines (controller, skew and accumulator
 * memories, PE grid, requantizer), the DSL library blocks and small blocks written as a user would
 * ({@code blocks}), the examples/ project's blocks and small instances of the other block families
 * (dequant, quantize, grouped W4A8 and MX engines, attention): LUT, FF, DSP and BRAM of the whole design within
 * {@link #BOUND_PERCENT} (or a {@link #KNOWN_GAPS known gap}'s own bound) on every target. Prints the table and the
 * worst error per group, target and resource.
 *
 * <p>The engines are small (at most 4 x 4, maxima of 16) so a cold run stays within a few minutes:
 * two syntheses at a time, each cached under ~/.cache/qforge/synth, so reruns start no tool. The
 * requantizing engines skip HX8K, whose LUT-only 32 x 32 multipliers take minutes to synthesize, and
 * so does the attention engine (26 s of Yosys there, the longest run of the set; it measured +3%).
 */
class CalibrationTest {
    /**
     * The bound on every design, group, target and resource but the {@link #KNOWN_GAPS}: the goal, 12%, declared once as
     * {@link Estimator#CALIBRATED_ERROR_PERCENT} (bring-up reads it too).
     * Yosys 0.23, worst |error| per group on main after the estimator's per-mechanism rules (carry-ins, known bits,
     * write decoders, shared and promoted enables, shift registers in SRLs, folded shift amounts, memories whose
     * enables exclude each other, SB_MAC16 tiling):
     * <ul>
     * <li>GEMM engines: LUT xcup 9.7%, xc7 6.0%, up5k 7.4%, hx8k 7.2%; FF 6.2%; DSP and BRAM 0% (was 12.8%: the
     *     double-rounding requantizer on xc7, before its adders were cut into pieces).
     * <li>Library blocks: LUT 9.3% (SyncFifo on iCE40; 17.1% on Xilinx before the up/down counter rule), FF 8.3%.
     * <li>User blocks: LUT 11.1% (GroupDequant on UP5K; 11.7% on HX8K before its soft multipliers were priced as maccmap's adder tree) but for the Normalizer on xcup (a known gap); the MaxTree 114 vs
     *     117 on Xilinx (ABC computes its second level again as LUT7s for depth, CollapsedSelects); FF, DSP 0%.
     * <li>examples/ project (held out): LUT 11.1% (the dequantizer, 10 vs 9 on Xilinx; the FIR 4.4% there, was
     *     24.2% on xcup), FF, DSP 0%.
     * <li>Block families (held out; dequant int4 and mxfp4, quantize mxfp8 and bfp4, W4A8, MX x MX, attention int8
     *     and int4 KV): LUT 8.8% (dequant int4 on UP5K, dequant mxfp4 on xcup; the former 11.6% before iCE40's
     *     compares with a constant became carry chains, CarryCompare; xc7 6.7%, dequant mxfp4; the attention engines -1.0% and
     *     -2.8% there, were -6.4% and -7.7% before LUT RAM stacks and enable-gated resets) but for the
     *     W4A8 engine on xcup (a known gap); FF 8.5%;
     *     DSP, BRAM 0% (were: LUT 44.3%, FF 10.4%, DSP 40%, BRAM 20%).
     * </ul>
     */
    static final double BOUND_PERCENT = Estimator.CALIBRATED_ERROR_PERCENT;

    static final String ENGINES_GROUP = "GEMM engines";
    static final String LIBRARY_GROUP = "library blocks";
    static final String USER_GROUP = "user blocks";
    static final String EXAMPLES_GROUP = "examples/ project";
    static final String FAMILIES_GROUP = "block families";

    /** A figure the estimator does not reach 12% on, held to its own bound, with the reason. */
    record KnownGap(String design, Target target, Resource resource, double boundPercent, String why) { }

    /**
     * Both on xcup, where synth_xilinx gives ABC 7-9-input LUTs (MUXF7/F8/F9; {@code -luts 2:2,3,6:5,10,20,40}
     * against {@code ...,10,20} on xc7) and ABC maps the same RTL to more LUTs at the same depth (measured: a
     * leading-zero count then a shift, 16 bits, 69 on xcup and 50 on xc7; 32 bits 344 and 213; a 21-bit value
     * shifted into an adder 406 and 261). With xc7's library on xcup the figures are xc7's; without ABC's choice
     * computation ({@code dch}) the normalizer is 57 on xcup, ABC's {@code strash; if} alone on the same network 58,
     * and a cut mapper with xcup's library on Yosys' network 75: the excess comes from ABC's rewriting and choices,
     * which no model of the mapping reproduces. The same float rounder RTL maps to 557 LUTs on xcup alone, 599 under
     * the scale stage and 648 in the W4A8 engine (518-538 on xc7), so these figures carry a context's spread too.
     */
    static final List<KnownGap> KNOWN_GAPS = List.of(
            new KnownGap("Normalizer", Target.XCUP, Resource.LUT, 28.0,
                    "50 estimated vs 69: exact on xc7 (50) and within 1.2% on iCE40 for the same RTL"),
            new KnownGap("W4A8 ws 2x2 g2", Target.XCUP, Resource.LUT, 20.0,
                    "2213 vs 2741: +2.3% on xc7 (2109 for the same RTL); Yosys maps its GroupScale to 548 LUTs on xcup and 381 on xc7,"
                    + " its FloatRounder to 648 and 526 (measured; ABC's area recovery, the same RTL)"));

    /** The bound of one figure: its known gap's, or {@link #BOUND_PERCENT}. */
    static double boundPercent(String design, Target target, Resource resource) {
        return KNOWN_GAPS.stream().filter(g -> g.design().equals(design) && g.target() == target && g.resource() == resource)
                .mapToDouble(KnownGap::boundPercent).findFirst().orElse(BOUND_PERCENT);
    }

    static final List<Resource> CHECKED = List.of(Resource.LUT, Resource.FF, Resource.DSP, Resource.BRAM);
    private static final List<Target> ALL = List.of(Target.values());
    private static final List<Target> WITHOUT_HX8K = List.of(Target.XCUP, Target.XC7, Target.UP5K);

    /** One calibration design: its group in the printed figures, its name, the top module and the targets it is synthesized for. */
    record Case(String group, String name, Supplier<Module> top, List<Target> targets) { }

    /**
     * Every design of the calibration set: engines, the DSL library blocks, small blocks written as a user
     * would, the examples/ project's blocks and the other block families as the registry builds them.
     */
    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        for (Engine e : engines()) {
            c.add(new Case(ENGINES_GROUP, e.name(), () -> GemmEngineBlock.engine(e.cfg()), e.targets()));
        }
        c.add(new Case(LIBRARY_GROUP, "Counter 16", () -> new Counter(16), ALL));
        c.add(new Case(LIBRARY_GROUP, "SyncFifo 8x16", () -> new SyncFifo(8, 16), ALL));
        c.add(new Case(LIBRARY_GROUP, "SkidBuffer 16", () -> new SkidBuffer(16), ALL));
        c.add(new Case(LIBRARY_GROUP, "AdderTree 8 x int8", () -> new AdderTree(8, sint(8)), ALL));
        c.add(new Case(LIBRARY_GROUP, "MacPe 8x8 acc32", () -> new MacPe(8, 8, 32), ALL));
        c.add(new Case(LIBRARY_GROUP, "SystolicArray 2x2 int8", () -> new SystolicArray(2, 2, 8, 8, 24), ALL));
        c.add(new Case(USER_GROUP, "FixedMulAdd", FixedMulAdd::new, ALL));
        c.add(new Case(USER_GROUP, "Fir5", Fir5::new, ALL));
        c.add(new Case(USER_GROUP, "GroupDequant", GroupDequant::new, ALL));
        c.add(new Case(USER_GROUP, "MaxTree", MaxTree::new, ALL));
        c.add(new Case(USER_GROUP, "WideMux", WideMux::new, ALL));
        c.add(new Case(USER_GROUP, "Timer", Timer::new, ALL));
        c.add(new Case(USER_GROUP, "Crc16", Crc16::new, ALL));
        c.add(new Case(USER_GROUP, "Normalizer", Normalizer::new, ALL));
        c.add(new Case(USER_GROUP, "XorShift 16x4", () -> new XorShift(16, 4), ALL));
        c.add(new Case(USER_GROUP, "XorShift 32x4", () -> new XorShift(32, 4), ALL));
        c.add(new Case(EXAMPLES_GROUP, "example Fir", CalibrationTest::exampleFir, ALL));
        c.add(new Case(EXAMPLES_GROUP, "example GroupDequantizer", CalibrationTest::exampleDequantizer, ALL));
        c.add(new Case(FAMILIES_GROUP, "dequant int4 l2 g32", () -> generated("dequant", "format", "int4", "lanes", "2", "group", "32"), ALL));
        c.add(new Case(FAMILIES_GROUP, "quantize mxfp8 bf16 l2", () -> generated("quantize", "input", "bf16", "lanes", "2"), ALL));
        c.add(new Case(FAMILIES_GROUP, "W4A8 ws 2x2 g2", () -> generated("systolic", "rows", "2", "cols", "2", "weight", "int4", "group", "2",
                "max-m", "4", "max-k", "4", "max-n", "4"), ALL));
        c.add(new Case(FAMILIES_GROUP, "attention d16 L16 P2", () -> generated("attention", "head-dim", "16", "max-seq", "16", "lanes", "2"),
                WITHOUT_HX8K));
        c.add(new Case(FAMILIES_GROUP, "MX fp8 x fp4 ws 2x2", () -> generated("systolic", "rows", "2", "cols", "2", "act", "mxfp8_e4m3",
                "weight", "mxfp4", "max-m", "4", "max-k", "64", "max-n", "4"), ALL));
        c.add(new Case(FAMILIES_GROUP, "attention kv4 d16 L16 P2", () -> generated("attention", "head-dim", "16", "max-seq", "16", "lanes", "2",
                "kv", "int4", "kv-group", "8"), WITHOUT_HX8K));
        c.add(new Case(FAMILIES_GROUP, "dequant mxfp4 l2", () -> generated("dequant", "format", "mxfp4", "lanes", "2"), ALL));
        c.add(new Case(FAMILIES_GROUP, "quantize bfp4 b8 bf16 l2", () -> generated("quantize", "format", "bfp", "mantissa", "4", "block", "8",
                "input", "bf16", "lanes", "2"), ALL));
        return c;
    }

    /** The top module the registry's generator {@code name} builds from {@code options} (name, value, name, value, ...). */
    static Module generated(String name, String... options) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < options.length; i += 2) {
            given.put(options[i], options[i + 1]);
        }
        return Registry.named(name).build(null, given).top();
    }

    /** The examples/ project's FIR as its pom generates it. */
    static Module exampleFir() {
        return new Fir(12, 12, 14, Rounding.HALF_EVEN, -1024, 4096, 10240, 4096, -1024);
    }

    /** The examples/ project's grouped int4 dequantizer as its pom generates it. */
    static Module exampleDequantizer() {
        return new GroupDequantizer(8, 32, 16, 12);
    }

    record Engine(String name, SystolicConfig cfg, List<Target> targets) { }

    /** WS and OS; int8, int4, int2, uint8 activations; packed, bias, requant; several shapes. */
    static List<Engine> engines() {
        return List.of(
                new Engine("ws 2x2 int8", SystolicConfig.int8(2, 2, 8, 8, 8, false), ALL),
                new Engine("ws 4x4 int8", SystolicConfig.int8(4, 4, 16, 16, 16, false), ALL),
                new Engine("ws 3x2 int4", SystolicConfig.int8(3, 2, 8, 12, 8, false).withTypes(4, true, 4), ALL),
                new Engine("ws 2x4 int2", SystolicConfig.int8(2, 4, 8, 8, 8, false).withTypes(2, true, 2), ALL),
                new Engine("ws 2x3 uint8 bias", SystolicConfig.int8(2, 3, 8, 8, 8, true).withTypes(8, false, 8), ALL),
                new Engine("ws 2x4 int8 packed", SystolicConfig.int8(2, 4, 8, 8, 8, false).withPacking(), ALL),
                new Engine("ws 4x2 int4 packed", SystolicConfig.int8(4, 2, 8, 8, 8, false).withTypes(4, true, 4).withPacking(), ALL),
                new Engine("ws 2x2 requant dbl", SystolicConfig.int8(2, 2, 8, 8, 8, false).withRequant(TfliteRounding.DOUBLE_ROUNDING),
                        WITHOUT_HX8K),
                new Engine("os 2x2 int8", SystolicConfig.int8Os(2, 2, 8, 8, 8), ALL),
                new Engine("os 4x4 int8", SystolicConfig.int8Os(4, 4, 16, 16, 16), ALL),
                new Engine("os 3x3 int4", SystolicConfig.int8Os(3, 3, 8, 8, 8).withTypes(4, true, 4), ALL),
                new Engine("os 2x4 int8 packed", SystolicConfig.int8Os(2, 4, 8, 8, 8).withPacking(), ALL),
                new Engine("os 2x2 uint8 x int4", SystolicConfig.int8Os(2, 2, 8, 8, 8).withTypes(8, false, 4), ALL),
                new Engine("os 2x2 requant sgl", SystolicConfig.int8Os(2, 2, 8, 8, 8).withRequant(TfliteRounding.SINGLE_ROUNDING),
                        WITHOUT_HX8K));
    }

    @Test
    void estimatesAreWithinTheBoundOfYosys() throws Exception {
        RequiresTools.require("yosys");
        Yosys yosys = Yosys.find(SynthCache.standard(), Duration.ofMinutes(20)).orElseThrow();
        List<Case> cases = cases();
        Map<String, Design> designs = new LinkedHashMap<>();
        Map<String, Map<Target, Estimator.TargetEstimate>> estimated = new LinkedHashMap<>();
        for (Case c : cases) {
            Design d = Design.elaborate(c.top().get());
            designs.put(c.name(), d);
            estimated.put(c.name(), Estimator.estimate(d));
        }
        Map<String, Future<Synthesis>> runs = new LinkedHashMap<>();
        ExecutorService twoAtATime = Executors.newFixedThreadPool(2);
        try {
            // the largest designs first (by their estimated LUTs), so a cold run does not end on one long synthesis with a core idle
            cases.stream().flatMap(c -> c.targets().stream().map(t -> Map.entry(c, t)))
                    .sorted(Comparator.comparingLong((Map.Entry<Case, Target> ct) -> estimated.get(ct.getKey().name()).get(ct.getValue())
                            .total().get(Resource.LUT)).reversed())
                    .forEach(ct -> runs.put(ct.getKey().name() + "/" + ct.getValue().id(),
                            twoAtATime.submit(() -> yosys.synthesize(designs.get(ct.getKey().name()), ct.getValue()))));
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-24s %-5s", "design", "target"));
            for (Resource r : CHECKED) {
                table.append(String.format(Locale.ROOT, " %19s", r + " est/yosys"));
            }
            table.append('\n');
            // worst |error| per group (and "all"), target and resource
            Map<String, double[][]> worst = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            for (Case c : cases) {
                Map<Target, Estimator.TargetEstimate> estimates = estimated.get(c.name());
                for (Target t : c.targets()) {
                    Resources est = estimates.get(t).total();
                    Resources syn = runs.get(c.name() + "/" + t.id()).get().total();
                    table.append(String.format(Locale.ROOT, "%-24s %-5s", c.name(), t.id()));
                    for (int k = 0; k < CHECKED.size(); k++) {
                        Resource r = CHECKED.get(k);
                        Double err = Report.errorPercent(est.get(r), syn.get(r));
                        table.append(String.format(Locale.ROOT, " %6d/%-6d %6s", est.get(r), syn.get(r),
                                err == null ? "inf" : String.format(Locale.ROOT, "%+.1f%%", err)));
                        double magnitude = err == null ? Double.POSITIVE_INFINITY : Math.abs(err);
                        for (String group : List.of(c.group(), "all")) {
                            double[][] w = worst.computeIfAbsent(group, g -> new double[Target.values().length][CHECKED.size()]);
                            w[t.ordinal()][k] = Math.max(w[t.ordinal()][k], magnitude);
                        }
                        if (magnitude > boundPercent(c.name(), t, r)) {
                            failures.add(c.name() + " " + t.id() + " " + r + ": estimate " + est.get(r) + ", yosys " + syn.get(r));
                        }
                    }
                    table.append('\n');
                }
            }
            worst.forEach((group, w) -> {
                table.append("worst |error|, ").append(group).append(':');
                for (Target t : Target.values()) {
                    table.append(' ').append(t.id());
                    for (int k = 0; k < CHECKED.size(); k++) {
                        table.append(String.format(Locale.ROOT, " %s %.1f%%", CHECKED.get(k), w[t.ordinal()][k]));
                    }
                    table.append(';');
                }
                table.append('\n');
            });
            System.out.println(table);
            assertTrue(failures.isEmpty(), "estimates off by more than " + BOUND_PERCENT + "% (or their known gap's bound, " + KNOWN_GAPS + "):\n" + String.join("\n", failures) + "\n" + table);
        } finally {
            twoAtATime.shutdownNow();
        }
    }
}

package dev.qforge.generators.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.qforge.dsl.Design;
import dev.qforge.dsl.emit.VerilogEmitter;
import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.generators.BlockInfo;
import dev.qforge.generators.Accuracy;
import dev.qforge.generators.MemoryTraffic;
import dev.qforge.generators.Performance;
import dev.qforge.generators.TokenWorkload;
import dev.qforge.generators.PortDoc;
import dev.qforge.generators.report.html.ReportHtml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report of one generated design: parameters, port table, cycle-model figures, and per target
 * the estimated resources and Fmax beside the synthesized ones (when Yosys ran) with the error in %.
 * Written as {@code report.json} (schema {@value #SCHEMA}, documented in generators/REPORT_SCHEMA.md)
 * and {@code report.txt} (a table in the manner of a Vivado HLS csynth.rpt). Both are deterministic:
 * the same design gives byte-identical files.
 */
@JsonPropertyOrder({"schema", "design", "top", "parameters", "ports", "performance", "tokenRates", "memoryTraffic", "accuracy", "targets"})
public record Report(String schema, String design, String top, Map<String, String> parameters, List<PortDoc> ports,
                     Performance performance, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TokenRate> tokenRates,
                     @JsonInclude(JsonInclude.Include.NON_NULL) MemoryTraffic memoryTraffic,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Accuracy accuracy, List<TargetReport> targets) {
    public static final String SCHEMA = "qforge-report/1";

    /** A report read without {@code tokenRates} (the JSON omits an empty list) has none. */
    public Report {
        tokenRates = tokenRates == null ? List.of() : List.copyOf(tokenRates);
    }
    /** The file names a report is written under, in a design's folder. */
    public static final String JSON_FILE = "report.json";
    public static final String TEXT_FILE = "report.txt";

    /** Status of a target whose synthesis was not asked for. */
    public static final String ESTIMATE_ONLY = "not run (estimates only)";

    /** One target: resources per module and in total, timing, throughput, and how the figures were obtained. */
    @JsonPropertyOrder({"target", "description", "synthesis", "synthesisTool", "synthesisCommand", "modules", "total", "timing", "throughput"})
    public record TargetReport(String target, String description, String synthesis, String synthesisTool, String synthesisCommand,
                               List<ModuleRow> modules, Figures total, Timing timing, Throughput throughput) { }

    /** A module's own logic (submodules excluded) over all its instances. */
    @JsonPropertyOrder({"module", "instances", "estimate", "synthesized", "errorPercent"})
    public record ModuleRow(String module, long instances, Map<String, Long> estimate, Map<String, Long> synthesized,
                            Map<String, Double> errorPercent) { }

    /** Estimated and synthesized counts per resource, and (estimate - synthesized) / synthesized in %. */
    @JsonPropertyOrder({"estimate", "synthesized", "errorPercent"})
    public record Figures(Map<String, Long> estimate, Map<String, Long> synthesized, Map<String, Double> errorPercent) { }

    /**
     * The estimated critical path and Fmax, and the place-and-route result where one was attempted.
     * A design whose estimate exceeds the device ({@code doesNotFit} says by what) has no Fmax.
     */
    @JsonPropertyOrder({"criticalPathNs", "fmaxMhz", "doesNotFit", "criticalPath", "placeAndRoute"})
    public record Timing(double criticalPathNs, Double fmaxMhz, String doesNotFit, String criticalPath, PlaceAndRoute placeAndRoute) { }

    /**
     * A nextpnr-ice40 run: status "fits" (with Fmax and utilization) or "does not fit" (with the reason).
     * Utilization maps a nextpnr cell class (ICESTORM_LC, ICESTORM_DSP, ICESTORM_RAM, SB_IO) to used/available.
     */
    @JsonPropertyOrder({"status", "reason", "command", "fmaxMhz", "fmaxErrorPercent", "utilization"})
    public record PlaceAndRoute(String status, String reason, String command, Double fmaxMhz, Double fmaxErrorPercent,
                                Map<String, Usage> utilization) {
        public static final String FITS = "fits";
        public static final String DOES_NOT_FIT = "does not fit";
    }

    @JsonPropertyOrder({"used", "available"})
    public record Usage(long used, long available) { }

    /**
     * MACs per cycle of the cycle model turned into GOPS (2 operations per MAC) at a stated clock,
     * and the block's multiply-accumulate units per estimated DSP slice (null when it has none or does not say).
     */
    @JsonPropertyOrder({"clockMhz", "clockSource", "macsPerCycle", "gops", "macsPerDsp"})
    public record Throughput(double clockMhz, String clockSource, double macsPerCycle, double gops, Double macsPerDsp) { }

    /**
     * A token workload of the cycle model ({@link TokenWorkload}) in cycles per token and in tokens/s at
     * each target's estimated Fmax (target id to tokens/s; a target the design does not fit is left out).
     */
    @JsonPropertyOrder({"workload", "tokens", "cycles", "cyclesPerToken", "tokensPerSecond"})
    public record TokenRate(String workload, long tokens, long cycles, double cyclesPerToken, Map<String, Double> tokensPerSecond) { }

    // ---- building ---------------------------------------------------------------------------------

    /**
     * The report of {@code design} (elaborated from {@code info.top()}): its {@code estimates}
     * ({@link Estimator#estimate}) for every target, with {@code measured} figures set beside them
     * for the targets it has.
     */
    public static Report of(BlockInfo info, Design design, Map<Target, Estimator.TargetEstimate> estimates,
                            Map<Target, Measured> measured) {
        List<TargetReport> targets = new ArrayList<>();
        for (Target t : Target.values()) {
            targets.add(targetReport(estimates.get(t), measured.getOrDefault(t, Measured.none(ESTIMATE_ONLY)), info.performance(), info.macUnits()));
        }
        return new Report(SCHEMA, info.designName(), design.top().name(), new LinkedHashMap<>(info.parameters()),
                portsWithClocking(info.ports(), design), info.performance(), tokenRates(info.tokenWorkloads(), estimates), info.memoryTraffic(), info.accuracy(), List.copyOf(targets));
    }

    /**
     * The block's port table, led by the clock and reset the emitter gives a top with state when
     * the table leaves them out (a plain module's ports are those it declared), so the table lists
     * every port of the Verilog.
     */
    private static List<PortDoc> portsWithClocking(List<PortDoc> ports, Design design) {
        VerilogEmitter.Clocking c = design.clocking(design.top());
        List<PortDoc> all = new ArrayList<>();
        if (c.clock() && ports.stream().noneMatch(p -> p.name().equals("clk"))) {
            all.add(new PortDoc("clk", "in", 1, "clock", "every register samples on the rising edge"));
        }
        if (c.reset() && ports.stream().noneMatch(p -> p.name().equals("rst"))) {
            all.add(new PortDoc("rst", "in", 1, "synchronous reset, active high", "puts every register with a reset value back to it"));
        }
        all.addAll(ports);
        return List.copyOf(all);
    }

    private static List<TokenRate> tokenRates(List<TokenWorkload> workloads, Map<Target, Estimator.TargetEstimate> estimates) {
        List<TokenRate> rates = new ArrayList<>();
        for (TokenWorkload w : workloads) {
            Map<String, Double> perSecond = new LinkedHashMap<>();
            for (Target t : Target.values()) {
                Estimator.TargetEstimate e = estimates.get(t);
                if (e.fits()) {
                    perSecond.put(t.id(), round(w.tokens() * e.fmaxMhz() * 1e6 / w.cycles(), 1));
                }
            }
            rates.add(new TokenRate(w.workload(), w.tokens(), w.cycles(), round((double) w.cycles() / w.tokens(), 2), perSecond));
        }
        return List.copyOf(rates);
    }

    private static TargetReport targetReport(Estimator.TargetEstimate e, Measured m, Performance perf, long macUnits) {
        Target t = e.target();
        List<ModuleRow> rows = new ArrayList<>();
        for (Estimator.ModuleFigures f : e.modules()) {
            Resources syn = m.modules().get(f.module());
            Figures fig = figures(t, f.total(), syn == null ? null : syn.times(f.instances()), null);
            rows.add(new ModuleRow(f.module(), f.instances(), fig.estimate(), fig.synthesized(), fig.errorPercent()));
        }
        PlaceAndRoute pnr = m.placeAndRoute();
        if (pnr != null && pnr.fmaxMhz() != null && e.fits()) {
            pnr = new PlaceAndRoute(pnr.status(), pnr.reason(), pnr.command(), pnr.fmaxMhz(),
                    errorPercent(e.fmaxMhz(), pnr.fmaxMhz()), pnr.utilization());
        }
        Timing timing = new Timing(e.criticalPathNs(), e.fits() ? e.fmaxMhz() : null, e.doesNotFit(), e.criticalPath(), pnr);
        // A block without a cycle model (a plain DSL module), or one that does not fit, has no throughput to state.
        long dsps = e.total().get(Resource.DSP);
        Double macsPerDsp = macUnits > 0 && dsps > 0 ? round((double) macUnits / dsps, 2) : null;
        Throughput throughput = perf == null || !e.fits() ? null : new Throughput(e.fmaxMhz(), "estimated Fmax", perf.macsPerCycle(),
                round(2 * perf.macsPerCycle() * e.fmaxMhz() / 1000.0, 3), macsPerDsp);
        Usage placedCells = pnr == null ? null : pnr.utilization().get(LOGIC_CELLS);
        Figures total = figures(t, e.total(), m.total(), placedCells == null ? null : placedCells.used());
        return new TargetReport(t.id(), t.description(), m.status(), m.tool(), m.command(), List.copyOf(rows), total, timing, throughput);
    }

    /** nextpnr-ice40's name for placed logic cells. */
    private static final String LOGIC_CELLS = "ICESTORM_LC";

    /**
     * Estimate beside synthesis. Yosys does not pack iCE40 logic cells, so LC has a synthesized
     * figure only when {@code placedLogicCells} (nextpnr's count) is given.
     */
    private static Figures figures(Target t, Resources estimate, Resources synthesized, Long placedLogicCells) {
        Map<String, Long> est = estimate.toMap(t);
        if (synthesized == null) {
            return new Figures(est, null, null);
        }
        Map<String, Long> syn = new LinkedHashMap<>();
        Map<String, Double> err = new LinkedHashMap<>();
        for (Resource r : t.resources()) {
            Long actual = r != Resource.LC ? Long.valueOf(synthesized.get(r)) : placedLogicCells;
            if (actual != null) {
                syn.put(r.name(), actual);
                err.put(r.name(), errorPercent(estimate.get(r), actual));
            }
        }
        return new Figures(est, syn, err);
    }

    /** (estimate - actual) / actual in %, 0.1 resolution; 0 when both are 0, null when only the actual is 0. */
    public static Double errorPercent(double estimate, double actual) {
        if (actual == 0) {
            return estimate == 0 ? 0.0 : null;
        }
        return round(100.0 * (estimate - actual) / actual, 1);
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    // ---- files ------------------------------------------------------------------------------------

    private static ObjectMapper mapper() {
        // a reader of schema 1 accepts fields added later within the same major version
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The JSON text: two-space indent, "\n" line ends, a final newline. */
    public String toJson() {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return mapper().writer(printer).writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + design + " as JSON: " + e.getMessage(), e);
        }
    }

    /** The text report. */
    public String toText() {
        return TextReport.render(this);
    }

    /**
     * Writes {@value #JSON_FILE}, {@value #TEXT_FILE} and the page into {@code dir} (created if needed) as an
     * {@link OutputFolder}, so none replaces a file qforge did not write; returns the files.
     */
    public List<Path> writeTo(Path dir) {
        OutputFolder folder = OutputFolder.at(dir);
        addTo(folder);
        return folder.commit();
    }

    /** Stages {@value #JSON_FILE}, {@value #TEXT_FILE} and its page ({@link ReportHtml}) in {@code folder}, to be written with the design's other files. */
    public void addTo(OutputFolder folder) {
        folder.put(JSON_FILE, toJson()).put(TEXT_FILE, toText()).put(ReportHtml.FILE, ReportHtml.render(this));
    }

    /** Reads a {@value #JSON_FILE}; refuses another schema version. */
    public static Report read(Path reportJson) {
        Report r;
        try {
            r = mapper().readValue(reportJson.toFile(), Report.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the report " + reportJson + ": " + e.getMessage(), e);
        }
        if (!SCHEMA.equals(r.schema())) {
            throw new IllegalArgumentException(reportJson + " has schema '" + r.schema() + "'; this qforge reads " + SCHEMA);
        }
        return r;
    }
}

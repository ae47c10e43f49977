package dev.qforge.generators.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qforge.generators.Performance;
import dev.qforge.generators.report.Report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One design point's outcome, a line of {@code results.jsonl}: the point's options and, when it
 * elaborated, the cycle model's figures and per target the estimated resources, Fmax, GOPS and
 * latency; when it failed, the error. The figures are those of the point's {@link Report}, so a
 * sweep and {@code qforge generate} never disagree.
 */
@JsonPropertyOrder({"id", "generator", "status", "error", "options", "workload", "latencyCycles", "initiationInterval", "macsPerCycle", "targets"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PointResult(String id, String generator, String status, String error, Map<String, String> options, String workload,
                          Long latencyCycles, Double initiationInterval, Double macsPerCycle, Map<String, TargetFigures> targets) {
    public static final String OK = "ok";
    public static final String FAILED = "failed";

    /**
     * A point's figures on one target. Fmax, GOPS and latency are absent when the estimate does not
     * fit the device ({@code doesNotFit} says why) or the block has no cycle model.
     */
    @JsonPropertyOrder({"resources", "fmaxMhz", "gops", "latencyUs", "tokensPerS", "doesNotFit"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetFigures(Map<String, Long> resources, Double fmaxMhz, Double gops, Double latencyUs, Double tokensPerS, String doesNotFit) { }

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * The result of a point whose report is {@code report}; with {@code tokens} > 0 (tokens one pass
     * of the cycle model's workload produces) also the tokens per second at each target's Fmax.
     */
    public static PointResult of(Grid.Point point, String generator, Report report, long tokens) {
        Performance perf = report.performance();
        Map<String, TargetFigures> targets = new LinkedHashMap<>();
        for (Report.TargetReport t : report.targets()) {
            Double fmax = t.timing().fmaxMhz();
            Double gops = t.throughput() == null ? null : t.throughput().gops();
            // cycles at the estimated clock, to 0.001 us
            Double latency = perf == null || fmax == null ? null : Math.round(perf.firstInToLastOut() / fmax * 1000) / 1000.0;
            // tokens per pass over the pass's time, to 0.1 token/s
            Double tokensPerS = tokens <= 0 || latency == null || latency == 0 ? null : Math.round(tokens * 1e7 / latency) / 10.0;
            targets.put(t.target(), new TargetFigures(t.total().estimate(), fmax, gops, latency, tokensPerS,
                    t.timing().doesNotFit().isEmpty() ? null : t.timing().doesNotFit()));
        }
        return new PointResult(point.id(), generator, OK, null, point.options(), perf == null ? null : perf.workload(),
                perf == null ? null : perf.firstInToLastOut(), perf == null ? null : perf.initiationInterval(),
                perf == null ? null : perf.macsPerCycle(), targets);
    }

    /** A point that failed with {@code error}. */
    public static PointResult failed(Grid.Point point, String generator, String error) {
        return new PointResult(point.id(), generator, FAILED, error, point.options(), null, null, null, null, null);
    }

    public boolean ok() {
        return OK.equals(status);
    }

    /** The JSON line, without its line end. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result of point " + id + " as JSON: " + e.getMessage(), e);
        }
    }

    /** A line of results.jsonl; an {@link IllegalArgumentException} when it is not one. */
    public static PointResult parse(String line) {
        try {
            PointResult r = JSON.readValue(line, PointResult.class);
            if (r.id() == null || r.status() == null || r.options() == null) {
                throw new IllegalArgumentException("not a sweep result (no id, status or options): " + abbreviate(line));
            }
            return r;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a sweep result line: " + abbreviate(line), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}

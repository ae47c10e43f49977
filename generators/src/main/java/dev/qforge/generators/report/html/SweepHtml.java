package dev.qforge.generators.report.html;

import dev.qforge.generators.sweep.Pareto;
import dev.qforge.generators.sweep.PointResult;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code sweep.html}: a sweep's Pareto scatter plots per target (every point, hover for its
 * options, front points linked to their reports), each front as a table, and the failed points
 * with their errors. Self-contained and deterministic, like {@link ReportHtml}.
 */
public final class SweepHtml {
    public static final String FILE = "sweep.html";

    private SweepHtml() { }

    /** The page for {@code results} and their {@code fronts}; points in {@code withReport} link to {@code points/<id>/report.html}. */
    public static String render(List<PointResult> results, List<Pareto.Front> fronts, Set<String> withReport) {
        long ok = results.stream().filter(PointResult::ok).count();
        Set<String> swept = sweptOptions(results);
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>qforge sweep</title>\n<style>").append(Svg.STYLE)
                .append("</style></head><body>\n<h1>Sweep: ").append(results.size()).append(" points</h1>\n<p>")
                .append(ok).append(" estimated, ").append(results.size() - ok).append(" failed. Swept: ")
                .append(Svg.escape(String.join(", ", swept))).append(". Hover a point for its options; front points (filled) link to their reports.</p>\n");
        String target = null;
        List<Pareto.Front> ofTarget = new ArrayList<>();
        for (Pareto.Front f : fronts) {
            if (target != null && !target.equals(f.target().id())) {
                sb.append(targetSection(ofTarget, swept, withReport));
                ofTarget.clear();
            }
            target = f.target().id();
            ofTarget.add(f);
        }
        if (!ofTarget.isEmpty()) {
            sb.append(targetSection(ofTarget, swept, withReport));
        }
        List<PointResult> failed = results.stream().filter(r -> !r.ok()).toList();
        if (!failed.isEmpty()) {
            sb.append("<h2>Failed points</h2>\n<table><tr><th class=\"l\">id</th><th class=\"l\">options</th><th class=\"l\">error</th></tr>\n");
            for (PointResult r : failed) {
                sb.append("<tr><td class=\"l\">").append(r.id()).append("</td><td class=\"l\">").append(Svg.escape(describe(r, swept)))
                        .append("</td><td class=\"l\">").append(Svg.escape(r.error())).append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        return sb.append("</body></html>\n").toString();
    }

    private static String targetSection(List<Pareto.Front> fronts, Set<String> swept, Set<String> withReport) {
        StringBuilder sb = new StringBuilder("<h2>").append(Svg.escape(fronts.get(0).target().id())).append("</h2>\n<div class=\"plots\">\n");
        for (Pareto.Front f : fronts) {
            Set<String> on = new LinkedHashSet<>();
            f.front().forEach(r -> on.add(r.id()));
            List<Svg.Dot> dots = new ArrayList<>();
            for (PointResult r : f.candidates()) {
                dots.add(new Svg.Dot(f.x(r), f.y(r), r.id() + ": " + describe(r, swept) + " -> " + Svg.num(f.x(r)) + " "
                        + f.objective().xResource(f.target()) + ", " + Svg.num(f.y(r)) + " " + f.objective().yLabel(), on.contains(r.id()),
                        withReport.contains(r.id()) ? href(r) : null));
            }
            // the front's points in front order, so its line runs through them in turn
            List<Svg.Dot> ordered = new ArrayList<>(dots.stream().filter(d -> !d.front()).toList());
            for (PointResult r : f.front()) {
                dots.stream().filter(d -> d.front() && d.title().startsWith(r.id() + ":")).findFirst().ifPresent(ordered::add);
            }
            sb.append(f.candidates().isEmpty() ? "<p class=\"muted\">" + Svg.escape(f.objective().title()) + ": no point fits this target.</p>\n"
                    : Svg.scatter(f.objective().title(), f.objective().xResource(f.target()).name(), f.objective().yLabel(), ordered));
        }
        sb.append("</div>\n");
        for (Pareto.Front f : fronts) {
            if (f.front().isEmpty()) {
                continue;
            }
            sb.append("<h3>").append(Svg.escape(f.target().id() + " " + f.objective().title())).append(": front of ").append(f.front().size())
                    .append(" of ").append(f.candidates().size()).append(" points</h3>\n<table><tr><th class=\"l\">point</th><th class=\"l\">options</th><th>")
                    .append(f.objective().xResource(f.target())).append("</th><th>").append(Svg.escape(f.objective().yLabel())).append("</th></tr>\n");
            for (PointResult r : f.front()) {
                String id = withReport.contains(r.id()) ? "<a href=\"" + href(r) + "\">" + r.id() + "</a>" : r.id();
                sb.append("<tr><td class=\"l\">").append(id).append("</td><td class=\"l\">").append(Svg.escape(describe(r, swept)))
                        .append("</td><td>").append(Svg.num(f.x(r))).append("</td><td>").append(Svg.num(f.y(r))).append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        return sb.toString();
    }

    private static String href(PointResult r) {
        return "points/" + r.id() + "/" + ReportHtml.FILE;
    }

    /** The options that differ between points (all of them when there is one point), in declaration order. */
    private static Set<String> sweptOptions(List<PointResult> results) {
        Set<String> swept = new LinkedHashSet<>();
        if (results.isEmpty()) {
            return swept;
        }
        Map<String, String> first = results.get(0).options();
        for (String k : first.keySet()) {
            if (results.size() == 1 || results.stream().anyMatch(r -> !first.get(k).equals(r.options().get(k)))) {
                swept.add(k);
            }
        }
        return swept;
    }

    private static String describe(PointResult r, Set<String> swept) {
        StringBuilder sb = new StringBuilder();
        for (String k : swept) {
            sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(r.options().get(k));
        }
        return sb.toString();
    }
}

package dev.qforge.generators.report.html;

import dev.qforge.generators.Accuracy;
import dev.qforge.generators.MemoryTraffic;
import dev.qforge.generators.Performance;
import dev.qforge.generators.PortDoc;
import dev.qforge.generators.report.Report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code report.html}: a report as a self-contained page (inline SVG and style, nothing fetched):
 * per target the resources of each module as bars, the estimate beside synthesis when synthesis
 * ran, the cycle model's timeline of two back-to-back workloads, and the roofline of the
 * reference workload with the design's point on it (for every block that states its memory traffic). The same report always gives the same bytes.
 */
public final class ReportHtml {
    public static final String FILE = "report.html";
    private static final Pattern LANES = Pattern.compile(".*_(\\d+)\\.\\..*_(\\d+)");

    private ReportHtml() { }

    public static String render(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(Svg.escape(r.design()))
                .append(" report</title>\n<style>").append(Svg.STYLE).append("</style></head><body>\n");
        sb.append("<h1>").append(Svg.escape(r.design())).append(" <span class=\"muted\">(top ").append(Svg.escape(r.top())).append(")</span></h1>\n");
        sb.append("<p>").append(parameters(r.parameters())).append("</p>\n");
        sb.append(summary(r));
        Performance p = r.performance();
        if (p != null) {
            sb.append("<h2>Cycle model: ").append(Svg.escape(p.workload())).append("</h2>\n").append(timeline(p));
            Report.TargetReport first = r.targets().stream().filter(t -> t.throughput() != null).findFirst().orElse(null);
            String roof = first == null ? null : roofline(r, first);
            if (roof != null) {
                sb.append("<h2>Roofline on ").append(Svg.escape(first.target())).append("</h2>\n").append(roof);
            }
        }
        if (!r.tokenRates().isEmpty()) {
            sb.append(tokenRates(r));
        }
        if (r.memoryTraffic() != null) {
            sb.append(memoryTraffic(r.memoryTraffic()));
        }
        if (r.accuracy() != null) {
            Accuracy acc = r.accuracy();
            sb.append("<h2>Accuracy against ").append(Svg.escape(acc.reference())).append("</h2>\n<p class=\"muted\">")
                    .append(Svg.escape(acc.workload())).append("</p>\n<table><tr><th>max error (LSB)</th><th>mean error (LSB)</th>"
                            + "<th>outputs</th></tr>\n<tr><td>").append(Svg.num(acc.maxErrorLsb())).append("</td><td>")
                    .append(Svg.num(acc.meanErrorLsb())).append("</td><td>").append(acc.outputs()).append("</td></tr>\n</table>\n");
        }
        for (Report.TargetReport t : r.targets()) {
            sb.append("<h2>").append(Svg.escape(t.target())).append(": resources per module</h2>\n<p class=\"muted\">")
                    .append(Svg.escape(t.description())).append("; synthesis: ").append(Svg.escape(t.synthesis())).append("</p>\n");
            sb.append("<div class=\"plots\">");
            for (String res : t.total().estimate().keySet()) {
                if (t.total().estimate().get(res) == 0) {
                    continue;
                }
                List<Svg.Bar> bars = new ArrayList<>();
                for (Report.ModuleRow m : t.modules()) {
                    long v = m.estimate().getOrDefault(res, 0L);
                    bars.add(new Svg.Bar(m.module() + " x" + m.instances(), v, Long.toString(v)));
                }
                sb.append(Svg.bars(res + " (estimate, all instances)", bars));
            }
            sb.append("</div>\n").append(estimateVsSynthesis(t));
        }
        return sb.append("</body></html>\n").toString();
    }

    private static String parameters(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append("<code>").append(Svg.escape(k)).append('=').append(Svg.escape(v)).append("</code>"));
        return sb.toString();
    }

    /** Each token workload's cycles per token and tokens/s per target at the estimated Fmax. */
    private static String tokenRates(Report r) {
        StringBuilder sb = new StringBuilder("<h2>Tokens (cycle model, tokens/s at estimated Fmax)</h2>\n<table><tr><th class=\"l\">workload</th>"
                + "<th>tokens</th><th>cycles</th><th>cycles/token</th>");
        for (Report.TargetReport t : r.targets()) {
            sb.append("<th>").append(Svg.escape(t.target())).append(" tokens/s</th>");
        }
        sb.append("</tr>\n");
        for (Report.TokenRate rate : r.tokenRates()) {
            sb.append("<tr><td class=\"l\">").append(Svg.escape(rate.workload())).append("</td><td>").append(rate.tokens()).append("</td><td>")
                    .append(rate.cycles()).append("</td><td>").append(Svg.num(rate.cyclesPerToken())).append("</td>");
            for (Report.TargetReport t : r.targets()) {
                Double perSecond = rate.tokensPerSecond().get(t.target());
                sb.append("<td>").append(perSecond == null ? "-" : Svg.num(perSecond)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    /** A table of every target: total resources, Fmax, GOPS. */
    private static String summary(Report r) {
        StringBuilder sb = new StringBuilder("<table><tr><th class=\"l\">target</th><th class=\"l\">resources (estimate)</th><th>Fmax MHz</th><th>GOPS</th>"
                + "<th class=\"l\">critical path / fit</th></tr>\n");
        for (Report.TargetReport t : r.targets()) {
            StringBuilder res = new StringBuilder();
            t.total().estimate().forEach((k, v) -> res.append(res.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
            sb.append("<tr><td class=\"l\">").append(Svg.escape(t.target())).append("</td><td class=\"l\">").append(res).append("</td><td>")
                    .append(t.timing().fmaxMhz() == null ? "-" : Svg.num(t.timing().fmaxMhz())).append("</td><td>")
                    .append(t.throughput() == null ? "-" : Svg.num(t.throughput().gops())).append("</td><td class=\"l\">")
                    .append(Svg.escape(t.timing().doesNotFit().isEmpty() ? t.timing().criticalPath() : "does not fit: " + t.timing().doesNotFit()))
                    .append("</td></tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    /** Estimate beside synthesis, as bars and a table, or a line saying synthesis did not run. */
    private static String estimateVsSynthesis(Report.TargetReport t) {
        Report.Figures total = t.total();
        if (total.synthesized() == null) {
            return "<p class=\"muted\">Estimate vs synthesis: no synthesized figures (" + Svg.escape(t.synthesis())
                    + "); <code>qforge demo</code> or the report goal with synthesis adds them.</p>\n";
        }
        List<Svg.Bar> bars = new ArrayList<>();
        StringBuilder table = new StringBuilder("<table><tr><th class=\"l\">resource</th><th>estimate</th><th>synthesized</th><th>error %</th></tr>\n");
        total.synthesized().forEach((res, syn) -> {
            long est = total.estimate().getOrDefault(res, 0L);
            Double err = total.errorPercent().get(res);
            bars.add(new Svg.Bar(res + " estimate", est, Long.toString(est)));
            bars.add(new Svg.Bar(res + " synthesized", syn, Long.toString(syn)));
            table.append("<tr><td class=\"l\">").append(res).append("</td><td>").append(est).append("</td><td>").append(syn).append("</td><td>")
                    .append(err == null ? "-" : Svg.num(err)).append("</td></tr>\n");
        });
        return Svg.bars(t.target() + ": estimate vs synthesis", bars) + table.append("</table>\n");
    }

    /** The bytes per workload and the intensities, this block's and its baseline's. */
    private static String memoryTraffic(MemoryTraffic mt) {
        StringBuilder table = new StringBuilder("<h2>Memory traffic: ").append(Svg.escape(mt.workload())).append("</h2>\n<table><tr>"
                + "<th class=\"l\">engine</th><th>weights</th><th>scales</th><th>activations</th><th>results</th><th>total bytes</th>"
                + "<th>ops/weight byte</th><th>ops/byte</th></tr>\n");
        for (MemoryTraffic t : mt.baseline() == null ? List.of(mt) : List.of(mt, mt.baseline())) {
            table.append("<tr><td class=\"l\">").append(Svg.escape(t == mt ? "this engine" : mt.baselineName())).append("</td><td>")
                    .append(t.weightBytes()).append("</td><td>").append(t.scaleBytes()).append("</td><td>").append(t.activationBytes())
                    .append("</td><td>").append(t.resultBytes()).append("</td><td>").append(t.totalBytes()).append("</td><td>")
                    .append(Svg.num(t.opsPerWeightByte())).append("</td><td>").append(Svg.num(t.opsPerByte())).append("</td></tr>\n");
        }
        return table.append("</table>\n").toString();
    }

    /** Two workloads back to back: each one's input from its start, its output from first to last out; the second starts one II later. */
    private static String timeline(Performance p) {
        double ii = p.initiationInterval();
        List<Svg.Span> spans = List.of(
                new Svg.Span(0, "workload 1 in", 0, Math.min(ii, p.firstInToLastOut())),
                new Svg.Span(1, "workload 1 out", p.firstInToFirstOut(), p.firstInToLastOut()),
                new Svg.Span(2, "workload 2 in", ii, ii + Math.min(ii, p.firstInToLastOut())),
                new Svg.Span(3, "workload 2 out", ii + p.firstInToFirstOut(), ii + p.firstInToLastOut()));
        return Svg.timeline("first in to first out " + p.firstInToFirstOut() + ", to last out " + p.firstInToLastOut() + ", II "
                + Svg.num(ii) + " cycles, pipeline depth " + p.pipelineDepth(), spans, ii + p.firstInToLastOut())
                + "<p class=\"muted\">A workload's inputs are drawn over its initiation interval (the cycles before the next one may start); "
                + "the cycle model gives first and last output exactly.</p>\n";
    }

    /**
     * The roofline of the reference workload of any block that states its memory traffic: the
     * compute roof at the cycle model's MACs per cycle, the bandwidth roof of the data streams (every
     * lane of every input and output stream, one beat per cycle), and the workload's point at its
     * operational intensity (operations per byte it moves through those streams). Null when the
     * block does not state its traffic.
     */
    private static String roofline(Report r, Report.TargetReport t) {
        MemoryTraffic traffic = r.memoryTraffic();
        if (traffic == null || traffic.totalBytes() == 0) {
            return null;
        }
        double intensity = traffic.opsPerByte();
        double fmax = t.throughput().clockMhz();
        double streamBytesPerCycle = 0;
        for (PortDoc port : r.ports()) {
            if (port.protocol().startsWith("valid/ready stream") && !port.name().endsWith("_valid") && !port.name().endsWith("_ready")
                    && !port.name().endsWith("_last") && !port.name().startsWith("cfg_")) {
                Matcher lanes = LANES.matcher(port.name());
                streamBytesPerCycle += port.width() * (lanes.matches() ? Integer.parseInt(lanes.group(2)) - Integer.parseInt(lanes.group(1)) + 1 : 1) / 8.0;
            }
        }
        double bandwidthGBs = streamBytesPerCycle * fmax / 1000;
        double peakGops = t.throughput().gops();
        double ridge = peakGops / bandwidthGBs;
        double lo = Math.min(intensity, ridge) / 10;
        double hi = Math.max(intensity, ridge) * 10;
        List<double[]> roof = List.of(new double[] {lo, lo * bandwidthGBs}, new double[] {ridge, peakGops}, new double[] {hi, peakGops});
        double attained = Math.min(peakGops, intensity * bandwidthGBs);
        String tip = String.format(java.util.Locale.ROOT, "%s: %s ops/byte, %s GOPS", traffic.workload(), Svg.num(intensity), Svg.num(attained));
        return Svg.plot("roofline at " + Svg.num(fmax) + " MHz (" + t.throughput().clockSource() + ")", "operational intensity (ops per byte through the streams)",
                "GOPS", List.of(new Svg.Dot(intensity, attained, tip, true, null)),
                List.of(new Svg.Line(roof, "roof: " + Svg.num(bandwidthGBs) + " GB/s data streams, " + Svg.num(peakGops) + " GOPS compute", "roof")), true)
                + "<p class=\"muted\">Roofs: compute " + Svg.num(peakGops) + " GOPS (the cycle model's steady state), data streams "
                + Svg.num(bandwidthGBs) + " GB/s (" + Svg.num(streamBytesPerCycle) + " bytes per cycle in and out). The point is "
                + Svg.escape(traffic.workload()) + " at " + Svg.num(intensity) + " operations per byte (" + traffic.totalBytes() + " bytes).</p>\n";
    }
}

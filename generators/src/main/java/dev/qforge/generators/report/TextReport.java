package dev.qforge.generators.report;

import dev.qforge.generators.Accuracy;
import dev.qforge.generators.MemoryTraffic;
import dev.qforge.generators.Performance;
import dev.qforge.generators.PortDoc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link Report} as text tables in the manner of a Vivado HLS csynth.rpt. */
final class TextReport {
    private static final String RULE = "=".repeat(78);

    private final StringBuilder out = new StringBuilder();

    private TextReport() { }

    static String render(Report r) {
        TextReport t = new TextReport();
        t.header(r);
        t.performance(r);
        t.timing(r);
        t.utilization(r);
        t.ports(r);
        return t.out.toString();
    }

    private void section(String title) {
        out.append('\n').append(RULE).append("\n== ").append(title).append('\n').append(RULE).append('\n');
    }

    private void header(Report r) {
        out.append(RULE).append("\n== qforge report: ").append(r.design()).append('\n').append(RULE).append('\n');
        out.append("* Schema:     ").append(r.schema()).append('\n');
        out.append("* Top module: ").append(r.top()).append('\n');
        out.append("* Parameters:\n");
        for (Map.Entry<String, String> p : r.parameters().entrySet()) {
            out.append("    ").append(p.getKey()).append(" = ").append(p.getValue()).append('\n');
        }
    }

    private void performance(Report r) {
        Performance p = r.performance();
        section("Performance (cycle model)");
        if (p == null) {
            out.append("+ None: this block has no cycle model (a plain DSL module).\n");
            return;
        }
        out.append("+ Workload: ").append(p.workload()).append('\n');
        table(List.of("first-in -> first-out", "first-in -> last-out", "II", "pipeline depth", "MACs/cycle"),
                List.of(List.of(Long.toString(p.firstInToFirstOut()), Long.toString(p.firstInToLastOut()),
                        num(p.initiationInterval(), 2), Integer.toString(p.pipelineDepth()), num(p.macsPerCycle(), 2))));
        out.append("+ Throughput (2 operations per MAC):\n");
        List<List<String>> rows = new ArrayList<>();
        for (Report.TargetReport t : r.targets()) {
            Report.Throughput th = t.throughput();
            rows.add(th == null ? List.of(t.target(), "-", "does not fit", "-", "-")
                    : List.of(t.target(), num(th.clockMhz(), 1), th.clockSource(), num(th.gops(), 3),
                            th.macsPerDsp() == null ? "-" : num(th.macsPerDsp(), 2)));
        }
        table(List.of("target", "clock (MHz)", "clock source", "GOPS", "MACs/DSP"), rows);
        if (!r.tokenRates().isEmpty()) {
            tokenRates(r);
        }
        MemoryTraffic mt = r.memoryTraffic();
        if (mt != null) {
            out.append("+ Memory traffic per ").append(mt.workload()).append(" (bytes; intensity = 2 x MACs per byte):\n");
            List<List<String>> traffic = new ArrayList<>();
            traffic.add(trafficRow("this engine", mt));
            if (mt.baseline() != null) {
                traffic.add(trafficRow(mt.baselineName(), mt.baseline()));
            }
            table(List.of("engine", "weights", "scales", "activations", "results", "total", "ops/weight byte", "ops/byte"), traffic);
        }
        Accuracy acc = r.accuracy();
        if (acc != null) {
            out.append("+ Accuracy against ").append(acc.reference()).append(" (output LSBs), ").append(acc.workload()).append(":\n");
            table(List.of("max error", "mean error", "outputs"),
                    List.of(List.of(num(acc.maxErrorLsb(), 3), num(acc.meanErrorLsb(), 3), Long.toString(acc.outputs()))));
        }
    }

    /** Each token workload's cycles, and its tokens/s per target at the estimated Fmax (as the throughput table's clock). */
    private void tokenRates(Report r) {
        out.append("+ Tokens (workloads back to back; tokens/s at estimated Fmax):\n");
        List<String> head = new ArrayList<>(List.of("workload", "tokens", "cycles", "cycles/token"));
        for (Report.TargetReport t : r.targets()) {
            head.add(t.target() + " tokens/s");
        }
        List<List<String>> rows = new ArrayList<>();
        for (Report.TokenRate rate : r.tokenRates()) {
            List<String> row = new ArrayList<>(List.of(rate.workload(), Long.toString(rate.tokens()), Long.toString(rate.cycles()),
                    num(rate.cyclesPerToken(), 2)));
            for (Report.TargetReport t : r.targets()) {
                Double perSecond = rate.tokensPerSecond().get(t.target());
                row.add(perSecond == null ? "does not fit" : num(perSecond, 0));
            }
            rows.add(row);
        }
        table(head, rows);
    }

    private static List<String> trafficRow(String name, MemoryTraffic t) {
        return List.of(name, Long.toString(t.weightBytes()), Long.toString(t.scaleBytes()), Long.toString(t.activationBytes()),
                Long.toString(t.resultBytes()), Long.toString(t.totalBytes()), num(t.opsPerWeightByte(), 2), num(t.opsPerByte(), 2));
    }

    private void timing(Report r) {
        section("Timing");
        List<List<String>> rows = new ArrayList<>();
        for (Report.TargetReport t : r.targets()) {
            Report.Timing tm = t.timing();
            Report.PlaceAndRoute pnr = tm.placeAndRoute();
            String placed = pnr == null ? "-" : pnr.fmaxMhz() != null ? num(pnr.fmaxMhz(), 1) : pnr.status();
            String err = pnr == null || pnr.fmaxErrorPercent() == null ? "-" : pct(pnr.fmaxErrorPercent());
            rows.add(List.of(t.target(), num(tm.criticalPathNs(), 2), tm.fmaxMhz() == null ? "does not fit" : num(tm.fmaxMhz(), 1), placed, err));
        }
        table(List.of("target", "path est (ns)", "Fmax est (MHz)", "Fmax P&R (MHz)", "error"), rows);
        out.append("+ Estimated critical paths:\n");
        for (Report.TargetReport t : r.targets()) {
            out.append("    ").append(t.target()).append(": ").append(t.timing().criticalPath()).append('\n');
            if (!t.timing().doesNotFit().isEmpty()) {
                out.append("    ").append(" ".repeat(t.target().length())).append("  does not fit: ").append(t.timing().doesNotFit()).append('\n');
            }
            Report.PlaceAndRoute pnr = t.timing().placeAndRoute();
            if (pnr != null) {
                out.append("    ").append(" ".repeat(t.target().length())).append("  place and route: ").append(pnr.status());
                if (!pnr.reason().isEmpty()) {
                    out.append(" (").append(pnr.reason()).append(')');
                }
                for (Map.Entry<String, Report.Usage> u : pnr.utilization().entrySet()) {
                    out.append(", ").append(u.getKey()).append(' ').append(u.getValue().used()).append('/').append(u.getValue().available());
                }
                out.append('\n');
            }
        }
    }

    private void utilization(Report r) {
        section("Utilization: estimate / synthesized (error)");
        for (Report.TargetReport t : r.targets()) {
            out.append("+ ").append(t.target()).append(": ").append(t.description()).append('\n');
            out.append("  synthesis: ").append(t.synthesis());
            if (t.synthesisTool() != null) {
                out.append(", ").append(t.synthesisTool()).append(": ").append(t.synthesisCommand());
            }
            out.append('\n');
            List<String> head = new ArrayList<>(List.of("module", "inst"));
            head.addAll(t.total().estimate().keySet());
            List<List<String>> rows = new ArrayList<>();
            for (Report.ModuleRow m : t.modules()) {
                rows.add(row(m.module(), Long.toString(m.instances()), new Report.Figures(m.estimate(), m.synthesized(), m.errorPercent())));
            }
            rows.add(row("total", "", t.total()));
            table(head, rows);
        }
    }

    private static List<String> row(String name, String instances, Report.Figures f) {
        List<String> cells = new ArrayList<>(List.of(name, instances));
        for (Map.Entry<String, Long> e : f.estimate().entrySet()) {
            Long syn = f.synthesized() == null ? null : f.synthesized().get(e.getKey());
            if (syn == null) {
                cells.add(Long.toString(e.getValue()));
            } else {
                Double err = f.errorPercent().get(e.getKey());
                cells.add(e.getValue() + " / " + syn + " (" + (err == null ? "n/a" : pct(err)) + ")");
            }
        }
        return cells;
    }

    private void ports(Report r) {
        section("Interface");
        List<List<String>> rows = new ArrayList<>();
        for (PortDoc p : r.ports()) {
            rows.add(List.of(p.name(), p.direction(), Integer.toString(p.width()), p.protocol(), p.meaning()));
        }
        table(List.of("port", "dir", "bits", "protocol", "meaning"), rows);
    }

    /** A boxed table, text columns left-aligned and numeric ones right-aligned. */
    private void table(List<String> head, List<List<String>> rows) {
        int[] w = new int[head.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = head.get(i).length();
            for (List<String> row : rows) {
                w[i] = Math.max(w[i], row.get(i).length());
            }
        }
        StringBuilder rule = new StringBuilder("    +");
        for (int width : w) {
            rule.append("-".repeat(width + 2)).append('+');
        }
        rule.append('\n');
        out.append(rule);
        line(head, w, false);
        out.append(rule);
        for (List<String> row : rows) {
            line(row, w, true);
        }
        out.append(rule);
    }

    private void line(List<String> cells, int[] w, boolean alignNumbers) {
        out.append("    |");
        for (int i = 0; i < w.length; i++) {
            String c = cells.get(i);
            boolean right = alignNumbers && !c.isEmpty() && (Character.isDigit(c.charAt(0)) || c.charAt(0) == '-' && c.length() > 1);
            String pad = " ".repeat(w[i] - c.length());
            out.append(' ').append(right ? pad + c : c + pad).append(" |");
        }
        out.append('\n');
    }

    private static String num(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%+.1f%%", v);
    }
}

package dev.qforge.generators.report.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the HTML reports: scatter plots (with a hover title per point and the
 * Pareto front drawn through its points), horizontal bar charts and labelled bars on a cycle axis.
 * Self-contained (no scripts, no fonts or styles fetched) and deterministic.
 */
final class Svg {
    static final int WIDTH = 460;
    static final int HEIGHT = 300;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 28;
    private static final int BOTTOM = 44;

    private Svg() { }

    /** A point of a scatter plot: its hover text, whether it is on the front, and the page it links to (or null). */
    record Dot(double x, double y, String title, boolean front, String href) { }

    /** A bar: a label, its value and the text shown after it. */
    record Bar(String label, double value, String text) { }

    /** A span on a timeline: its row, label, start and end in cycles. */
    record Span(int row, String label, double from, double to) { }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 1 ? "%.2f" : "%.3g", v);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** An axis: linear from 0 (or a negative minimum) to a rounded-up maximum, or logarithmic between powers of ten. */
    private record Axis(double lo, double hi, boolean log) {
        static Axis of(List<Double> values, boolean log) {
            double lo = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double hi = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            if (log) {
                lo = Math.pow(10, Math.floor(Math.log10(Math.max(lo, 1e-9))));
                hi = Math.pow(10, Math.ceil(Math.log10(Math.max(hi, lo * 10))));
                return new Axis(lo, hi, true);
            }
            lo = Math.min(0, lo);
            hi = hi <= lo ? lo + 1 : niceCeil(hi);
            return new Axis(lo, hi, false);
        }

        double frac(double v) {
            return log ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
        }

        List<Double> ticks() {
            List<Double> t = new ArrayList<>();
            if (log) {
                for (double v = lo; v <= hi * 1.0001; v *= 10) {
                    t.add(v);
                }
            } else {
                for (int i = 0; i <= 4; i++) {
                    t.add(lo + (hi - lo) * i / 4);
                }
            }
            return t;
        }
    }

    private static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 4, 5, 8, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** A scatter plot; front points are filled and joined by a step line, each point has a hover title. */
    static String scatter(String title, String xLabel, String yLabel, List<Dot> dots) {
        return plot(title, xLabel, yLabel, dots, List.of(), false);
    }

    /**
     * A plot of {@code dots} and {@code lines} (each a polyline of x,y pairs with a label), on log
     * axes when {@code log}.
     */
    static String plot(String title, String xLabel, String yLabel, List<Dot> dots, List<Line> lines, boolean log) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        dots.forEach(d -> { xs.add(d.x()); ys.add(d.y()); });
        lines.forEach(l -> { for (double[] p : l.points()) { xs.add(p[0]); ys.add(p[1]); } });
        Axis ax = Axis.of(xs, log);
        Axis ay = Axis.of(ys, log);
        double pw = WIDTH - LEFT - RIGHT;
        double ph = HEIGHT - TOP - BOTTOM;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\">\n");
        sb.append("<title>").append(escape(title)).append("</title>\n");
        sb.append("<text x=\"").append(WIDTH / 2).append("\" y=\"18\" text-anchor=\"middle\" class=\"t\">").append(escape(title)).append("</text>\n");
        sb.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(f(pw)).append("\" height=\"").append(f(ph))
                .append("\" class=\"frame\"/>\n");
        for (double t : ax.ticks()) {
            double x = LEFT + ax.frac(t) * pw;
            sb.append("<line x1=\"").append(f(x)).append("\" y1=\"").append(TOP).append("\" x2=\"").append(f(x)).append("\" y2=\"")
                    .append(f(TOP + ph)).append("\" class=\"grid\"/><text x=\"").append(f(x)).append("\" y=\"").append(f(TOP + ph + 14))
                    .append("\" text-anchor=\"middle\">").append(num(t)).append("</text>\n");
        }
        for (double t : ay.ticks()) {
            double y = TOP + ph - ay.frac(t) * ph;
            sb.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(f(LEFT + pw)).append("\" y2=\"")
                    .append(f(y)).append("\" class=\"grid\"/><text x=\"").append(LEFT - 4).append("\" y=\"").append(f(y + 4))
                    .append("\" text-anchor=\"end\">").append(num(t)).append("</text>\n");
        }
        sb.append("<text x=\"").append(f(LEFT + pw / 2)).append("\" y=\"").append(HEIGHT - 6).append("\" text-anchor=\"middle\">")
                .append(escape(xLabel)).append("</text>\n");
        sb.append("<text transform=\"translate(14 ").append(f(TOP + ph / 2)).append(") rotate(-90)\" text-anchor=\"middle\">")
                .append(escape(yLabel)).append("</text>\n");
        for (Line l : lines) {
            StringBuilder pts = new StringBuilder();
            for (double[] p : l.points()) {
                pts.append(pts.isEmpty() ? "" : " ").append(f(LEFT + ax.frac(p[0]) * pw)).append(',').append(f(TOP + ph - ay.frac(p[1]) * ph));
            }
            sb.append("<polyline points=\"").append(pts).append("\" class=\"").append(l.cssClass()).append("\"><title>")
                    .append(escape(l.label())).append("</title></polyline>\n");
        }
        List<Dot> front = dots.stream().filter(Dot::front).toList();
        if (front.size() > 1) {
            StringBuilder pts = new StringBuilder();
            for (Dot d : front) {
                pts.append(pts.isEmpty() ? "" : " ").append(f(LEFT + ax.frac(d.x()) * pw)).append(',').append(f(TOP + ph - ay.frac(d.y()) * ph));
            }
            sb.append("<polyline points=\"").append(pts).append("\" class=\"front\"/>\n");
        }
        // the front last, so its points are on top and take the hover
        List<Dot> ordered = new ArrayList<>(dots.stream().filter(d -> !d.front()).toList());
        ordered.addAll(front);
        for (Dot d : ordered) {
            String circle = "<circle cx=\"" + f(LEFT + ax.frac(d.x()) * pw) + "\" cy=\"" + f(TOP + ph - ay.frac(d.y()) * ph) + "\" r=\""
                    + (d.front() ? 4.5 : 3) + "\" class=\"" + (d.front() ? "dot on" : "dot") + "\"><title>" + escape(d.title()) + "</title></circle>";
            sb.append(d.href() == null ? circle : "<a href=\"" + escape(d.href()) + "\">" + circle + "</a>").append('\n');
        }
        return sb.append("</svg>\n").toString();
    }

    /** A polyline of a plot: its points (x, y), its hover label and its CSS class. */
    record Line(List<double[]> points, String label, String cssClass) { }

    /** Horizontal bars, one per item, scaled to the largest. */
    static String bars(String title, List<Bar> bars) {
        int labelWidth = 200;
        int row = 18;
        int height = TOP + bars.size() * row + 8;
        double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
        double span = WIDTH + 160 - labelWidth - 90;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"bars\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH + 160).append("\" height=\"").append(height)
                .append("\" role=\"img\">\n<title>").append(escape(title)).append("</title>\n<text x=\"4\" y=\"18\" class=\"t\">")
                .append(escape(title)).append("</text>\n");
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double y = TOP + i * row;
            double w = max > 0 ? b.value() / max * span : 0;
            sb.append("<text x=\"").append(labelWidth - 6).append("\" y=\"").append(f(y + 12)).append("\" text-anchor=\"end\">")
                    .append(escape(shorten(b.label(), 30))).append("<title>").append(escape(b.label())).append("</title></text>")
                    .append("<rect x=\"").append(labelWidth).append("\" y=\"").append(f(y + 2)).append("\" width=\"").append(f(w))
                    .append("\" height=\"").append(row - 5).append("\" class=\"bar\"><title>").append(escape(b.label() + ": " + b.text()))
                    .append("</title></rect><text x=\"").append(f(labelWidth + w + 4)).append("\" y=\"").append(f(y + 12)).append("\">")
                    .append(escape(b.text())).append("</text>\n");
        }
        return sb.append("</svg>\n").toString();
    }

    /** Labelled spans on a cycle axis from 0 to {@code end}, one row per {@code row} value. */
    static String timeline(String title, List<Span> spans, double end) {
        int labelWidth = 120;
        int row = 26;
        int rows = spans.stream().mapToInt(Span::row).max().orElse(0) + 1;
        int height = TOP + rows * row + 30;
        double span = WIDTH + 160 - labelWidth - 50;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH + 160).append("\" height=\"").append(height)
                .append("\" role=\"img\">\n<title>").append(escape(title)).append("</title>\n<text x=\"4\" y=\"18\" class=\"t\">")
                .append(escape(title)).append("</text>\n");
        for (int i = 0; i <= 4; i++) {
            double x = labelWidth + span * i / 4;
            sb.append("<line x1=\"").append(f(x)).append("\" y1=\"").append(TOP).append("\" x2=\"").append(f(x)).append("\" y2=\"")
                    .append(TOP + rows * row).append("\" class=\"grid\"/><text x=\"").append(f(x)).append("\" y=\"").append(TOP + rows * row + 14)
                    .append("\" text-anchor=\"middle\">").append(num(Math.round(end * i / 4.0))).append("</text>\n");
        }
        sb.append("<text x=\"").append(f(labelWidth + span / 2)).append("\" y=\"").append(height - 2).append("\" text-anchor=\"middle\">cycles</text>\n");
        for (Span s : spans) {
            double x = labelWidth + s.from() / end * span;
            double w = Math.max(1, (s.to() - s.from()) / end * span);
            double y = TOP + s.row() * row;
            String tip = s.label() + ": cycles " + num(s.from()) + " to " + num(s.to());
            sb.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y + 4)).append("\" width=\"").append(f(w)).append("\" height=\"")
                    .append(row - 8).append("\" class=\"span").append(s.row() % 2).append("\"><title>").append(escape(tip)).append("</title></rect>")
                    .append("<text x=\"").append(labelWidth - 6).append("\" y=\"").append(f(y + row / 2.0 + 4)).append("\" text-anchor=\"end\">")
                    .append(escape(s.label())).append("</text>\n");
        }
        return sb.append("</svg>\n").toString();
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    /** The page style shared by the reports: small, readable, printable. */
    static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
            h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}
            td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#f0f0f0}td.l,th.l{text-align:left}
            svg{font:11px system-ui,sans-serif;margin:4px 8px 4px 0}svg .t{font-size:13px;font-weight:600}
            .frame{fill:#fcfcfc;stroke:#999}.grid{stroke:#e4e4e4}.dot{fill:#7aa6d8;fill-opacity:.6;stroke:#3d6fa8}
            .dot.on{fill:#d9480f;fill-opacity:1;stroke:#7a2600}.front{fill:none;stroke:#d9480f;stroke-width:1.5}
            .bar{fill:#5b8fd1}.span0{fill:#5b8fd1}.span1{fill:#f08c3a}.roof{fill:none;stroke:#444;stroke-width:2}
            .plots{display:flex;flex-wrap:wrap}.muted{color:#777}code{background:#f4f4f4;padding:0 3px}
            """;
}

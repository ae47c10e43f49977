package dev.qforge.spec;

import dev.qforge.generators.report.Resource;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.spec.check.Block;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.compose.Link;
import dev.qforge.spec.workload.LayerResult;
import dev.qforge.spec.workload.WorkloadResult;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code qforge check} prints and a build's {@code workload.txt} holds: the blocks, the
 * estimated resources against the target's, the Fmax against the clock, each workload's layers
 * timed by the blocks' cycle models, and the target's roofline.
 */
public final class Summary {
    private Summary() { }

    public static String text(CheckedSpec s) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "spec %s: target %s (%s), %s%n", s.name(), s.device().name(), s.device().family().description(),
                s.clockMhz() > 0 ? "clock " + num(s.clockMhz()) + " MHz" : "no clock given"));
        sb.append("blocks:\n");
        for (Block b : s.blocks()) {
            sb.append(String.format(Locale.ROOT, "  %-10s %-10s %s  (module %s)%n", b.name(), b.generator().name(),
                    b.options().isEmpty() ? "defaults" : b.options().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                            .collect(Collectors.joining(", ")), b.info().top().name()));
        }
        if (!s.links().isEmpty()) {
            sb.append("connections:\n");
            for (Link l : s.links()) {
                sb.append("  ").append(l.from()).append(" -> ").append(l.to()).append(l.fifoDepth() > 0 ? " (fifo " + l.fifoDepth() + ")" : "")
                        .append(": ").append((l.from().isTop() ? l.to() : l.from()).stream().shape()).append('\n');
            }
        }
        for (Map.Entry<String, List<Long>> r : s.ranges().entrySet()) {
            sb.append("sweep range ").append(r.getKey()).append(" in ").append(r.getValue()).append(": every value checked; the figures below are for ")
                    .append(r.getKey()).append(" = ").append(r.getValue().get(0)).append('\n');
        }
        sb.append("estimate on ").append(s.device().name()).append(" (").append(s.device().family().id()).append(" model):\n  ");
        List<String> figures = new java.util.ArrayList<>();
        for (Resource r : s.device().family().resources()) {
            long used = s.estimate().total().get(r);
            Long cap = s.device().capacity().get(r);
            figures.add(r.name() + " " + used + (cap == null ? "" : String.format(Locale.ROOT, " of %d (%.1f%%)", cap, 100.0 * used / cap)));
        }
        sb.append(String.join(", ", figures)).append('\n');
        sb.append(String.format(Locale.ROOT, "  Fmax %.1f MHz (critical path %.2f ns: %s)%s%n", s.estimate().fmaxMhz(), s.estimate().criticalPathNs(),
                s.estimate().criticalPath(), s.clockMhz() > 0 ? "; clock " + num(s.clockMhz()) + " MHz met" : ""));
        long peak = peakMacsPerCycle(s);
        for (WorkloadResult w : s.workloads()) {
            workload(sb, s, w);
        }
        if (peak > 0) {
            double gmacs = peak * s.runMhz() / 1000;
            sb.append(String.format(Locale.ROOT, "roofline of %s at %s MHz: compute %d MAC/cycle = %.1f GMAC/s", s.device().name(), num(s.runMhz()),
                    peak, gmacs));
            if (s.device().bandwidthGBs() > 0) {
                sb.append(String.format(Locale.ROOT, "; memory %.2f GB/s (%s); ridge point %.1f MAC/byte", s.device().bandwidthGBs(), s.device().memory(),
                        gmacs / s.device().bandwidthGBs()));
            } else {
                sb.append("; ").append(s.device().memory()).append(": memory time not modelled");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void workload(StringBuilder sb, CheckedSpec s, WorkloadResult w) {
        double mhz = s.runMhz();
        double bw = s.device().bandwidthGBs();
        sb.append(String.format(Locale.ROOT, "workload %s at %s MHz (%s):%n", w.name(), num(mhz), s.clockMhz() > 0 ? "the clock" : "the estimated Fmax"));
        sb.append(String.format(Locale.ROOT, "  %-12s %-9s %-32s %-8s %12s %12s %10s %12s %7s%n", "layer", "kind", "shape", "block", "cycles", "compute us",
                "MAC/cycle", "bytes", "bound"));
        for (LayerResult l : w.layers()) {
            double computeUs = l.cycles() / mhz;
            double memoryUs = bw > 0 ? l.bytes() / (bw * 1e3) : 0;
            sb.append(String.format(Locale.ROOT, "  %-12s %-9s %-32s %-8s %12d %12.2f %10.2f %12d %7s%n", l.name(), l.kind(), l.shape(), l.block(),
                    l.cycles(), computeUs, (double) l.macs() / l.cycles(), l.bytes(), bw <= 0 ? "compute" : memoryUs > computeUs ? "memory" : "compute"));
        }
        sb.append(String.format(Locale.ROOT, "  %-12s %-9s %-32s %-8s %12d %12.2f %10.2f %12d%n", "total", "", "", "", w.cycles(), w.cycles() / mhz,
                w.cycles() == 0 ? 0.0 : (double) w.macs() / w.cycles(), w.bytes()));
        double total = timeAt(w, mhz, bw);
        sb.append(String.format(Locale.ROOT, "  time %.2f us per pass (each layer at the slower of compute and memory)", total));
        if (w.tokens() > 0 && total > 0) {
            sb.append(String.format(Locale.ROOT, "; %.1f tokens/s; at the estimated Fmax %.1f MHz: %.1f tokens/s", w.tokens() * 1e6 / total,
                    s.estimate().fmaxMhz(), w.tokens() * 1e6 / timeAt(w, s.estimate().fmaxMhz(), bw)));
        }
        sb.append('\n');
    }

    /** Microseconds per pass, each layer at the slower of its compute and its memory traffic (none without DRAM). */
    private static double timeAt(WorkloadResult w, double mhz, double bw) {
        return w.layers().stream().mapToDouble(l -> Math.max(l.cycles() / mhz, bw > 0 ? l.bytes() / (bw * 1e3) : 0)).sum();
    }

    /** The multiply-accumulates per cycle of every GEMM engine together: the compute roof. */
    static long peakMacsPerCycle(CheckedSpec s) {
        return s.blocks().stream().filter(b -> b.info() instanceof GemmEngineBlock)
                .mapToLong(b -> (long) ((GemmEngineBlock) b.info()).config().rows() * ((GemmEngineBlock) b.info()).config().cols()).sum();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}

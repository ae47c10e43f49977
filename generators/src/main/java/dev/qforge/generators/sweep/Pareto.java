package dev.qforge.generators.sweep;

import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Pareto fronts: the points no other point beats on both of two figures. A sweep's fronts are per
 * target, one per {@link Objective}: throughput (GOPS) against LUT, DSP and BRAM, and latency
 * against area (LUT, or logic cells on iCE40).
 */
public final class Pareto {
    private Pareto() { }

    /**
     * The front of {@code items} for a cost {@code x} (less is better) and a figure {@code y} (more
     * is better when {@code maximizeY}, else less), in increasing cost. Of points with equal x and
     * y only the first in {@code items} is kept, so a front lists each trade-off once.
     */
    public static <T> List<T> front(List<T> items, ToDoubleFunction<T> x, ToDoubleFunction<T> y, boolean maximizeY) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            order.add(i);
        }
        ToDoubleFunction<T> better = maximizeY ? y : t -> -y.applyAsDouble(t); // more is better
        order.sort(Comparator.<Integer>comparingDouble(i -> x.applyAsDouble(items.get(i)))
                .thenComparing(Comparator.<Integer>comparingDouble(i -> better.applyAsDouble(items.get(i))).reversed())
                .thenComparingInt(i -> i));
        List<T> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (int i : order) {
            double b = better.applyAsDouble(items.get(i));
            if (b > best) { // strictly better than every cheaper (or equally cheap) point so far
                front.add(items.get(i));
                best = b;
            }
        }
        return front;
    }

    /** A pair of figures a sweep's fronts are drawn for, per target. */
    public enum Objective {
        GOPS_VS_LUT("throughput vs LUT", "GOPS", true),
        GOPS_VS_DSP("throughput vs DSP", "GOPS", true),
        GOPS_VS_BRAM("throughput vs BRAM", "GOPS", true),
        LATENCY_VS_AREA("latency vs area", "latency (us)", false);

        private final String title;
        private final String yLabel;
        private final boolean maximizeY;

        Objective(String title, String yLabel, boolean maximizeY) {
            this.title = title;
            this.yLabel = yLabel;
            this.maximizeY = maximizeY;
        }

        public String title() { return title; }
        public String yLabel() { return yLabel; }
        public boolean maximizeY() { return maximizeY; }

        /** The resource on the x axis for {@code t}. */
        public Resource xResource(Target t) {
            return switch (this) {
                case GOPS_VS_LUT -> Resource.LUT;
                case GOPS_VS_DSP -> Resource.DSP;
                case GOPS_VS_BRAM -> Resource.BRAM;
                case LATENCY_VS_AREA -> t.isIce40() ? Resource.LC : Resource.LUT;
            };
        }

        /** The x figure of a point on {@code t}. */
        public double x(PointResult.TargetFigures f, Target t) {
            return f.resources().getOrDefault(xResource(t).name(), 0L);
        }

        /** The y figure of a point on {@code t}, or null when it has none (it does not fit). */
        public Double y(PointResult.TargetFigures f) {
            return this == LATENCY_VS_AREA ? f.latencyUs() : f.gops();
        }
    }

    /** The points of a sweep that have figures for {@code objective} on {@code t}, and their front. */
    public record Front(Target target, Objective objective, List<PointResult> candidates, List<PointResult> front) {
        public double x(PointResult r) { return objective.x(r.targets().get(target.id()), target); }

        public double y(PointResult r) { return objective.y(r.targets().get(target.id())); }
    }

    /** The front of {@code results} (successful points with a y figure) for {@code objective} on {@code t}. */
    public static Front of(List<PointResult> results, Target t, Objective objective) {
        List<PointResult> candidates = results.stream()
                .filter(r -> r.ok() && r.targets() != null && r.targets().containsKey(t.id()) && objective.y(r.targets().get(t.id())) != null)
                .toList();
        Front f = new Front(t, objective, candidates, List.of());
        return new Front(t, objective, candidates, front(candidates, f::x, f::y, objective.maximizeY()));
    }

    /** Every front of {@code results}: per target, per objective. */
    public static List<Front> all(List<PointResult> results) {
        List<Front> fronts = new ArrayList<>();
        for (Target t : Target.values()) {
            for (Objective o : Objective.values()) {
                fronts.add(of(results, t, o));
            }
        }
        return fronts;
    }
}

package dev.qforge.generators.sweep;

import dev.qforge.generators.report.Target;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pareto fronts of hand-made points whose fronts are known. */
class ParetoTest {
    record P(String name, double cost, double value) { }

    private static final List<P> POINTS = List.of(
            new P("a", 4, 5), new P("b", 1, 1), new P("c", 3, 2), new P("d", 2, 3), new P("e", 4, 4),
            new P("f", 5, 5), new P("g", 0, 0), new P("h", 2, 3), new P("i", 6, 9));

    private static List<String> names(List<P> ps) {
        return ps.stream().map(P::name).toList();
    }

    @Test
    void moreIsBetterFront() {
        // c (3,2) is beaten by d (2,3); e (4,4) by a (4,5); f (5,5) by a; h ties d and d comes first
        assertEquals(List.of("g", "b", "d", "a", "i"), names(Pareto.front(POINTS, P::cost, P::value, true)));
    }

    @Test
    void lessIsBetterFront() {
        // minimising both: only g (0,0) is unbeaten
        assertEquals(List.of("g"), names(Pareto.front(POINTS, P::cost, P::value, false)));
        List<P> latency = List.of(new P("slow-small", 1, 90), new P("mid", 2, 40), new P("worse", 3, 50), new P("fast-big", 8, 10),
                new P("same-as-mid", 2, 40));
        assertEquals(List.of("slow-small", "mid", "fast-big"), names(Pareto.front(latency, P::cost, P::value, false)));
    }

    @Test
    void emptyAndSingle() {
        assertEquals(List.of(), Pareto.front(List.<P>of(), P::cost, P::value, true));
        assertEquals(List.of("x"), names(Pareto.front(List.of(new P("x", 3, 3)), P::cost, P::value, true)));
    }

    private static PointResult result(String id, long lut, long dsp, Double gops, Double latencyUs) {
        Map<String, PointResult.TargetFigures> t = Map.of(Target.XC7.id(),
                new PointResult.TargetFigures(Map.of("LUT", lut, "FF", 0L, "DSP", dsp, "BRAM", 0L), gops == null ? null : 100.0, gops, latencyUs, null,
                        gops == null ? "does not fit" : null));
        return new PointResult(id, "systolic", PointResult.OK, null, Map.of(), "w", 1L, 1.0, 1.0, t);
    }

    @Test
    void sweepFrontsPerTargetAndObjective() {
        List<PointResult> rs = List.of(result("p1", 100, 4, 10.0, 5.0), result("p2", 200, 2, 20.0, 2.0), result("p3", 300, 8, 15.0, 1.0),
                result("p4", 50, 1, null, null), PointResult.failed(new dev.qforge.generators.sweep.Grid.Point("p5", Map.of()), "systolic", "boom"));
        Pareto.Front lut = Pareto.of(rs, Target.XC7, Pareto.Objective.GOPS_VS_LUT);
        assertEquals(List.of("p1", "p2", "p3"), lut.candidates().stream().map(PointResult::id).toList(), "no figures: not a candidate");
        assertEquals(List.of("p1", "p2"), lut.front().stream().map(PointResult::id).toList());
        Pareto.Front dsp = Pareto.of(rs, Target.XC7, Pareto.Objective.GOPS_VS_DSP);
        assertEquals(List.of("p2"), dsp.front().stream().map(PointResult::id).toList());
        Pareto.Front latency = Pareto.of(rs, Target.XC7, Pareto.Objective.LATENCY_VS_AREA);
        assertEquals(List.of("p1", "p2", "p3"), latency.front().stream().map(PointResult::id).toList());
        assertEquals(List.of(), Pareto.of(rs, Target.HX8K, Pareto.Objective.GOPS_VS_LUT).candidates(), "no figures on that target");
    }
}

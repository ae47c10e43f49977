package dev.qforge.generators.sweep;

import dev.qforge.generators.BlockInfo;
import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.report.Report;

import java.util.Map;

/**
 * What a sweep evaluates at each point: a generator's options, or a spec's ranges (the spec module
 * plugs in here, as the sweep engine cannot depend on it). Points are named by their options.
 */
public interface PointEvaluator {
    /** Recorded as each result's {@code generator}: the generator's name, or {@code spec:FILE}. */
    String name();

    /** The point's figures; throws (an {@link IllegalArgumentException} with the reason) when its options make no valid design. */
    PointResult evaluate(Grid.Point point);

    /** The design of the point with {@code options}, as a report sees it (for the front pages and synthesis). */
    BlockInfo block(Map<String, String> options);

    /** The estimate-only report of the point with {@code options}. */
    default Report report(Map<String, String> options) {
        return Sweep.report(block(options));
    }

    /** The evaluator of {@code generator}'s option points. */
    static PointEvaluator of(Generator generator) {
        return new PointEvaluator() {
            @Override
            public String name() { return generator.name(); }

            @Override
            public PointResult evaluate(Grid.Point point) {
                return PointResult.of(point, generator.name(), report(point.options()), 0);
            }

            @Override
            public BlockInfo block(Map<String, String> options) {
                return generator.buildResolved(options);
            }
        };
    }
}

package dev.qforge.generators.report.estimate;

import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Resources;

import java.util.EnumMap;

/** The resources the costing passes add up for one module (a resource never added stays absent). */
final class Tally {
    private final EnumMap<Resource, Long> counts = new EnumMap<>(Resource.class);

    void add(Resource r, long n) {
        if (n != 0) {
            counts.merge(r, n, Long::sum);
        }
    }

    long get(Resource r) {
        return counts.getOrDefault(r, 0L);
    }

    Resources resources() {
        return Resources.of(counts);
    }
}

package dev.qforge.generators.report;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Resource counts of one target: an immutable value with sums and multiples. */
public final class Resources {
    private final EnumMap<Resource, Long> counts;

    private Resources(EnumMap<Resource, Long> counts) {
        this.counts = counts;
    }

    public static Resources of(Map<Resource, Long> counts) {
        EnumMap<Resource, Long> m = new EnumMap<>(Resource.class);
        counts.forEach((k, v) -> {
            if (v != 0) {
                m.put(k, v);
            }
        });
        return new Resources(m);
    }

    public static Resources none() {
        return new Resources(new EnumMap<>(Resource.class));
    }

    public long get(Resource r) {
        return counts.getOrDefault(r, 0L);
    }

    public Resources plus(Resources o) {
        EnumMap<Resource, Long> m = new EnumMap<>(counts);
        o.counts.forEach((k, v) -> m.merge(k, v, Long::sum));
        return new Resources(m);
    }

    public Resources times(long n) {
        EnumMap<Resource, Long> m = new EnumMap<>(Resource.class);
        counts.forEach((k, v) -> m.put(k, v * n));
        return new Resources(m);
    }

    /** The counts of {@code target}'s resource kinds, in its report order (zeros included). */
    public Map<String, Long> toMap(Target target) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Resource r : target.resources()) {
            m.put(r.name(), get(r));
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Resources r && r.counts.equals(counts);
    }

    @Override
    public int hashCode() { return counts.hashCode(); }

    @Override
    public String toString() { return counts.toString(); }
}

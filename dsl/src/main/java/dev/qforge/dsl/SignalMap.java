package dev.qforge.dsl;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A map from the signals of one module to non-null values, kept in an array indexed by
 * {@link Signal#serial()}: a large array's top module has ~10^5 signals, and hashing them was most
 * of the time of the passes over it. Signals of other modules (read or driven only by mistake, an
 * error the checks report) are kept in a hash map on the side.
 */
public final class SignalMap<V> {
    private final Module module;
    private Object[] values;
    private Map<Signal, V> others;

    public SignalMap(Module module) {
        this.module = module;
        this.values = new Object[module.signalCount()];
    }

    /** The value of {@code s}, or null when it has none. */
    @SuppressWarnings("unchecked")
    public V get(Signal s) {
        if (s.owner() != module) {
            return others == null ? null : others.get(s);
        }
        return s.serial() < values.length ? (V) values[s.serial()] : null;
    }

    public boolean containsKey(Signal s) {
        return get(s) != null;
    }

    public void put(Signal s, V value) {
        if (value == null) {
            throw new NullPointerException("a SignalMap holds no null values (" + s + ")");
        }
        if (s.owner() != module) {
            if (others == null) {
                others = new IdentityHashMap<>();
            }
            others.put(s, value);
            return;
        }
        if (s.serial() >= values.length) { // a signal declared after the map was made
            values = Arrays.copyOf(values, module.signalCount());
        }
        values[s.serial()] = value;
    }

    /** The value of {@code s}, made by {@code make} and kept when it has none yet. */
    public V computeIfAbsent(Signal s, Function<Signal, V> make) {
        V v = get(s);
        if (v == null) {
            v = make.apply(s);
            put(s, v);
        }
        return v;
    }
}

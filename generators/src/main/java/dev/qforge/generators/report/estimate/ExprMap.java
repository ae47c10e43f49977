package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.SignalMap;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A map from the signals and operators of one module to non-null values: signals by serial
 * ({@link SignalMap}), operators hashed by identity. A large array's top module has ~10^6 signals
 * and a few thousand operators, so hashing the signals was what a pass over it cost.
 */
final class ExprMap<V> {
    private final SignalMap<V> signals;
    private final Map<Op, V> ops = new IdentityHashMap<>();

    ExprMap(Module module) {
        this.signals = new SignalMap<>(module);
    }

    /** The value of {@code e}, or null when it has none (always for a constant). */
    V get(Expr e) {
        return e instanceof Signal s ? signals.get(s) : e instanceof Op op ? ops.get(op) : null;
    }

    /** Sets the value of {@code e}, a signal or an operator. */
    void put(Expr e, V value) {
        if (e instanceof Signal s) {
            signals.put(s, value);
        } else {
            ops.put((Op) e, value);
        }
    }

    /** The value of {@code e} (a signal or an operator), made by {@code make} and kept when it has none yet. */
    V computeIfAbsent(Expr e, Function<Expr, V> make) {
        V v = get(e);
        if (v == null) {
            v = make.apply(e);
            put(e, v);
        }
        return v;
    }
}

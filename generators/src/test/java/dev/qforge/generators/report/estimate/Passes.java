package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Target;

import java.util.Map;
import java.util.stream.Stream;

/** Runs the estimator's passes on one module for the pass tests. */
final class Passes {
    private Passes() { }

    /** Every pass of {@code m} on {@code t}, as the estimator runs them for a top module. */
    static ModuleModel model(Module m, Target t) {
        return new ModuleModel(new LiveModule(m, new Drivers(m)), t, Map.of(), true);
    }

    static Signal signal(Module m, String name) {
        return Stream.concat(m.ports().stream(), m.signals().stream()).filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** The operator behind the wiring of the one value driving {@code name}. */
    static Op driverOp(Module m, String name) {
        Expr v = Operators.strip(new Drivers(m).of(signal(m, name)).get(0).assign().value());
        return (Op) v;
    }
}

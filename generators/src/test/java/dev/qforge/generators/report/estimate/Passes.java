package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.qforge.dsl.HwType.bool;

/** Runs the estimator's passes on one module for the pass tests. */
final class Passes {
    private Passes() { }

    /** Every pass of {@code m} on {@code t}, as the estimator runs them for a top module. */
    static ModuleModel model(Module m, Target t) {
        return new ModuleModel(new LiveModule(m, new Drivers(m)), t, Map.of(), true);
    }

    /** The estimated LUTs of {@code m} on {@code t}. */
    static long luts(Module m, Target t) {
        return model(m, t).resources().get(Resource.LUT);
    }

    /** y = cmp(xr), xr a register of {@code type} (loaded from a port), y a register: a compare as the calibration measures it. */
    static Module registeredCompare(HwType type, Function<Signal, Expr> cmp) {
        return new Module("Cmp") {{
            Signal xr = reg("xr", type);
            xr.set(input("x", type));
            Signal y = reg("y_q", bool());
            y.set(cmp.apply(xr));
            output("y", bool()).set(y);
        }};
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

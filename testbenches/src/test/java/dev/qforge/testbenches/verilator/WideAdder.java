package dev.qforge.testbenches.verilator;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;

/** Test design with ports wider than 64 bits (Verilator VlWide) and a signed 40-bit port (QData). */
final class WideAdder extends Module {
    WideAdder() {
        super("WideAdder_u100");
        Signal a = input("a", uint(100));
        Signal b = input("b", uint(100));
        Signal sum = output("sum", uint(101));
        Signal low = output("low", sint(40));
        Signal r = reg("r", uint(101), 0);
        r.set(a.plus(b));
        sum.set(r);
        low.set(a.slice(39, 0).asSInt());
    }
}

package dev.qforge.testbenches.verilator;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.uint;

/** A deliberately wrong block: a registered a + b whose low bit flips when a == 0x5a and b > 0x80. */
final class FaultyAdder extends Module {
    FaultyAdder() {
        super("FaultyAdder_u8");
        Signal a = input("a", uint(8));
        Signal b = input("b", uint(8));
        Signal y = output("y", uint(9));
        Signal r = reg("r", uint(9), 0);
        Expr sum = a.plus(b);
        r.set(Expr.mux(a.eq(0x5a).and(b.gt(0x80)), sum.xor(Expr.u(1, 9)), sum));
        y.set(r);
    }

    /** What the adder should compute. */
    static long golden(long a, long b) {
        return a + b;
    }
}

package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.check.Drivers;

import java.math.BigInteger;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loads on each net, per bit: how many LUT and flip-flop inputs one bit of a signal or
 * operator result drives. A one-bit value that selects or enables a wide one drives every bit of
 * it (a multiplexer's select, a register's clock enable), each bit of a LUT multiplier's operand
 * drives a partial product per bit of the other operand (one adder input per shifted copy for a
 * constant factor), and wiring passes its loads on to the
 * value it renames. The timing model charges each net a routing delay that grows with its loads.
 */
final class Fanout {
    private final Map<Expr, Integer> loads = new IdentityHashMap<>();

    Fanout(Liveness liveness, Arithmetic arithmetic) {
        for (Liveness.LiveTarget t : liveness.liveTargets()) {
            int width = t.liveWidth();
            for (Drivers.Driver d : t.drivers()) {
                add(d.assign().value(), 1);
                for (Drivers.Step step : d.path()) {
                    add(step.stmt().cond(), width);
                }
            }
        }
        // consumers before the operators they read, so wiring hands on its complete loads
        List<Op> order = liveness.postOrder();
        for (int k = order.size() - 1; k >= 0; k--) {
            Op op = order.get(k);
            for (int i = 0; i < op.operandCount(); i++) {
                Expr x = op.operand(i);
                if (Operators.isWiring(op)) {
                    add(x, Math.max(1, loads(op)));
                } else if (op.kind() == Op.Kind.MUX && i == 0) {
                    add(x, Math.max(1, liveness.demandedBits(op)));
                } else if (op.kind() == Op.Kind.MUL && arithmetic.dspCount(op) == 0 && !Operators.isShift(op)) {
                    BigInteger c = Operators.constantFactor(op);
                    add(x, c != null ? Operators.shiftAddTerms(c) : Operators.significantWidth(op.operand(1 - i)));
                } else {
                    add(x, 1);
                }
            }
        }
    }

    /** Inputs one bit of {@code e} drives (0 when nothing reads it). */
    int loads(Expr e) {
        return loads.getOrDefault(e, 0);
    }

    private void add(Expr e, int n) {
        if (e instanceof Op || e instanceof Signal) {
            loads.merge(e, n, Integer::sum);
        }
    }
}

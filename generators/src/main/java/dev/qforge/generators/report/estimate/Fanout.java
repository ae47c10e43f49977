package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.SignalMap;
import dev.qforge.dsl.Stmt;
import dev.qforge.dsl.check.Drivers;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The loads on each net, per bit: how many LUT and flip-flop inputs one bit of a signal or
 * operator result drives. A one-bit value that selects or enables a wide one drives every bit of
 * it (a multiplexer's select, a register's clock enable), each bit of a LUT multiplier's operand
 * drives a partial product per bit of the other operand (one adder input per shifted copy for a
 * constant factor), and wiring passes its loads on to the
 * value it renames. A slice passes its loads only to the bits it takes: a wide value whose bits are
 * read one by one (a leading-one search, a bit-serial select) loads each bit with its own readers,
 * not with the sum over all of them. The timing model charges each net a routing delay that grows
 * with its loads.
 */
final class Fanout {
    /** Loads on every bit of a value (a one-element counter). */
    private final ExprMap<int[]> loads;
    /** Loads on single bits of a value read through slices, per bit (only for values some slice reads). */
    private final ExprMap<int[]> bitLoads;

    Fanout(Liveness liveness, Arithmetic arithmetic) {
        loads = new ExprMap<>(liveness.module());
        bitLoads = new ExprMap<>(liveness.module());
        for (Liveness.LiveTarget t : liveness.liveTargets()) {
            int width = t.liveWidth();
            // each read once per bit, however many drivers it tells apart; made for the signals loaded under conditions only
            Set<Stmt.If> conditions = null;
            for (int i = 0; i < t.drivers().size(); i++) { // indexed, as in Liveness.forEachRoot
                List<Drivers.Step> path = t.drivers().get(i).path();
                add(t.drivers().get(i).assign().value(), 1);
                for (int j = 0; j < path.size(); j++) {
                    if (conditions == null) {
                        conditions = Collections.newSetFromMap(new IdentityHashMap<>(4));
                    }
                    if (conditions.add(path.get(j).stmt())) {
                        add(path.get(j).stmt().cond(), width);
                    }
                }
            }
        }
        // consumers before the operators they read, so wiring hands on its complete loads
        List<Op> order = liveness.postOrder();
        for (int k = order.size() - 1; k >= 0; k--) {
            Op op = order.get(k);
            for (int i = 0; i < op.operandCount(); i++) {
                Expr x = op.operand(i);
                if (op.kind() == Op.Kind.SLICE) {
                    addToBits(x, op.p1(), op.p0(), Math.max(1, loads(op)));
                } else if (Operators.isWiring(op)) {
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
        mergeRenamings(liveness);
    }

    /**
     * A wire that only renames a signal ({@code assign en = skid_empty}) is the same net as that
     * signal in the netlist: its readers load the signal, and the wire itself routes nothing (else
     * a register read through its alias pays its routing twice). Checked on the GEMM engines, whose
     * {@code en} renames the skid buffer's {@code skid_empty}: nextpnr routes one net, 1.6 ns on HX8K.
     */
    private void mergeRenamings(Liveness liveness) {
        SignalMap<Signal> renames = new SignalMap<>(liveness.module());
        List<Signal> renamed = new ArrayList<>(); // in a fixed order, though the sums do not depend on it
        for (Liveness.LiveTarget t : liveness.liveTargets()) {
            if (t.signal().kind() == Signal.Kind.WIRE && t.drivers().size() == 1 && t.drivers().get(0).path().isEmpty()
                    && Operators.strip(t.drivers().get(0).assign().value()) instanceof Signal source) {
                renames.put(t.signal(), source);
                renamed.add(t.signal());
            }
        }
        int[] renamedLoads = new int[renamed.size()]; // each wire's loads before any moves
        for (int i = 0; i < renamed.size(); i++) {
            renamedLoads[i] = loads(renamed.get(i));
        }
        for (int i = 0; i < renamed.size(); i++) {
            Signal root = renames.get(renamed.get(i));
            while (renames.containsKey(root)) {
                root = renames.get(root);
            }
            add(root, renamedLoads[i] - 1); // less the load its own driver counted on the source
            loads.put(renamed.get(i), new int[1]); // the wire routes nothing
            bitLoads.put(renamed.get(i), new int[0]);
        }
    }

    /** Inputs the most loaded bit of {@code e} drives (0 when nothing reads it). */
    int loads(Expr e) {
        int[] bits = bitLoads.get(e);
        int most = 0;
        if (bits != null) {
            for (int b : bits) {
                most = Math.max(most, b);
            }
        }
        int[] all = loads.get(e);
        return (all == null ? 0 : all[0]) + most;
    }

    private void addToBits(Expr e, int lo, int hi, int n) {
        if (e instanceof Op || e instanceof Signal) {
            int[] bits = bitLoads.computeIfAbsent(e, x -> new int[x.width()]);
            for (int b = lo; b <= hi; b++) {
                bits[b] += n;
            }
        }
    }

    private void add(Expr e, int n) {
        if (e instanceof Op || e instanceof Signal) {
            loads.computeIfAbsent(e, x -> new int[1])[0] += n;
        }
    }
}

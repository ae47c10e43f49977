package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Target;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multiplexers that ABC computes again inside the multiplexer reading them, on Xilinx. ABC maps for depth first:
 * its required time is the depth of the module's deepest path between flip-flops, ports and carry chains (a chain
 * is a box to it: its carry-out a fresh input, its select inputs outputs). A 2:1 multiplexer {@code s ? m0 : m1}
 * whose arms are 2:1 multiplexers that other logic reads too would sit a level above them; where that level is
 * one more than the required time allows, ABC maps the pair as one seven-input function (a LUT7: two LUT6s and a
 * MUXF7 per bit) over the arms' own inputs, and keeps the arms for their other readers. A tree of maxima is such
 * a path: each maximum's compare chain reads the multiplexers of the level before through its chunk LUTs.
 *
 * <p>Only modules whose depth is modelled in full are walked: logic, wiring and compare chains, each signal with
 * one unconditional driver; elsewhere (adders, shifters, multipliers, selects, enables) the required time is
 * taken to leave room, and nothing is collapsed. Measured (Yosys 0.23, xc7 and xcup alike, int8 ports, the
 * maximum registered): a 3-level tree of 8 values 117 LUTs (98 as its pieces: 7 compares of 6 and 7
 * multiplexers of 8; its second level's two multiplexers collapsed, 16 more); a 2-level tree 43 (42); a 2-level
 * tree compared again (registered {@code max(max(a, b), max(c, d)) > q}) 55 (48, and 8); the 3-level tree beside
 * a 256-bit parity, a deeper path, 96.
 */
final class CollapsedSelects {
    /** ABC's LUT7, the widest function it maps as one level at the price of two LUT6s. */
    private static final int COLLAPSED_INPUTS = 7;
    private static final int UNKNOWN = Integer.MIN_VALUE;

    private final Target target;
    private final Liveness liveness;
    private final LutCones cones;
    private final Drivers drivers;
    /** Per operator, its LUT depth above the latest flip-flop, port or chain, its collapsible multiplexers collapsed. */
    private final Map<Expr, Integer> arrivals = new IdentityHashMap<>();
    /** Per operator and wire, the depth by which its value must settle (ABC's required time). */
    private final Map<Expr, Integer> required = new IdentityHashMap<>();
    /** Per operator, whether it is a compare chain ({@link #chain}), asked on every pass of {@link #settleRequired}. */
    private final Map<Op, Boolean> chains = new IdentityHashMap<>();
    private boolean modelled = true;
    private int depth;

    private CollapsedSelects(Target target, Liveness liveness, LutCones cones, Drivers drivers) {
        this.target = target;
        this.liveness = liveness;
        this.cones = cones;
        this.drivers = drivers;
    }

    /** LUTs the module's collapsed multiplexers add to their pricing as 2:1 multiplexers (0 on iCE40, or where the depth is not modelled). */
    static long extraLuts(Target target, Liveness liveness, LutCones cones, Drivers drivers) {
        return target.isIce40() ? 0 : new CollapsedSelects(target, liveness, cones, drivers).extraLuts();
    }

    private long extraLuts() {
        for (Liveness.LiveTarget t : liveness.liveTargets()) {
            if (t.drivers().size() != 1 || !t.drivers().get(0).isUnconditional()) {
                return 0;
            }
        }
        for (Op op : liveness.postOrder()) {
            int a = arrival(op);
            if (!modelled) {
                return 0;
            }
            if (chain(op)) {
                depth = Math.max(depth, inputArrival(op) + 1);
            } else {
                depth = Math.max(depth, a);
            }
        }
        settleRequired();
        long extra = 0;
        for (Op op : liveness.postOrder()) {
            if (collapsible(op) && inputArrival(op) + 1 > required.getOrDefault(op, Integer.MAX_VALUE)) {
                extra += (long) liveness.demandedBits(op) * (cones.lutsFor(collapsedInputs(op)) - cones.lutsFor(cones.coneInputs(op)));
            }
        }
        return extra;
    }

    /** Whether {@code op} is a compare chain on Xilinx (with a constant or of two variables). */
    private boolean chain(Op op) {
        return chains.computeIfAbsent(op, o -> LookaheadCompare.of(o, target.lutInputs()) != null
                || VariableCompare.of(o, target.lutInputs(), liveness.known()) != null);
    }

    /** A multiplexer between two multiplexers that other logic reads too, whose pair fits a LUT7. */
    private boolean collapsible(Op op) {
        if (op.kind() != Op.Kind.MUX || cones.isMerged(op)) {
            return false;
        }
        for (int i = 1; i <= 2; i++) {
            if (!(Operators.unwire(op.operand(i)) instanceof Op arm) || arm.kind() != Op.Kind.MUX || cones.isMerged(arm)) {
                return false;
            }
        }
        return collapsedInputs(op) <= COLLAPSED_INPUTS;
    }

    private int collapsedInputs(Op mux) {
        return cones.muxSelectInputs(mux) + cones.coneInputs((Op) Operators.unwire(mux.operand(1))) + cones.coneInputs((Op) Operators.unwire(mux.operand(2)));
    }

    /** The latest of an operator's inputs; a collapsible multiplexer's arms count by their own inputs. */
    private int inputArrival(Op op) {
        int latest = 0;
        for (int i = 0; i < op.operandCount(); i++) {
            latest = Math.max(latest, arrival(op.operand(i)));
        }
        return latest;
    }

    private int arrival(Expr e) {
        if (e instanceof Const) {
            return 0;
        }
        if (e instanceof Signal s) {
            Expr value = soleValue(s);
            return value != null ? arrival(value) : 0;
        }
        Integer known = arrivals.get(e);
        if (known != null) {
            return known;
        }
        Op op = (Op) e;
        int a;
        if (Operators.isWiring(op) || cones.isMerged(op)) {
            a = inputArrival(op);
        } else if (Operators.isLogic(op, target) && cones.resetOf(op) == null && !cones.decoders().isOutput(op)) {
            a = collapsible(op) ? collapsedArrival(op) : inputArrival(op) + cones.coneLevels(op);
        } else if (chain(op)) {
            a = 0;
        } else {
            modelled = false;
            a = UNKNOWN;
        }
        arrivals.put(op, a);
        return a;
    }

    /** A collapsed multiplexer's depth: one level over its select and its arms' inputs. */
    private int collapsedArrival(Op mux) {
        int latest = arrival(mux.operand(0));
        for (int i = 1; i <= 2; i++) {
            latest = Math.max(latest, inputArrival((Op) Operators.unwire(mux.operand(i))));
        }
        return latest + 1;
    }

    /** The value of a wire or output with one driver, which ABC sees through; null for a register, an input or a signal with several drivers. */
    private Expr soleValue(Signal s) {
        List<Drivers.Driver> ds = s.kind() == Signal.Kind.WIRE || s.kind() == Signal.Kind.OUTPUT ? drivers.of(s) : List.of();
        return ds.size() == 1 ? ds.get(0).assign().value() : null;
    }

    /** ABC's required times, from the module's depth at its flip-flops, ports and chains back to each operator. */
    private void settleRequired() {
        for (Liveness.LiveTarget t : liveness.liveTargets()) {
            require(t.drivers().get(0).assign().value(), depth);
        }
        boolean changed = true;
        for (int pass = 0; changed && pass < 64; pass++) {
            changed = false;
            List<Op> order = liveness.postOrder();
            for (int j = order.size() - 1; j >= 0; j--) {
                Op op = order.get(j);
                int r = chain(op) ? depth - 1 : required.getOrDefault(op, Integer.MAX_VALUE);
                if (r == Integer.MAX_VALUE) {
                    continue;
                }
                int levels = Operators.isWiring(op) || cones.isMerged(op) || chain(op) ? 0 : cones.coneLevels(op);
                for (int i = 0; i < op.operandCount(); i++) {
                    changed |= require(op.operand(i), r - levels);
                }
            }
        }
    }

    /** Lowers the required time of {@code e} (through wires, to their drivers) to {@code r}; whether it changed. */
    private boolean require(Expr e, int r) {
        if (e instanceof Const) {
            return false;
        }
        if (e instanceof Signal s) {
            Expr value = soleValue(s);
            return value != null && require(value, r);
        }
        Integer old = required.get(e);
        if (old != null && old <= r) {
            return false;
        }
        required.put(e, r);
        return true;
    }
}

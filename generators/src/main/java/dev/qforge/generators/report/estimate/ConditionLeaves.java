package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stmt;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Target;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The leaves of the conditions that select among a register's values and enable it: the register,
 * port and arithmetic bits they are logic of, looking through logic and the wires that name it
 * ({@code push}, {@code fetch}). On Xilinx ABC maps for depth with wide LUTs (MUXF7/F8, and F9 on
 * UltraScale+, one level each), so where every bit needs the conditions again (an up/down
 * counter's shared $alu, see {@code LogicCost}) conditions with few enough leaves are not built
 * once: each bit's select and the enable become one function of the leaves (measured on SyncFifo's
 * occupancy counter: its two conditions read 8 leaves, and Yosys 0.23 maps each bit as a function
 * of them, 2 LUTs, and the enable as a LUT8 on xcup, 4 LUTs; on iCE40, without wide LUTs, the
 * conditions are built once).
 */
final class ConditionLeaves {
    private final Target target;
    private final Drivers drivers;

    ConditionLeaves(Target target, Drivers drivers) {
        this.target = target;
        this.drivers = drivers;
    }

    /** The inputs of the widest function ABC maps as one level: a LUT6 joined by MUXF7/F8 (xc7), or F9 too (xcup). */
    private int widest() {
        return target == Target.XCUP ? 9 : 8;
    }

    /** Distinct leaf bits of {@code conditions}, or -1 on iCE40 or when they are more than the widest one-level function takes. */
    int of(Collection<Expr> conditions) {
        if (target.isIce40()) {
            return -1;
        }
        Set<List<Object>> leaves = new HashSet<>();
        for (Expr c : conditions) {
            if (!collect(c, leaves, 0)) {
                return -1;
            }
        }
        return leaves.size();
    }

    /** Adds the leaf bits of {@code e}; false once they outgrow the widest function (or the walk runs too deep). */
    private boolean collect(Expr e, Set<List<Object>> leaves, int depth) {
        if (depth > 16) {
            return false;
        }
        if (e instanceof Const) {
            return true;
        }
        if (e instanceof Signal s) {
            Stmt.Assign only = s.kind() == Signal.Kind.WIRE || s.kind() == Signal.Kind.OUTPUT ? drivers.simpleDriver(s) : null;
            if (only != null) {
                return collect(only.value(), leaves, depth + 1);
            }
            return addBits(s, 0, s.width(), leaves);
        }
        Op op = (Op) e;
        if (op.kind() == Op.Kind.SLICE && op.operand(0) instanceof Signal s && s.kind() != Signal.Kind.WIRE && s.kind() != Signal.Kind.OUTPUT) {
            return addBits(s, op.p1(), op.width(), leaves);
        }
        if (!Operators.isLogic(op, target) && !Operators.isWiring(op)) {
            return addBits(op, 0, op.width(), leaves);
        }
        for (int i = 0; i < op.operandCount(); i++) {
            if (!collect(op.operand(i), leaves, depth + 1)) {
                return false;
            }
        }
        return true;
    }

    private boolean addBits(Object of, int lo, int width, Set<List<Object>> leaves) {
        for (int b = lo; b < lo + width; b++) {
            leaves.add(List.of(new Identity(of), b));
        }
        return leaves.size() <= widest();
    }

    /** A signal or operator compared by identity. */
    private record Identity(Object of) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.of == of;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(of);
        }
    }
}

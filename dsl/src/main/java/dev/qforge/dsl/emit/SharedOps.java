package dev.qforge.dsl.emit;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Rom;
import dev.qforge.dsl.Stmt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations of a module that the Verilog names once, as a helper wire, because they are read in
 * more than one place (the same {@link Expr} object used twice).
 *
 * <p>Inlined, each read repeats the expression, and the emitter narrows a copy to the bits its reader
 * takes. Yosys 0.23 merges identical cells, and ABC identical gates, but not an adder with its narrowed
 * copy: a sum that a comparison reads whole and a slice reads narrowed became two carry chains (the
 * rounders of the dequant units and the W4A8 engine's GroupScale accumulator). So a shared operation is
 * named when narrowing it would copy a sum or difference; other shared logic stays inline, where a
 * narrowed copy is the same gates.
 *
 * <p>A large shared operation (over {@link #MAX_INLINE_OPS} operations inline) is named whatever it
 * holds: inlined, a chain that reads every value twice ({@code y = y ^ (y << 1)} in a loop) grows the
 * text exponentially, forty steps writing 2^40 copies of the input.
 */
final class SharedOps {
    /** Operations in a shared expression, past which it is named: a chain doubling per step reaches it within eight steps. */
    static final int MAX_INLINE_OPS = 256;

    private final Map<Op, Integer> reads = new IdentityHashMap<>();
    /** Every operation reached, operands before the operations that read them. */
    private final List<Op> postOrder = new ArrayList<>();

    private SharedOps() { }

    static Set<Op> of(Module module) {
        SharedOps s = new SharedOps();
        s.block(module.body());
        for (Mem m : module.mems()) {
            for (Mem.ReadPort r : m.reads()) {
                s.visit(r.addr());
                s.visit(r.enable());
            }
        }
        for (Rom rom : module.roms()) {
            for (Rom.ReadPort r : rom.reads()) {
                s.visit(r.addr());
                s.visit(r.enable());
            }
        }
        // the operations each one writes out when inlined, a named operand counting as one
        Map<Op, Integer> inlineOps = new IdentityHashMap<>();
        Set<Op> named = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Op> narrowsASum = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Op op : s.postOrder) {
            int n = 1;
            for (int i = 0; i < op.operandCount(); i++) {
                if (op.operand(i) instanceof Op child) {
                    n = Math.min(Integer.MAX_VALUE / 2, n + (named.contains(child) ? 1 : inlineOps.get(child)));
                }
            }
            boolean narrows = narrowsASum(op, narrowsASum);
            if (s.reads.get(op) > 1 && (n > MAX_INLINE_OPS || narrows)) {
                named.add(op); // read as a name from here on, so its readers narrow no sum through it
            } else if (narrows) {
                narrowsASum.add(op);
            }
            inlineOps.put(op, n);
        }
        return named;
    }

    /**
     * Whether a reader that takes the low bits of {@code op} inlined would get its own narrowed copy of
     * a sum or difference: the emitter pushes truncation through wiring, bitwise logic, multiplexer arms
     * and concatenations into adders ({@code VerilogEmitter.slice}), down to named operands.
     */
    private static boolean narrowsASum(Op op, Set<Op> narrowing) {
        int from = switch (op.kind()) {
            case ADD, SUB -> -1;
            case SLICE, RETYPE, EXTEND, SHL, NOT, AND, OR, XOR, CAT -> 0;
            case MUX -> 1;
            default -> op.operandCount();
        };
        if (from < 0) {
            return true;
        }
        for (int i = from; i < op.operandCount(); i++) {
            if (op.operand(i) instanceof Op child && narrowing.contains(child)) {
                return true;
            }
        }
        return false;
    }

    private void block(Stmt.Block block) {
        for (Stmt st : block.stmts()) {
            if (st instanceof Stmt.Assign a) {
                visit(a.value());
            } else if (st instanceof Stmt.If i) {
                visit(i.cond());
                block(i.then());
                block(i.otherwise());
            } else if (st instanceof Stmt.MemWrite w) {
                visit(w.addr());
                visit(w.data());
            }
        }
    }

    private void visit(Expr e) {
        if (e instanceof Op op && reads.merge(op, 1, Integer::sum) == 1) {
            for (int i = 0; i < op.operandCount(); i++) {
                visit(op.operand(i));
            }
            postOrder.add(op);
        }
    }
}

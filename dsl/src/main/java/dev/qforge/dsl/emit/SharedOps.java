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
 * The large operations of a module that the Verilog names once, as a helper wire, because they are
 * read in more than one place (the same {@link Expr} object used twice). Inlined, each read repeats
 * the whole expression, and a chain that reads every value twice ({@code y = y ^ (y << 1)} in a
 * loop) grows the text exponentially: forty steps would write 2^40 copies of the input.
 *
 * <p>Smaller shared expressions stay inline, where the emitter can narrow each copy to the bits its
 * reader takes. Naming every shared operation saves logic on some designs (Yosys 0.23 does not merge
 * an adder with its narrowed copy: the bf16 rounders of the dequant units took 15-20% fewer LUTs) but
 * moves the resource figures the estimator is calibrated on, so that is a change of its own.
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
        for (Op op : s.postOrder) {
            int n = 1;
            for (int i = 0; i < op.operandCount(); i++) {
                if (op.operand(i) instanceof Op child) {
                    n = Math.min(Integer.MAX_VALUE / 2, n + (named.contains(child) ? 1 : inlineOps.get(child)));
                }
            }
            if (s.reads.get(op) > 1 && n > MAX_INLINE_OPS) {
                named.add(op);
            }
            inlineOps.put(op, n);
        }
        return named;
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

package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stmt;
import dev.qforge.dsl.check.Drivers;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a memory's read port and its writes can never be enabled in the same cycle. Yosys'
 * memory_dff asks a SAT solver the same about the port's enable and each write enable; where it
 * proves them exclusive it marks the collision don't-care, so memory_libmap builds no read-during-write
 * emulation. This model finds the common proof of a controller: both enables are conjunctions, one
 * holding {@code x == a} and the other {@code x == b} (a != b) or {@code !x} (a state register's
 * decoded states: the attention engine's cache is written in LOAD and read in ATTEND, where Yosys
 * 0.23 adds no flip-flop to its four EBRs).
 */
final class ExclusiveEnables {
    private final Drivers drivers;
    /** Per memory, the conditions (with their sides) of each of its writes. */
    private final Map<Mem, List<List<Literal>>> writes = new IdentityHashMap<>();

    /** A condition on a path: {@code value} when {@code holds}, else its negation. */
    private record Literal(Expr value, boolean holds) { }

    ExclusiveEnables(Module module, Drivers drivers) {
        this.drivers = drivers;
        collect(module.body(), new ArrayList<>());
    }

    private void collect(Stmt.Block block, List<Literal> path) {
        for (Stmt s : block.stmts()) {
            if (s instanceof Stmt.MemWrite w) {
                writes.computeIfAbsent(w.mem(), k -> new ArrayList<>()).add(List.copyOf(path));
            } else if (s instanceof Stmt.If i) {
                path.add(new Literal(i.cond(), true));
                collect(i.then(), path);
                path.set(path.size() - 1, new Literal(i.cond(), false));
                collect(i.otherwise(), path);
                path.remove(path.size() - 1);
            }
        }
    }

    /** Whether the read enabled by {@code readEnable} excludes every write of {@code mem}. */
    boolean readExcludesWrites(Mem mem, Expr readEnable) {
        List<Literal> read = new ArrayList<>();
        conjuncts(readEnable, true, read);
        for (List<Literal> path : writes.getOrDefault(mem, List.of())) {
            List<Literal> write = new ArrayList<>();
            path.forEach(l -> conjuncts(l.value(), l.holds(), write));
            if (!contradict(read, write)) {
                return false;
            }
        }
        return true;
    }

    /** The literals whose conjunction {@code e} (or its negation) implies, through single-driver wires. */
    private void conjuncts(Expr e, boolean holds, List<Literal> out) {
        Expr x = follow(e);
        if (x instanceof Op op && op.width() == 1) {
            if (op.kind() == Op.Kind.NOT) {
                conjuncts(op.operand(0), !holds, out);
                return;
            }
            // a AND b holds: both hold; a OR b fails: both fail
            if (holds && op.kind() == Op.Kind.AND || !holds && op.kind() == Op.Kind.OR) {
                conjuncts(op.operand(0), holds, out);
                conjuncts(op.operand(1), holds, out);
                return;
            }
        }
        out.add(new Literal(x, holds));
    }

    /** A wire's or output's value (one unconditional driver), else the expression itself. */
    private Expr follow(Expr e) {
        Expr x = e;
        while (x instanceof Signal s && (s.kind() == Signal.Kind.WIRE || s.kind() == Signal.Kind.OUTPUT) && drivers.simpleDriver(s) != null) {
            x = drivers.simpleDriver(s).value();
        }
        return x;
    }

    private boolean contradict(List<Literal> a, List<Literal> b) {
        Map<Expr, Boolean> signs = new IdentityHashMap<>();
        Map<Expr, BigInteger> equals = new IdentityHashMap<>();
        for (Literal l : a) {
            signs.put(l.value(), l.holds());
            Comparison c = comparison(l.value());
            if (c != null && l.holds()) {
                equals.put(c.subject(), c.constant());
            }
        }
        for (Literal l : b) {
            Boolean other = signs.get(l.value());
            if (other != null && other != l.holds()) {
                return true;
            }
            Comparison c = comparison(l.value());
            if (c != null && l.holds() && equals.containsKey(c.subject()) && !equals.get(c.subject()).equals(c.constant())) {
                return true;
            }
        }
        return false;
    }

    /** {@code subject == constant}, a decoded state. */
    private record Comparison(Expr subject, BigInteger constant) { }

    private Comparison comparison(Expr e) {
        if (!(e instanceof Op op) || op.kind() != Op.Kind.EQ) {
            return null;
        }
        Expr l = follow(op.operand(0));
        Expr r = follow(op.operand(1));
        if (r instanceof Const c && !(l instanceof Const)) {
            return new Comparison(l, c.value());
        }
        return l instanceof Const c && !(r instanceof Const) ? new Comparison(r, c.value()) : null;
    }
}

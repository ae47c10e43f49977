package dev.qforge.dsl.check;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stmt;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who drives what in one module: every assignment with the chain of {@code when} branches it sits
 * in. Shared by the checks and the emitter so both read the body the same way.
 */
public final class Drivers {
    /** One branch step: the conditional and which side (true = then). */
    public record Step(Stmt.If stmt, boolean then) { }

    /** An assignment and the branches enclosing it, outermost first. */
    public record Driver(Stmt.Assign assign, List<Step> path) {
        public boolean isUnconditional() { return path.isEmpty(); }
    }

    private final Map<Signal, List<Driver>> byTarget;
    private final Map<Stmt.If, java.util.Set<Object>> targetsUnder = new IdentityHashMap<>();
    /** Per block, per target: the block's statements that assign it (directly or nested), in program order. */
    private final Map<Stmt.Block, Map<Object, List<Stmt>>> touching = new IdentityHashMap<>();

    public Drivers(Module m) {
        byTarget = new LinkedHashMap<>(m.body().stmts().size() * 4 / 3 + 1); // about one target per top-level statement
        walk(m.body(), new ArrayList<>());
    }

    /** Returns the targets (signals and memories) assigned anywhere inside the block. */
    private java.util.Set<Object> walk(Stmt.Block block, List<Step> path) {
        int n = block.stmts().size(); // sized up front: a large array's top block has ~10^5 statements
        java.util.Set<Object> targets = java.util.Collections.newSetFromMap(new IdentityHashMap<>(n));
        Map<Object, List<Stmt>> stmtsOf = new IdentityHashMap<>(n);
        for (Stmt s : block.stmts()) {
            if (s instanceof Stmt.Assign a) {
                byTarget.computeIfAbsent(a.target(), k -> new ArrayList<>(1)).add(new Driver(a, List.copyOf(path)));
                targets.add(a.target());
                stmtsOf.computeIfAbsent(a.target(), k -> new ArrayList<>(1)).add(s);
            } else if (s instanceof Stmt.MemWrite w) {
                targets.add(w.mem());
                stmtsOf.computeIfAbsent(w.mem(), k -> new ArrayList<>(1)).add(s);
            } else if (s instanceof Stmt.If i) {
                path.add(new Step(i, true));
                java.util.Set<Object> under = walk(i.then(), path);
                path.set(path.size() - 1, new Step(i, false));
                under.addAll(walk(i.otherwise(), path));
                path.remove(path.size() - 1);
                targetsUnder.put(i, under);
                targets.addAll(under);
                for (Object t : under) {
                    stmtsOf.computeIfAbsent(t, k -> new ArrayList<>(1)).add(s);
                }
            }
        }
        touching.put(block, stmtsOf);
        return targets;
    }

    /** The assignments to {@code target} in program order (empty when undriven). */
    public List<Driver> of(Signal target) {
        return byTarget.getOrDefault(target, List.of());
    }

    /** All driven signals, in the order of their first assignment. */
    public Iterable<Signal> targets() {
        return byTarget.keySet();
    }

    /** Whether {@code target} (a signal or a memory) is assigned somewhere inside the conditional. */
    public boolean assignsUnder(Stmt.If stmt, Object target) {
        java.util.Set<Object> t = targetsUnder.get(stmt);
        return t != null && t.contains(target);
    }

    /**
     * The statements of {@code block} (a block of this module) that assign {@code target} (a signal
     * or a memory) directly or inside them, in program order: what the emitter walks for one target
     * without rescanning the whole body per target.
     */
    public List<Stmt> touching(Stmt.Block block, Object target) {
        return touching.get(block).getOrDefault(target, List.of());
    }

    /** The single unconditional driver of {@code target}, or null when it has another shape. */
    public Stmt.Assign simpleDriver(Signal target) {
        List<Driver> d = of(target);
        return d.size() == 1 && d.get(0).isUnconditional() ? d.get(0).assign() : null;
    }
}

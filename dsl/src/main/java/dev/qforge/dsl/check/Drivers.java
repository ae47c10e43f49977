package dev.qforge.dsl.check;

import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.SignalMap;
import dev.qforge.dsl.Stmt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who drives what in one module: every assignment with the chain of {@code when} branches it sits
 * in. Shared by the checks and the emitter so both read the body the same way.
 *
 * <p>What a block's statements assign is derived from the drivers' paths when asked, rather than
 * stored per block and target: a large array's top module drives ~10^5 signals.
 */
public final class Drivers {
    /** One branch step: the conditional and which side (true = then). */
    public record Step(Stmt.If stmt, boolean then) { }

    /** An assignment and the branches enclosing it, outermost first. */
    public record Driver(Stmt.Assign assign, List<Step> path) {
        public boolean isUnconditional() { return path.isEmpty(); }
    }

    /** A memory write and the branches enclosing it, outermost first. */
    private record Write(Stmt.MemWrite write, List<Step> path) { }

    private final Module module;
    /** Per driven signal, its drivers in program order. */
    private final SignalMap<List<Driver>> bySignal;
    private final List<Signal> targets = new ArrayList<>();
    private final Map<Mem, List<Write>> writes = new IdentityHashMap<>();
    /** Per conditional, how many conditionals enclose it (0 for one in the module body). */
    private final Map<Stmt.If, Integer> depth = new IdentityHashMap<>();
    /** Per branch block of a conditional, the step that enters it. */
    private final Map<Stmt.Block, Step> entry = new IdentityHashMap<>();

    public Drivers(Module m) {
        module = m;
        bySignal = new SignalMap<>(m);
        walk(m.body(), new ArrayList<>());
        for (Signal t : targets) { // frozen, so of() hands them out without a wrapper per call (~10^6 calls on a large array)
            bySignal.put(t, List.copyOf(bySignal.get(t)));
        }
    }

    private void walk(Stmt.Block block, List<Step> path) {
        for (Stmt s : block.stmts()) {
            if (s instanceof Stmt.Assign a) {
                List<Driver> ds = bySignal.computeIfAbsent(a.target(), k -> new ArrayList<>(1));
                if (ds.isEmpty()) {
                    targets.add(a.target());
                }
                ds.add(new Driver(a, List.copyOf(path)));
            } else if (s instanceof Stmt.MemWrite w) {
                writes.computeIfAbsent(w.mem(), k -> new ArrayList<>(1)).add(new Write(w, List.copyOf(path)));
            } else if (s instanceof Stmt.If i) {
                depth.put(i, path.size());
                Step then = new Step(i, true);
                Step otherwise = new Step(i, false);
                entry.put(i.then(), then);
                entry.put(i.otherwise(), otherwise);
                path.add(then);
                walk(i.then(), path);
                path.set(path.size() - 1, otherwise);
                walk(i.otherwise(), path);
                path.remove(path.size() - 1);
            }
        }
    }

    /** The assignments to {@code target} in program order (empty when undriven). */
    public List<Driver> of(Signal target) {
        List<Driver> ds = bySignal.get(target);
        return ds == null ? List.of() : ds;
    }

    /** Whether some statement writes memory {@code m}. */
    public boolean writes(Mem m) {
        return writes.containsKey(m);
    }

    /** All driven signals, in the order of their first assignment. */
    public List<Signal> targets() {
        return Collections.unmodifiableList(targets);
    }

    /** Whether {@code target} (a signal or a memory) is assigned somewhere inside the conditional. */
    public boolean assignsUnder(Stmt.If stmt, Object target) {
        Integer level = depth.get(stmt);
        if (level == null) {
            return false;
        }
        if (target instanceof Signal s) {
            for (Driver d : of(s)) {
                if (d.path().size() > level && d.path().get(level).stmt() == stmt) {
                    return true;
                }
            }
            return false;
        }
        for (Write w : writes.getOrDefault(target, List.of())) {
            if (w.path().size() > level && w.path().get(level).stmt() == stmt) {
                return true;
            }
        }
        return false;
    }

    /**
     * The statements of {@code block} (a block of this module) that assign {@code target} (a signal
     * or a memory) directly or inside them, in program order: what the emitter walks for one target
     * without rescanning the whole body per target.
     */
    public List<Stmt> touching(Stmt.Block block, Object target) {
        int level = 0;
        Step via = null;
        if (block != module.body()) {
            via = entry.get(block);
            if (via == null) {
                throw new IllegalArgumentException("the block is not part of " + module);
            }
            level = depth.get(via.stmt()) + 1;
        }
        List<Stmt> found = new ArrayList<>();
        if (target instanceof Signal s) {
            for (Driver d : of(s)) {
                addTouching(found, level, via, d.assign(), d.path());
            }
        } else {
            for (Write w : writes.getOrDefault(target, List.of())) {
                addTouching(found, level, via, w.write(), w.path());
            }
        }
        return found;
    }

    /**
     * Adds to {@code found} the statement at {@code level} that holds {@code leaf} (on {@code path}),
     * when it is inside the block entered by {@code via}: the leaf itself at its own level, else the
     * conditional that holds it. The leaves inside one conditional are consecutive in program order,
     * so it is listed once.
     */
    private static void addTouching(List<Stmt> found, int level, Step via, Stmt leaf, List<Step> path) {
        if (path.size() < level || (via != null && !path.get(level - 1).equals(via))) {
            return;
        }
        Stmt s = path.size() == level ? leaf : path.get(level).stmt();
        if (found.isEmpty() || found.get(found.size() - 1) != s) {
            found.add(s);
        }
    }

    /** The single unconditional driver of {@code target}, or null when it has another shape. */
    public Stmt.Assign simpleDriver(Signal target) {
        List<Driver> d = of(target);
        return d.size() == 1 && d.get(0).isUnconditional() ? d.get(0).assign() : null;
    }
}

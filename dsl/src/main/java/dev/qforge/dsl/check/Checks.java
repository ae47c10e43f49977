package dev.qforge.dsl.check;

import dev.qforge.dsl.Diagnostic;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Rom;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.SignalMap;
import dev.qforge.dsl.SourceLocation;
import dev.qforge.dsl.Stmt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The elaboration checks of one module: foreign signals, multiple drivers, undriven signals,
 * unconnected instance inputs, latches and combinational loops. Run bottom-up: a parent's loop
 * check uses the input-to-output paths of its submodules ({@link #combPaths}).
 */
public final class Checks {
    private final Module module;
    private final Drivers drivers;
    private final Map<Module, BitSet[]> submodulePaths;
    private final List<Diagnostic> out = new ArrayList<>();
    private final SignalMap<List<Signal>> deps;
    private BitSet[] combPaths;

    /**
     * @param submodulePaths for every already-checked module, per output port the input ports it
     *                       reaches combinationally (indices into {@code ports()})
     */
    public Checks(Module module, Drivers drivers, Map<Module, BitSet[]> submodulePaths) {
        this.module = module;
        this.drivers = drivers;
        this.submodulePaths = submodulePaths;
        this.deps = new SignalMap<>(module);
    }

    /** Runs every check; returns the problems found, in a stable order. */
    public List<Diagnostic> run() {
        out.addAll(module.diagnostics());
        checkDrivers();
        checkReferences();
        boolean acyclic = checkLoops();
        if (acyclic) {
            computeCombPaths();
        }
        return out;
    }

    /** Per output port (by port index; null for inputs) the input port indices it reaches combinationally. */
    public BitSet[] combPaths() {
        return combPaths;
    }

    // ---- drivers ------------------------------------------------------------------------------

    private void checkDrivers() {
        if (module.ports().stream().noneMatch(p -> p.kind() == Signal.Kind.OUTPUT)) {
            out.add(new Diagnostic("module " + module.name() + " has no outputs, so synthesis removes all of its logic", module.createdAt()));
        }
        for (Signal p : module.ports()) {
            if (p.kind() == Signal.Kind.OUTPUT) {
                checkTarget(p, "output");
            }
        }
        for (Signal s : module.signals()) {
            if (s.kind() == Signal.Kind.WIRE) {
                checkTarget(s, "wire");
            } else if (s.kind() == Signal.Kind.REG) {
                checkTarget(s, "register");
            }
        }
        for (Instance<?> inst : module.instances()) {
            for (Signal io : inst.io()) {
                if (io.kind() != Signal.Kind.INSTANCE_INPUT) {
                    continue;
                }
                if (drivers.of(io).isEmpty()) {
                    out.add(new Diagnostic("unconnected input: port '" + io.instancePort().name() + "' of instance '" + inst.name()
                            + "' (" + inst.def().name() + ") is not driven", inst.createdAt(), io));
                } else {
                    checkTarget(io, "instance input");
                }
            }
        }
        for (Mem m : module.mems()) {
            if (!drivers.writes(m)) { // its reads would be X in simulation and anything in hardware
                out.add(new Diagnostic("unwritten memory: '" + m.name() + "' is declared but never written; a fixed table is a rom(...)",
                        m.declaredAt()));
            }
        }
    }

    private void checkTarget(Signal s, String what) {
        List<Drivers.Driver> ds = drivers.of(s);
        if (ds.isEmpty()) {
            out.add(new Diagnostic("undriven " + what + ": '" + s.name() + "' is declared but never assigned", s.declaredAt(), s));
            return;
        }
        for (int j = 1; j < ds.size(); j++) {
            for (int i = 0; i < j; i++) {
                List<Drivers.Step> pi = ds.get(i).path();
                List<Drivers.Step> pj = ds.get(j).path();
                // A later assignment nested deeper than an earlier one overrides it on that path (a default); any
                // other overlap means two drivers for the same condition.
                boolean overlap = isPrefix(pj, pi) || (isPrefix(pi, pj) && pi.size() == pj.size());
                if (overlap) {
                    out.add(new Diagnostic("multiple drivers: '" + s.name() + "' is assigned here and already at "
                            + ds.get(i).assign().at() + " on the same path", ds.get(j).assign().at(), s));
                    return;
                }
            }
        }
        // A signal with an unconditional driver is assigned on every path; only the others need the walk.
        boolean conditionalOnly = true;
        for (Drivers.Driver d : ds) {
            conditionalOnly &= !d.isUnconditional();
        }
        if (s.kind() != Signal.Kind.REG && conditionalOnly && !isCoveredAtTop(ds, s)) {
            Drivers.Driver first = ds.get(0);
            Stmt.If outer = first.path().get(0).stmt();
            out.add(new Diagnostic("latch: " + what + " '" + s.name() + "' is not assigned on every path (assigned at "
                    + first.assign().at() + " inside the when at " + outer.at()
                    + "); assign a default before the when, or add an otherwise", first.assign().at(), s));
        }
    }

    private static boolean isPrefix(List<Drivers.Step> prefix, List<Drivers.Step> of) {
        if (prefix.size() > of.size()) {
            return false;
        }
        for (int k = 0; k < prefix.size(); k++) {
            if (!prefix.get(k).equals(of.get(k))) {
                return false;
            }
        }
        return true;
    }

    /** Whether one of the outermost whens holding a driver assigns {@code s} on both of its branches. */
    private boolean isCoveredAtTop(List<Drivers.Driver> ds, Signal s) {
        Set<Stmt.If> tried = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Drivers.Driver d : ds) {
            Stmt.If outer = d.path().get(0).stmt();
            if (tried.add(outer) && isCovered(outer.then(), s) && isCovered(outer.otherwise(), s)) {
                return true;
            }
        }
        return false;
    }

    private boolean isCovered(Stmt.Block block, Signal s) {
        for (Stmt st : block.stmts()) {
            if (st instanceof Stmt.Assign a && a.target() == s) {
                return true;
            }
            if (st instanceof Stmt.If i && drivers.assignsUnder(i, s) && isCovered(i.then(), s) && isCovered(i.otherwise(), s)) {
                return true;
            }
        }
        return false;
    }

    // ---- references to other modules' signals ---------------------------------------------------

    private void checkReferences() {
        Set<Expr> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        walkStatements(module.body(), seen);
        for (Mem m : module.mems()) {
            for (Mem.ReadPort r : m.reads()) {
                checkExpr(r.addr(), r.at(), seen);
                checkExpr(r.enable(), r.at(), seen);
            }
        }
        for (Rom rom : module.roms()) {
            for (Rom.ReadPort r : rom.reads()) {
                checkExpr(r.addr(), r.at(), seen);
                if (r.enable() != null) {
                    checkExpr(r.enable(), r.at(), seen);
                }
            }
        }
    }

    private void walkStatements(Stmt.Block block, Set<Expr> seen) {
        for (Stmt st : block.stmts()) {
            if (st instanceof Stmt.Assign a) {
                checkExpr(a.value(), a.at(), seen);
            } else if (st instanceof Stmt.MemWrite w) {
                checkExpr(w.addr(), w.at(), seen);
                checkExpr(w.data(), w.at(), seen);
            } else if (st instanceof Stmt.If i) {
                checkExpr(i.cond(), i.at(), seen);
                walkStatements(i.then(), seen);
                walkStatements(i.otherwise(), seen);
            }
        }
    }

    private void checkExpr(Expr e, SourceLocation at, Set<Expr> seen) {
        if (e instanceof Signal s && s.owner() == module) {
            return; // most values are one of the module's own signals: nothing to report, nothing to remember
        }
        forEachSignal(e, seen, s -> {
            if (s.owner() != module) {
                String hint = s.kind() == Signal.Kind.INPUT || s.kind() == Signal.Kind.OUTPUT
                        ? "; reach a submodule's ports through its instance: inst.io(port)" : "";
                out.add(new Diagnostic("'" + s.name() + "' belongs to module " + s.owner().name() + ", not to " + module.name() + hint, at));
            }
        });
    }

    /** Calls {@code f} once for each signal {@code e} reads; {@code seen} spans calls to share work over DAGs. */
    public static void forEachSignal(Expr e, Set<Expr> seen, Consumer<Signal> f) {
        if (e.operandCount() == 0) { // most values are a plain signal: no stack needed
            if (seen.add(e) && e instanceof Signal s) {
                f.accept(s);
            }
            return;
        }
        ArrayDeque<Expr> stack = new ArrayDeque<>();
        stack.push(e);
        while (!stack.isEmpty()) {
            Expr x = stack.pop();
            if (!seen.add(x)) {
                continue;
            }
            if (x instanceof Signal s) {
                f.accept(s);
            }
            for (int i = 0; i < x.operandCount(); i++) {
                stack.push(x.operand(i));
            }
        }
    }

    // ---- combinational loops ------------------------------------------------------------------

    private static boolean isComb(Signal s) {
        return switch (s.kind()) {
            case OUTPUT, WIRE, INSTANCE_INPUT, INSTANCE_OUTPUT, ROM_READ -> true;
            default -> false;
        };
    }

    /** The combinational signals and inputs that {@code s} depends on without passing a register. */
    private List<Signal> depsOf(Signal s) {
        List<Signal> d = deps.get(s);
        if (d != null) {
            return d;
        }
        Stmt.Assign simple = s.kind() == Signal.Kind.INSTANCE_OUTPUT || s.kind() == Signal.Kind.ROM_READ ? null : drivers.simpleDriver(s);
        if (simple != null && simple.value() instanceof Signal x) { // a plain connection, as most are in a large array
            d = isComb(x) || x.kind() == Signal.Kind.INPUT ? List.of(x) : List.of();
        } else if (s.kind() == Signal.Kind.INSTANCE_OUTPUT) {
            d = submodulePath(s);
        } else {
            d = readsOf(s);
        }
        deps.put(s, d);
        return d;
    }

    /** The instance's inputs that its output {@code s} reaches combinationally inside the submodule. */
    private List<Signal> submodulePath(Signal s) {
        BitSet[] paths = submodulePaths.get(s.instance().def());
        BitSet from = paths == null ? null : paths[s.instancePort().index()];
        if (from == null || from.isEmpty()) {
            return List.of(); // a registered output, as a large array's PEs have
        }
        List<Signal> result = new ArrayList<>();
        for (int i = from.nextSetBit(0); i >= 0; i = from.nextSetBit(i + 1)) {
            result.add(s.instance().io().get(i));
        }
        return result;
    }

    /** The combinational signals and inputs read by the drivers of {@code s} (a ROM's read data: by its address). */
    private List<Signal> readsOf(Signal s) {
        List<Signal> result = new ArrayList<>();
        Set<Expr> seen = Collections.newSetFromMap(new IdentityHashMap<>(4)); // one per signal: start small
        Consumer<Signal> add = x -> {
            if (isComb(x) || x.kind() == Signal.Kind.INPUT) {
                result.add(x);
            }
        };
        if (s.kind() == Signal.Kind.ROM_READ) {
            for (Rom rom : module.roms()) {
                for (Rom.ReadPort r : rom.reads()) {
                    if (r.data() == s) {
                        forEachSignal(r.addr(), seen, add);
                    }
                }
            }
            return result;
        }
        for (Drivers.Driver dr : drivers.of(s)) {
            forEachSignal(dr.assign().value(), seen, add);
            for (Drivers.Step step : dr.path()) {
                forEachSignal(step.stmt().cond(), seen, add);
            }
        }
        return result;
    }

    private List<Signal> combNodes() {
        List<Signal> nodes = new ArrayList<>();
        for (Signal p : module.ports()) {
            if (p.kind() == Signal.Kind.OUTPUT) {
                nodes.add(p);
            }
        }
        for (Signal s : module.signals()) {
            if (isComb(s)) {
                nodes.add(s);
            }
        }
        for (Instance<?> inst : module.instances()) {
            nodes.addAll(inst.io());
        }
        return nodes;
    }

    /** Depth-first search for a cycle; reports the first one found with its path. */
    private boolean checkLoops() {
        SignalMap<Integer> state = new SignalMap<>(module); // 1 = on stack, 2 = done
        ArrayDeque<Signal> path = new ArrayDeque<>(); // empty again after each root
        ArrayDeque<Integer> next = new ArrayDeque<>();
        for (Signal root : combNodes()) {
            if (state.containsKey(root)) {
                continue;
            }
            path.push(root);
            next.push(0);
            state.put(root, 1);
            while (!path.isEmpty()) {
                Signal cur = path.peek();
                int k = next.pop();
                List<Signal> d = depsOf(cur);
                if (k < d.size()) {
                    next.push(k + 1);
                    Signal dep = d.get(k);
                    Integer st = state.get(dep);
                    if (st == null && isComb(dep)) {
                        state.put(dep, 1);
                        path.push(dep);
                        next.push(0);
                    } else if (st != null && st == 1) {
                        reportLoop(path, dep);
                        return false;
                    }
                } else {
                    state.put(cur, 2);
                    path.pop();
                }
            }
        }
        return true;
    }

    private void reportLoop(ArrayDeque<Signal> stack, Signal start) {
        // From the top, each stacked signal feeds the one below it: top-down is data-flow order.
        List<Signal> cycle = new ArrayList<>();
        for (Signal s : stack) {
            cycle.add(s);
            if (s == start) {
                break;
            }
        }
        StringBuilder sb = new StringBuilder("combinational loop: ");
        for (Signal s : cycle) {
            sb.append(s.name()).append(" -> ");
        }
        sb.append(cycle.get(0).name());
        for (Signal s : cycle) {
            List<Drivers.Driver> ds = drivers.of(s);
            SourceLocation at = ds.isEmpty() ? s.declaredAt() : ds.get(0).assign().at();
            sb.append("\n    '").append(s.name()).append("' ")
                    .append(s.kind() == Signal.Kind.INSTANCE_OUTPUT ? "comes from instance at " : ds.isEmpty() ? "declared at " : "assigned at ")
                    .append(at);
        }
        out.add(new Diagnostic(sb.toString(), start.declaredAt()));
    }

    private void computeCombPaths() {
        SignalMap<BitSet> reach = new SignalMap<>(module);
        combPaths = new BitSet[module.ports().size()];
        for (Signal p : module.ports()) {
            if (p.kind() == Signal.Kind.OUTPUT) {
                combPaths[p.index()] = inputsReached(p, reach);
            }
        }
    }

    /** Input ports reached from {@code root} (acyclic by now), memoised in {@code reach}. */
    private BitSet inputsReached(Signal root, SignalMap<BitSet> reach) {
        ArrayDeque<Signal> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Signal cur = stack.peek();
            if (reach.containsKey(cur)) {
                stack.pop();
                continue;
            }
            boolean ready = true;
            for (Signal d : depsOf(cur)) {
                if (isComb(d) && !reach.containsKey(d)) {
                    stack.push(d);
                    ready = false;
                }
            }
            if (ready) {
                BitSet b = new BitSet();
                for (Signal d : depsOf(cur)) {
                    if (d.kind() == Signal.Kind.INPUT) {
                        b.set(d.index());
                    } else {
                        b.or(reach.get(d));
                    }
                }
                reach.put(cur, b);
                stack.pop();
            }
        }
        return reach.get(root);
    }
}

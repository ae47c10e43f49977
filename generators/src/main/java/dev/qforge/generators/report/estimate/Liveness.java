package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Rom;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.SignalMap;
import dev.qforge.dsl.Stmt;
import dev.qforge.dsl.check.Drivers;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The first pass: which bits of every signal and operator the hardware reads, as Yosys' opt_clean
 * leaves them (bits that no port, submodule or memory reaches are removed), and who reads what.
 * Every later pass costs an operator at the bits its consumers read.
 */
final class Liveness {
    private final Module module;
    private final Drivers drivers;
    /** The highest bit (exclusive) of each operator's result that some consumer reads. */
    private final Map<Op, Integer> demand = new IdentityHashMap<>();
    /** The lowest bit of each operator's result that some consumer reads (bits below it cost nothing). */
    private final Map<Op, Integer> lowest = new IdentityHashMap<>();
    /** How many places read each operator's result. */
    private final Map<Op, Integer> uses = new IdentityHashMap<>();
    /** The operators reading each operator's result (the other places that read it are registers, memories, ports). */
    private final Map<Op, List<Op>> consumers = new IdentityHashMap<>();
    // The maps of signals are kept by serial: the top module of a large array has ~10^6 signals, and
    // hashing them on every lookup was most of this pass's time.
    /** How many places read each signal (a one-element counter). */
    private SignalMap<int[]> readers;
    /** Live bits of each register and wire, and the bits of each signal the current pass reads (with those signals). */
    private final SignalMap<int[]> live;
    private SignalMap<int[]> signalDemand;
    private final List<Signal> demandedSignals = new ArrayList<>();
    /** The operators reading each signal. */
    private SignalMap<List<Op>> signalConsumers;
    /** Operators that are the whole value of a wire with one unconditional driver, with that wire. */
    private final Map<Op, Signal> wireOf = new IdentityHashMap<>();
    /** The live operators, each after its operands. */
    private final List<Op> postOrder;
    private final KnownBits known;
    private final List<LiveTarget> liveTargets = new ArrayList<>();
    /** The bits of a signal nothing reads (shared, never written). */
    private static final int[] NO_BITS = {0, 0};

    Liveness(Module module, Drivers drivers) {
        this.module = module;
        this.drivers = drivers;
        this.live = new SignalMap<>(module);
        this.known = new KnownBits(drivers);
        this.postOrder = findLiveBits();
        for (Signal s : drivers.targets()) {
            List<Drivers.Driver> ds = drivers.of(s);
            int width = liveWidth(s);
            if (width > 0) {
                liveTargets.add(new LiveTarget(s, width, ds));
            }
            Stmt.Assign a = s.kind() == Signal.Kind.WIRE && ds.size() == 1 && ds.get(0).isUnconditional() ? ds.get(0).assign() : null;
            if (a != null && a.value() instanceof Op op) {
                wireOf.put(op, s);
            }
        }
    }

    /** The module whose bits these are. */
    Module module() {
        return module;
    }

    /** A driven signal the hardware reads, with its live width and its drivers. */
    record LiveTarget(Signal signal, int liveWidth, List<Drivers.Driver> drivers) { }

    /**
     * The driven signals the hardware reads, in the order of their first assignment: what the later
     * passes walk, looked up once here rather than once per pass and target (on a large array the
     * lookups in maps of ~10^6 signals are what costs).
     */
    List<LiveTarget> liveTargets() {
        return liveTargets;
    }

    /** The bits of each value known whatever the inputs (the same on every target). */
    KnownBits known() {
        return known;
    }

    /**
     * The operators something reads, each after its operands: a fixed order, so every pass that walks
     * them gives the same figures on every run (the demand map's own order follows identity hashes).
     */
    List<Op> postOrder() {
        return postOrder;
    }

    /** The highest bit (exclusive) of an operator's result that some consumer reads; 0 when none does. */
    int demand(Op op) {
        return demand.getOrDefault(op, 0);
    }

    /** Highest demanded bit of an operator's result (its full width when nothing demanded it). */
    int demandedWidth(Op op) {
        return demand.getOrDefault(op, op.width());
    }

    /** The lowest demanded bit of an operator's result. */
    int lowBit(Op op) {
        return lowest.getOrDefault(op, 0);
    }

    /** Demanded bits of an operator's result: those between its lowest and highest demanded bits. */
    int demandedBits(Op op) {
        return Math.max(0, demand(op) - lowBit(op));
    }

    /** How many places read an operator's result. */
    int uses(Op op) {
        return uses.getOrDefault(op, 0);
    }

    /** How many places read a signal. */
    int readers(Signal s) {
        int[] n = readers.get(s);
        return n == null ? 0 : n[0];
    }

    /** The operators reading an operator's result. */
    List<Op> consumers(Op op) {
        return consumers.getOrDefault(op, List.of());
    }

    /** The operators reading a signal (the other places that read it are registers, memories, ports). */
    List<Op> consumers(Signal s) {
        List<Op> cs = signalConsumers.get(s);
        return cs == null ? List.of() : cs;
    }

    /** The wire an operator is the whole value of, or null. */
    Signal wireOf(Op op) {
        return wireOf.get(op);
    }

    /** Bits of a signal that the hardware reads. */
    int liveWidth(Signal s) {
        if (s.kind() == Signal.Kind.OUTPUT || s.kind() == Signal.Kind.INSTANCE_INPUT) {
            return s.width(); // as liveBits, without its array per call (the later passes ask per signal and target)
        }
        int[] bits = live.get(s);
        return bits == null ? 0 : Math.max(0, bits[1] - bits[0]);
    }

    /**
     * The one operator that reads {@code op}'s result, looking through wiring and named wires
     * (Yosys keeps neither); null when several places, or a register, memory or port, read it.
     */
    Op soleConsumer(Op op) {
        Op at = op;
        while (uses(at) == 1) {
            List<Op> cs = consumers(at);
            Signal wire = cs.isEmpty() ? wireOf.get(at) : null;
            if (wire != null && readers(wire) == 1 && consumers(wire).size() == 1) {
                cs = consumers(wire);
            }
            if (cs.size() != 1) {
                return null;
            }
            Op c = cs.get(0);
            if (!Operators.isWiring(c)) {
                return c;
            }
            at = c;
        }
        return null;
    }

    /** Whether some adder reads {@code op}'s result, through wiring and named wires. */
    boolean feedsAdder(Op op) {
        ArrayDeque<Op> todo = new ArrayDeque<>(List.of(op));
        Set<Op> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Op at = todo.poll();
            if (!seen.add(at)) {
                continue;
            }
            List<Op> cs = new ArrayList<>(consumers(at));
            Signal wire = wireOf.get(at);
            if (wire != null) {
                cs.addAll(consumers(wire));
            }
            for (Op c : cs) {
                if (Operators.isAdder(c)) {
                    return true;
                }
                if (Operators.isWiring(c)) {
                    todo.add(c);
                }
            }
        }
        return false;
    }

    // ---- finding the live bits ------------------------------------------------------------------

    private interface RootVisitor {
        void visit(Expr e, int lo, int hi);
    }

    /**
     * Every expression the module's hardware reads, with the bits read from it: the values and
     * conditions of the live bits of signals (ports and submodule inputs are live; registers and
     * wires as far as something reads them), memory ports.
     */
    private void forEachRoot(RootVisitor v) {
        for (Signal target : drivers.targets()) {
            int[] bits = liveBits(target);
            if (bits[1] <= bits[0]) {
                continue;
            }
            // indexed: the drivers' lists are List.of lists of two classes, and the JIT keeps the iterator of such
            // a loop (~10^6 per estimate of a large array)
            List<Drivers.Driver> ds = drivers.of(target);
            for (int i = 0; i < ds.size(); i++) {
                List<Drivers.Step> path = ds.get(i).path();
                v.visit(ds.get(i).assign().value(), bits[0], bits[1]);
                for (int j = 0; j < path.size(); j++) {
                    v.visit(path.get(j).stmt().cond(), 0, 1);
                }
            }
        }
        forEachMemWrite(module.body(), w -> {
            v.visit(w.addr(), 0, w.addr().width());
            v.visit(w.data(), 0, w.data().width());
        });
        for (Mem m : module.mems()) {
            for (Mem.ReadPort r : m.reads()) {
                v.visit(r.addr(), 0, r.addr().width());
                v.visit(r.enable(), 0, 1);
            }
        }
        for (Rom rom : module.roms()) {
            for (Rom.ReadPort r : rom.reads()) {
                v.visit(r.addr(), 0, r.addr().width());
                if (r.enable() != null) {
                    v.visit(r.enable(), 0, 1);
                }
            }
        }
    }

    /** The bits {@code [lo, hi)} of a signal that the hardware reads. */
    private int[] liveBits(Signal s) {
        if (s.kind() == Signal.Kind.OUTPUT || s.kind() == Signal.Kind.INSTANCE_INPUT) {
            return new int[] {0, s.width()};
        }
        int[] bits = live.get(s);
        return bits == null ? NO_BITS : bits;
    }

    /**
     * From the ports backwards, until no register or wire gains a live bit. Returns the operators
     * of the last pass, each after its operands; the demand and use maps are that pass's.
     */
    private List<Op> findLiveBits() {
        settleLiveBits();
        // One pass from the settled live bits fills the demand and use maps (and finds nothing new).
        while (true) {
            demand.clear();
            lowest.clear();
            uses.clear();
            consumers.clear();
            readers = new SignalMap<>(module);
            signalConsumers = new SignalMap<>(module);
            signalDemand = new SignalMap<>(module);
            demandedSignals.clear();
            List<Expr> roots = new ArrayList<>();
            forEachRoot((e, lo, hi) -> {
                roots.add(e);
                demandAtLeast(e, lo, hi, null);
            });
            List<Op> order = propagateDemand(roots);
            boolean grew = false;
            for (Signal sig : demandedSignals) {
                int[] old = live.get(sig);
                int[] now = signalDemand.get(sig);
                if (old == null || now[0] < old[0] || now[1] > old[1]) {
                    live.put(sig, old == null ? now : new int[] {Math.min(old[0], now[0]), Math.max(old[1], now[1])});
                    grew = true;
                }
            }
            if (!grew) {
                return order;
            }
        }
    }

    /**
     * Finds the live bits of every signal with a worklist: a signal or operator is revisited only
     * when its demanded bits grow, so a register chain costs one visit per stage rather than one
     * pass over the module per stage. This is the least fixed point that repeating whole passes
     * reaches, since every demand only grows.
     */
    private void settleLiveBits() {
        Map<Op, int[]> opBits = new IdentityHashMap<>();
        ArrayDeque<Object> work = new ArrayDeque<>();
        BiConsumer<Expr, int[]> raise = (e, range) -> {
            int lo = range[0];
            int hi = Math.min(range[1], e.width());
            if (hi <= lo) {
                return;
            }
            if (!(e instanceof Op) && !(e instanceof Signal)) {
                return;
            }
            int[] old = e instanceof Op op ? opBits.get(op) : live.get((Signal) e);
            if (old == null || lo < old[0] || hi > old[1]) {
                int[] now = old == null ? new int[] {lo, hi} : new int[] {Math.min(lo, old[0]), Math.max(hi, old[1])};
                if (e instanceof Op op) {
                    opBits.put(op, now);
                } else {
                    live.put((Signal) e, now);
                }
                work.add(e);
            }
        };
        forEachRoot((e, lo, hi) -> raise.accept(e, new int[] {lo, hi}));
        while (!work.isEmpty()) {
            Object next = work.poll();
            if (next instanceof Op op) {
                int[] bits = opBits.get(op);
                for (int i = 0; i < op.operandCount(); i++) {
                    raise.accept(op.operand(i), operandDemand(op, i, bits[0], bits[1]));
                }
            } else {
                Signal sig = (Signal) next;
                int[] bits = liveBits(sig);
                List<Drivers.Driver> ds = drivers.of(sig);
                for (int i = 0; i < ds.size(); i++) { // indexed, as in forEachRoot
                    List<Drivers.Step> path = ds.get(i).path();
                    raise.accept(ds.get(i).assign().value(), bits);
                    for (int j = 0; j < path.size(); j++) {
                        raise.accept(path.get(j).stmt().cond(), new int[] {0, 1});
                    }
                }
            }
        }
    }

    private static void forEachMemWrite(Stmt.Block block, Consumer<Stmt.MemWrite> action) {
        for (Stmt s : block.stmts()) {
            if (s instanceof Stmt.MemWrite w) {
                action.accept(w);
            } else if (s instanceof Stmt.If i) {
                forEachMemWrite(i.then(), action);
                forEachMemWrite(i.otherwise(), action);
            }
        }
    }

    private void demandAtLeast(Expr e, int lo, int hi, Op consumer) {
        if (e instanceof Op op) {
            demand.merge(op, Math.min(hi, op.width()), Math::max);
            if (Math.min(hi, op.width()) > lo) {
                lowest.merge(op, lo, Math::min);
            }
            uses.merge(op, 1, Integer::sum);
            if (consumer != null) {
                consumers.computeIfAbsent(op, k -> new ArrayList<>()).add(consumer);
            }
        } else if (e instanceof Signal sig) {
            readers.computeIfAbsent(sig, k -> new int[1])[0]++;
            if (Math.min(hi, sig.width()) > lo) {
                int[] old = signalDemand.get(sig);
                if (old == null) {
                    demandedSignals.add(sig);
                }
                signalDemand.put(sig, old == null ? new int[] {lo, Math.min(hi, sig.width())}
                        : new int[] {Math.min(old[0], lo), Math.max(old[1], Math.min(hi, sig.width()))});
            }
            if (consumer != null) {
                signalConsumers.computeIfAbsent(sig, k -> new ArrayList<>()).add(consumer);
            }
        }
    }

    /**
     * Pushes demanded widths from consumers to operands, every operator after all its consumers.
     * Returns the operators, each after its operands.
     */
    private List<Op> propagateDemand(List<Expr> roots) {
        List<Op> order = new ArrayList<>();
        Set<Op> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Expr r : roots) {
            collect(r, seen, order);
        }
        for (int k = order.size() - 1; k >= 0; k--) {
            Op op = order.get(k);
            int hi = demand(op);
            int lo = lowBit(op);
            for (int i = 0; i < op.operandCount(); i++) {
                int[] range = operandDemand(op, i, lo, hi);
                demandAtLeast(op.operand(i), range[0], range[1], op);
            }
        }
        return order;
    }

    private static void collect(Expr e, Set<Op> seen, List<Op> order) {
        if (!(e instanceof Op op) || !seen.add(op)) {
            return;
        }
        // operand trees are shallow compared to the Java stack in practice (one statement's expression)
        for (int i = 0; i < op.operandCount(); i++) {
            collect(op.operand(i), seen, order);
        }
        order.add(op);
    }

    /**
     * The bits {@code [lo, hi)} of operand {@code i} that bits {@code [lo, hi)} of {@code op}'s
     * result depend on. Carries reach up, so arithmetic needs its operands from bit 0, except above
     * the trailing zeros of a constant addend, below which no carry arises.
     */
    static int[] operandDemand(Op op, int i, int lo, int hi) {
        Expr x = op.operand(i);
        int w = x.width();
        if (hi <= lo) {
            return new int[] {0, 0};
        }
        switch (op.kind()) {
            case ADD: case SUB: {
                Expr other = op.operand(1 - i);
                int carryFree = other instanceof Const c && c.value().signum() != 0 ? c.value().getLowestSetBit() : 0;
                return new int[] {Math.min(Math.min(lo, carryFree), w), Math.min(hi, w)};
            }
            case MUL: case DSHL:
                return new int[] {0, i == 0 ? Math.min(hi, w) : w};
            case AND: case OR: case XOR: case NOT:
                return new int[] {Math.min(lo, w), Math.min(hi, w)};
            case MUX:
                return i == 0 ? new int[] {0, 1} : new int[] {Math.min(lo, w), Math.min(hi, w)};
            case EXTEND: case RETYPE:
                // bits above the operand repeat its top bit
                return new int[] {Math.min(lo, w - 1), Math.min(hi, w)};
            case SLICE:
                return new int[] {Math.min(w, op.p1() + lo), Math.min(w, op.p1() + hi)};
            case SHL:
                return new int[] {Math.max(0, Math.min(w, lo - op.p0())), Math.max(0, Math.min(w, hi - op.p0()))};
            case CAT: {
                int offset = 0;
                for (int k = op.operandCount() - 1; k > i; k--) {
                    offset += op.operand(k).width();
                }
                return new int[] {Math.max(0, Math.min(w, lo - offset)), Math.max(0, Math.min(w, hi - offset))};
            }
            default:
                return new int[] {0, w};
        }
    }
}

package dev.qforge.generators.report;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Rom;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stmt;
import dev.qforge.dsl.check.Drivers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The resource and timing model of one module for one target, read from its IR the way Yosys maps
 * it: every operator node is costed once, at the width its consumers actually use (Yosys' wreduce
 * and opt_clean drop the rest); registers map one to one to flip-flops with their enable and
 * synchronous reset in the flip-flop; multipliers go to DSP blocks when mul2dsp would put them there.
 * Submodules are not included: {@link Estimator} adds them per instance.
 */
final class ModuleModel {
    private final Module module;
    private final Target target;
    private final Drivers drivers;
    private final Map<String, ModuleModel> children;
    /** Low bits of each operator's result that some consumer reads. */
    private final Map<Op, Integer> demand = new IdentityHashMap<>();
    /** How many places read each operator's result. */
    private final Map<Op, Integer> uses = new IdentityHashMap<>();
    /** Adders and registers a DSP absorbs (xc7 multiply-accumulate). */
    private final Set<Object> absorbed = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Expr, Arrival> arrivals = new IdentityHashMap<>();
    private final Map<Signal, Arrival> signalArrivals = new IdentityHashMap<>();
    private final EnumMap<Resource, Long> counts = new EnumMap<>(Resource.class);

    /** Worst register-to-register path inside this module and its submodules. */
    private Path worst = Path.NONE;
    /**
     * Worst path from an input port of this module to a register (delay counted from the input). The
     * input it starts at is not tracked: every input is charged the worst, a conservative simplification.
     */
    private Path inputToRegister = Path.NONE;

    ModuleModel(Module module, Target target, Map<String, ModuleModel> children) {
        this.module = module;
        this.target = target;
        this.children = children;
        this.drivers = new Drivers(module);
        List<Expr> roots = new ArrayList<>();
        forEachRoot((e, bits) -> {
            roots.add(e);
            demandAtLeast(e, bits);
        });
        propagateDemand(roots);
        findMultiplyAccumulates();
        countLogic();
        countRegisters();
        countMemories();
        time();
    }

    Resources resources() {
        return Resources.of(counts);
    }

    /** The longest register-to-register path in this module (its submodules included). */
    Path worstPath() {
        return worst;
    }

    // ---- the expressions a module computes -------------------------------------------------------

    private interface RootVisitor {
        void visit(Expr e, int demandedBits);
    }

    /** Every expression the module's hardware reads, with the bits read from it. */
    private void forEachRoot(RootVisitor v) {
        for (Signal target : drivers.targets()) {
            for (Drivers.Driver d : drivers.of(target)) {
                v.visit(d.assign().value(), target.width());
                for (Drivers.Step s : d.path()) {
                    v.visit(s.stmt().cond(), 1);
                }
            }
        }
        forEachMemWrite(module.body(), w -> {
            v.visit(w.addr(), w.addr().width());
            v.visit(w.data(), w.data().width());
        });
        for (Mem m : module.mems()) {
            for (Mem.ReadPort r : m.reads()) {
                v.visit(r.addr(), r.addr().width());
                v.visit(r.enable(), 1);
            }
        }
        for (Rom rom : module.roms()) {
            for (Rom.ReadPort r : rom.reads()) {
                v.visit(r.addr(), r.addr().width());
                if (r.enable() != null) {
                    v.visit(r.enable(), 1);
                }
            }
        }
    }

    private static void forEachMemWrite(Stmt.Block block, java.util.function.Consumer<Stmt.MemWrite> action) {
        for (Stmt s : block.stmts()) {
            if (s instanceof Stmt.MemWrite w) {
                action.accept(w);
            } else if (s instanceof Stmt.If i) {
                forEachMemWrite(i.then(), action);
                forEachMemWrite(i.otherwise(), action);
            }
        }
    }

    private void demandAtLeast(Expr e, int bits) {
        if (e instanceof Op op) {
            demand.merge(op, Math.min(bits, op.width()), Math::max);
            uses.merge(op, 1, Integer::sum);
        }
    }

    /** Pushes demanded widths from consumers to operands, every operator after all its consumers. */
    private void propagateDemand(List<Expr> roots) {
        List<Op> postOrder = new ArrayList<>();
        Set<Op> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Expr r : roots) {
            collect(r, seen, postOrder);
        }
        for (int k = postOrder.size() - 1; k >= 0; k--) {
            Op op = postOrder.get(k);
            int d = demand.getOrDefault(op, 0);
            for (int i = 0; i < op.operandCount(); i++) {
                demandAtLeast(op.operand(i), operandDemand(op, i, d));
            }
        }
    }

    private static void collect(Expr e, Set<Op> seen, List<Op> postOrder) {
        if (!(e instanceof Op op) || !seen.add(op)) {
            return;
        }
        // operand trees are shallow compared to the Java stack in practice (one statement's expression)
        for (int i = 0; i < op.operandCount(); i++) {
            collect(op.operand(i), seen, postOrder);
        }
        postOrder.add(op);
    }

    /** The low bits of operand {@code i} that the low {@code d} bits of {@code op}'s result depend on. */
    private static int operandDemand(Op op, int i, int d) {
        Expr x = op.operand(i);
        int w = x.width();
        if (d == 0) {
            return 0;
        }
        switch (op.kind()) {
            case ADD: case SUB: case MUL: case AND: case OR: case XOR: case NOT: case EXTEND: case RETYPE: case DSHL:
                return Math.min(d, w);
            case MUX:
                return i == 0 ? 1 : Math.min(d, w);
            case SLICE:
                return Math.min(w, op.p1() + d);
            case SHL:
                return Math.max(0, Math.min(w, d - op.p0()));
            case CAT: {
                int offset = 0;
                for (int k = op.operandCount() - 1; k > i; k--) {
                    offset += op.operand(k).width();
                }
                return Math.max(0, Math.min(w, d - offset));
            }
            case DSHR:
            default:
                return w;
        }
    }

    /** The operator behind retyping, extension and truncation (which cost nothing). */
    private static Expr strip(Expr e) {
        while (e instanceof Op op && (op.kind() == Op.Kind.RETYPE || op.kind() == Op.Kind.EXTEND
                || (op.kind() == Op.Kind.SLICE && op.p1() == 0))) {
            e = op.operand(0);
        }
        return e;
    }

    /** Bits that carry information: sign and zero extensions do not widen a multiplier. */
    private static int significantWidth(Expr e) {
        return strip(e).width();
    }

    // ---- multipliers ----------------------------------------------------------------------------

    /** DSP blocks one multiplier needs, 0 when Yosys leaves it in LUTs. */
    private int dspCount(Op mul) {
        int a = significantWidth(mul.operand(0));
        int b = significantWidth(mul.operand(1));
        int y = Math.min(demand.getOrDefault(mul, 0), a + b);
        if (!target.hasDsp() || a < 2 || b < 2 || y < target.dspMinProductWidth()) {
            return 0;
        }
        int wide = Math.max(a, b);
        int narrow = Math.min(a, b);
        return ceilDiv(wide, target.dspWideOperand()) * ceilDiv(narrow, target.dspNarrowOperand());
    }

    /**
     * LUTs of a multiplier Yosys builds from logic (a shift-and-add array that ABC maps), fitted to
     * Yosys 0.23 results for signed operands inside a multiply-accumulate. Xilinx keeps only products
     * under 9 bits in LUTs, so its table is small; iCE40 costs about 3 LUT4s per partial-product bit
     * for wide operands, less for narrow ones.
     */
    private int softMultiplierLuts(Op mul) {
        int a = significantWidth(mul.operand(0));
        int b = significantWidth(mul.operand(1));
        int narrow = Math.min(a, b);
        int wide = Math.max(a, b);
        if (!target.isIce40()) {
            if (narrow == 2) {
                return 2 * wide + 1;
            }
            if (narrow == 3 && wide <= 5) {
                return new int[] {9, 12, 20}[wide - 3];
            }
            return (int) Math.round(1.62 * a * b); // 4x4 measures 26; wider operands only when the product is truncated
        }
        double[] perBitByNarrow = {0, 1.0, 1.5, 2.0, 2.25, 2.65};
        double perBit = narrow < perBitByNarrow.length ? perBitByNarrow[narrow] : 2.92;
        return (int) Math.round(perBit * a * b);
    }

    /**
     * On xc7, a register fed by {@code acc + product} (product from one DSP, read only there) is
     * packed into the DSP48E1 with its adder, as Yosys' xilinx_dsp does.
     */
    private void findMultiplyAccumulates() {
        if (!target.dspAbsorbsAccumulator()) {
            return;
        }
        for (Signal s : module.signals()) {
            Stmt.Assign a = s.kind() == Signal.Kind.REG && s.width() <= 48 ? drivers.simpleDriver(s) : null;
            if (a == null || !(strip(a.value()) instanceof Op add) || add.kind() != Op.Kind.ADD) {
                continue;
            }
            for (int i = 0; i < 2; i++) {
                if (strip(add.operand(i)) instanceof Op mul && mul.kind() == Op.Kind.MUL
                        && uses.getOrDefault(mul, 0) == 1 && dspCount(mul) == 1) {
                    absorbed.add(add);
                    absorbed.add(s);
                    break;
                }
            }
        }
    }

    // ---- resources ------------------------------------------------------------------------------

    private void add(Resource r, long n) {
        if (n != 0) {
            counts.merge(r, n, Long::sum);
        }
    }

    private void countLogic() {
        int k = target.lutInputs();
        for (Map.Entry<Op, Integer> e : demand.entrySet()) {
            Op op = e.getKey();
            int d = e.getValue();
            if (d == 0 || absorbed.contains(op)) {
                continue;
            }
            int w = op.operand(0).width();
            switch (op.kind()) {
                case ADD: case SUB:
                    add(Resource.LUT, addLuts(op, d));
                    break;
                case LT: case LE:
                    add(Resource.LUT, Math.max(w, op.operand(1).width()));
                    break;
                case MUL: {
                    int dsp = dspCount(op);
                    add(Resource.DSP, dsp);
                    add(Resource.LUT, dsp > 0 ? 0 : softMultiplierLuts(op));
                    break;
                }
                case AND: case OR: case XOR: case MUX:
                    add(Resource.LUT, d);
                    break;
                case EQ: case NE: {
                    int perLut = op.operand(1) instanceof Const || op.operand(0) instanceof Const ? k : k / 2;
                    add(Resource.LUT, treeLuts(ceilDiv(w, perLut), k));
                    break;
                }
                case REDUCE_OR: case REDUCE_AND: case REDUCE_XOR:
                    add(Resource.LUT, treeLuts(w, k));
                    break;
                case DSHL: case DSHR:
                    add(Resource.LUT, (long) d * shiftLevels(op));
                    break;
                default:
                    break; // NOT folds into the next LUT; SHL, SLICE, CAT, EXTEND, RETYPE are wiring
            }
        }
        // a signal with several drivers selects among them: one 2:1 mux per extra driver
        for (Signal s : drivers.targets()) {
            add(Resource.LUT, (long) s.width() * selectMuxes(s));
        }
    }

    /**
     * 2:1 multiplexers in front of a signal with several drivers: one per driver after the first (a
     * register without a default holds its value through the flip-flop's enable, not a mux).
     */
    private int selectMuxes(Signal s) {
        return Math.max(0, drivers.of(s).size() - 1);
    }

    private void countRegisters() {
        Set<Object> enables = Collections.newSetFromMap(new IdentityHashMap<>());
        long unpaired = 0;
        for (Signal s : module.signals()) {
            if (s.kind() != Signal.Kind.REG || absorbed.contains(s)) {
                continue;
            }
            add(Resource.FF, s.width());
            List<Drivers.Driver> ds = drivers.of(s);
            boolean enabled = ds.stream().noneMatch(Drivers.Driver::isUnconditional);
            if (enabled && s.resetValue() != null && target.isIce40()) {
                // SB_DFFESR resets only while enabled: Yosys ORs rst into the enable with one LUT
                enables.add(ds.get(0).path().get(0).stmt());
            }
            if (ds.size() == 1 && !(strip(ds.get(0).assign().value()) instanceof Op)) {
                unpaired += s.width(); // a plain copy: the flip-flop takes a logic cell of its own
            }
        }
        add(Resource.LUT, enables.size());
        if (target.isIce40()) {
            add(Resource.LC, counts.getOrDefault(Resource.LUT, 0L) + unpaired);
        }
    }

    private void countMemories() {
        for (Mem m : module.mems()) {
            storage(m.type().width(), m.depth(), m.reads().size(), true);
        }
        for (Rom r : module.roms()) {
            boolean registered = r.reads().stream().allMatch(p -> p.enable() != null);
            storage(r.type().width(), r.depth(), r.reads().size(), registered);
        }
    }

    /** A memory or table: block RAM when large and read through a register, else LUTs (and the read register). */
    private void storage(int width, int depth, int readPorts, boolean registeredRead) {
        long bits = (long) width * depth;
        // Yosys puts every registered-read memory in iCE40 EBR; on Xilinx small ones go to LUT RAM
        boolean bram = registeredRead && (target.isIce40() || bits > 4096 && depth > 64);
        if (bram) {
            int[][] shapes = target.isIce40() ? new int[][] {{256, 16}, {512, 8}, {1024, 4}, {2048, 2}}
                    : new int[][] {{512, 36}, {1024, 18}, {2048, 9}, {4096, 4}, {8192, 2}, {16384, 1}};
            long best = Long.MAX_VALUE;
            for (int[] s : shapes) {
                best = Math.min(best, (long) ceilDiv(depth, s[0]) * ceilDiv(width, s[1]) * readPorts);
            }
            add(Resource.BRAM, best);
            return;
        }
        int entriesPerLut = target.isIce40() ? 16 : 64; // LUT RAM on Xilinx, constant tables in LUT4s on iCE40
        add(Resource.LUT, (long) width * ceilDiv(depth, entriesPerLut) * readPorts);
        if (registeredRead) {
            add(Resource.FF, (long) width * readPorts);
        }
    }

    // ---- timing -----------------------------------------------------------------------------------

    /** A path's delay in ns and the chain of elements it runs through. */
    record Path(double ns, String through) {
        static final Path NONE = new Path(Double.NEGATIVE_INFINITY, "");

        Path then(double delay, String step) {
            if (this == NONE) {
                return NONE;
            }
            return new Path(ns + delay, through.isEmpty() ? step : delay == 0 ? through : through + " -> " + step);
        }

        Path max(Path o) {
            return o.ns > ns ? o : this;
        }

        boolean exists() {
            return this != NONE;
        }
    }

    /** When a value settles: after the latest register of this module or its submodules, and after the latest input port. */
    private record Arrival(Path fromState, Path fromInput) {
        static final Arrival NONE = new Arrival(Path.NONE, Path.NONE);

        Arrival then(double delay, String step) {
            return new Arrival(fromState.then(delay, step), fromInput.then(delay, step));
        }

        Arrival max(Arrival o) {
            return new Arrival(fromState.max(o.fromState), fromInput.max(o.fromInput));
        }
    }

    /** Per output port of this module: when it settles after a register and after an input. */
    private final Map<Signal, Arrival> outputArrivals = new IdentityHashMap<>();

    private void time() {
        for (Signal s : drivers.targets()) {
            Arrival d = s.kind() == Signal.Kind.REG ? driven(s) : signalArrival(s);
            if (s.kind() == Signal.Kind.REG) {
                reachRegister(d.then(target.delays().setup(), s.name()));
            } else if (s.kind() == Signal.Kind.INSTANCE_INPUT) {
                ModuleModel child = children.get(s.instance().def().name());
                Path through = child.inputToRegister;
                if (through.exists()) {
                    reachRegister(d.then(through.ns(), s.instance().name() + " (" + through.through() + ")"));
                }
            } else if (s.kind() == Signal.Kind.OUTPUT) {
                outputArrivals.put(s, d);
            }
        }
        for (Instance<?> inst : module.instances()) {
            worst = worst.max(children.get(inst.def().name()).worst);
        }
    }

    private void reachRegister(Arrival a) {
        worst = worst.max(a.fromState());
        inputToRegister = inputToRegister.max(a.fromInput());
    }

    private Arrival signalArrival(Signal s) {
        Arrival known = signalArrivals.get(s);
        if (known != null) {
            return known;
        }
        Arrival a;
        switch (s.kind()) {
            case INPUT:
                a = new Arrival(Path.NONE, new Path(0, s.name()));
                break;
            case REG: case MEM_READ:
                a = new Arrival(new Path(target.delays().clockToOut(), s.name()), Path.NONE);
                break;
            case INSTANCE_OUTPUT:
                a = instanceOutput(s);
                break;
            default:
                signalArrivals.put(s, Arrival.NONE); // the checks rule out combinational loops
                a = driven(s);
                break;
        }
        signalArrivals.put(s, a);
        return a;
    }

    /** The value settling at a driven signal's input: its drivers, the conditions choosing among them, the muxes. */
    private Arrival driven(Signal s) {
        Arrival a = Arrival.NONE;
        for (Drivers.Driver d : drivers.of(s)) {
            a = a.max(arrival(d.assign().value()));
            for (Drivers.Step step : d.path()) {
                a = a.max(arrival(step.stmt().cond()));
            }
        }
        int muxes = selectMuxes(s);
        return muxes == 0 ? a : a.then(target.delays().lutLevel() * muxLevels(muxes + 1), "select " + s.name());
    }

    private Arrival instanceOutput(Signal s) {
        ModuleModel child = children.get(s.instance().def().name());
        Arrival out = child.outputArrivals.getOrDefault(s.instancePort(), Arrival.NONE);
        Path fromState = out.fromState();
        Arrival a = new Arrival(fromState.exists() ? new Path(fromState.ns(), s.instance().name() + " (" + fromState.through() + ")") : Path.NONE,
                Path.NONE);
        if (out.fromInput().exists()) {
            for (Signal in : s.instance().io()) {
                if (in.kind() == Signal.Kind.INSTANCE_INPUT) {
                    Arrival ai = signalArrival(in);
                    a = a.max(ai.then(out.fromInput().ns(), s.instance().name() + " (" + out.fromInput().through() + ")"));
                }
            }
        }
        return a;
    }

    private Arrival arrival(Expr e) {
        if (e instanceof Signal s) {
            return signalArrival(s);
        }
        if (!(e instanceof Op op)) {
            return Arrival.NONE;
        }
        Arrival known = arrivals.get(op);
        if (known != null) {
            return known;
        }
        Arrival in = Arrival.NONE;
        for (int i = 0; i < op.operandCount(); i++) {
            in = in.max(arrival(op.operand(i)));
        }
        Arrival a = in.then(delay(op), step(op));
        arrivals.put(op, a);
        return a;
    }

    private double delay(Op op) {
        int d = Math.max(1, demand.getOrDefault(op, op.width()));
        int w = op.operand(0).width();
        switch (op.kind()) {
            case ADD: case SUB:
                return absorbed.contains(op) ? target.delays().carry(0) : target.delays().carry(d);
            case LT: case LE:
                return target.delays().carry(w);
            case MUL:
                if (dspCount(op) > 0) {
                    return target.delays().dspMultiply() + (dspCount(op) > 1 ? target.delays().carry(d) : 0);
                }
                int narrow = Math.min(significantWidth(op.operand(0)), significantWidth(op.operand(1)));
                return target.delays().softMultiplyLevel() * Math.log(narrow) / Math.log(2);
            case AND: case OR: case XOR: case MUX:
                return target.delays().lutLevel();
            case EQ: case NE:
                return target.delays().lutLevel() * (1 + treeLevels(ceilDiv(w, target.lutInputs() / 2)));
            case REDUCE_OR: case REDUCE_AND: case REDUCE_XOR:
                return target.delays().lutLevel() * Math.max(1, treeLevels(w));
            case DSHL: case DSHR:
                return target.delays().lutLevel() * shiftLevels(op);
            default:
                return 0;
        }
    }

    private String step(Op op) {
        int d = demand.getOrDefault(op, op.width());
        switch (op.kind()) {
            case ADD: case SUB:
                return absorbed.contains(op) ? "DSP post-adder" : d + "-bit adder";
            case LT: case LE:
                return op.operand(0).width() + "-bit compare";
            case MUL:
                return (dspCount(op) > 0 ? "DSP " : "LUT ") + significantWidth(op.operand(0)) + "x"
                        + significantWidth(op.operand(1)) + " multiplier";
            case MUX:
                return "mux";
            case DSHL: case DSHR:
                return "barrel shifter";
            default:
                return "logic";
        }
    }

    /** LUT levels of a k-input tree over {@code n} inputs. */
    private int treeLevels(int n) {
        int levels = 0;
        for (long reach = 1; reach < n; reach *= target.lutInputs()) {
            levels++;
        }
        return levels;
    }

    private int muxLevels(int inputs) {
        int perLevel = target.lutInputs() == 6 ? 4 : 2;
        int levels = 0;
        for (long reach = 1; reach < inputs; reach *= perLevel) {
            levels++;
        }
        return levels;
    }

    /**
     * LUTs of a d-bit adder: one per bit beside the carry chain; on Xilinx none when one operand is
     * a constant (the carry chain's select inputs take the other operand directly).
     */
    private long addLuts(Op op, int d) {
        boolean constant = op.operand(0) instanceof Const || op.operand(1) instanceof Const;
        return isZero(op.operand(1)) || constant && !target.isIce40() ? 0 : d;
    }

    /** LUTs of a reduction tree of n inputs with k-input LUTs. */
    private static long treeLuts(int n, int k) {
        return n <= 1 ? 0 : ceilDiv(n - 1, k - 1);
    }

    /** Mux levels of a barrel shifter (a LUT6 resolves two shift stages, a LUT4 one). */
    private int shiftLevels(Op op) {
        int stages = Math.min(op.operand(1).width(), 32 - Integer.numberOfLeadingZeros(op.operand(0).width()));
        return target.lutInputs() == 6 ? ceilDiv(stages, 2) : stages;
    }

    private static boolean isZero(Expr e) {
        return e instanceof Const c && c.value().signum() == 0;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}

package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.SignalMap;
import dev.qforge.dsl.Stmt;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Target;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The critical-path model of one module for one target, on the facts of its {@link ModuleModel}:
 * arrival times walk the expressions between registers, across instance boundaries, with the
 * target's delays for LUT levels, carry chains and multipliers. Logic that ABC packs into the LUT
 * of its consumer adds no level; a cone of logic costs the levels of a LUT tree over its inputs.
 *
 * <p>The design's own ports are timed out of context, as a Vivado out-of-context run without I/O
 * delays and as the calibration wrapper that feeds every port from a register and captures every
 * output in one: an input of the top module changes at the clock edge like a register's output
 * (clock-to-output), and an output must settle a setup time before the next edge. So a path from
 * an input port through a multiplier into a register counts like one from a register.
 */
final class ModuleTiming {
    private final ModuleModel model;
    private final Target target;
    private final Drivers drivers;
    private final Liveness liveness;
    private final Arithmetic arithmetic;
    private final LutCones cones;
    private final DspAbsorption dsps;
    private final Fanout fanout;
    /** The clock enables promoted to a global buffer (iCE40), or null where the model has none. */
    private final EnableNets enables;
    private final Map<String, ModuleTiming> children;
    /** Whether this is the design's top module, whose inputs no parent drives. */
    private final boolean isTop;
    private final Map<Expr, Arrival> arrivals = new IdentityHashMap<>();
    /** By serial: the top module of a large array has ~10^5 signals, and hashing them was a tenth of its estimate. */
    private final SignalMap<Arrival> signalArrivals;
    /** Per logic operator read by further logic (iCE40): its unrounded depth, see {@link #logicDelay}. */
    private final Map<Op, LogicDepth> logicDepths = new IdentityHashMap<>();
    /** Worst register-to-register path inside this module and its submodules (on the top: from and to its ports too). */
    private Path worst = Path.NONE;
    /** Per input port of this module: its worst path to a register (delay counted from the input). */
    private final Map<Signal, Path> inputToRegister = new IdentityHashMap<>();
    /** Operators that alone drive a register: a multiply among them may end a DSP-internal pipeline stage. */
    private final Set<Op> registered = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Per register, how many one-DSP multiplies read it as an operand. */
    private final Map<Signal, Integer> dspOperandReads = new IdentityHashMap<>();

    ModuleTiming(ModuleModel model, Map<String, ModuleTiming> children, boolean isTop) {
        this.model = model;
        this.signalArrivals = new SignalMap<>(model.module());
        this.target = model.target();
        this.drivers = model.drivers();
        this.liveness = model.liveness();
        this.arithmetic = model.arithmetic();
        this.cones = model.cones();
        this.dsps = model.dsps();
        // the loads matter only where a net's routing is charged by them (iCE40)
        this.fanout = target.delays().fanoutPerDoubling() == 0 ? null : new Fanout(liveness, arithmetic);
        this.enables = target.delays().globalEnable() == 0 ? null : new EnableNets(liveness, dsps);
        this.children = children;
        this.isTop = isTop;
        time();
    }

    /** The longest register-to-register path in this module (its submodules included; on the top, its port paths too). */
    Path worst() {
        return worst;
    }

    /**
     * A path's delay in ns and the chain of elements it runs through. The chain is kept as links
     * (the path before, its last step, and for a step through a submodule the path inside it) and
     * spelled out only when read: a large array times ~10^6 paths and reads one.
     */
    record Path(double ns, Path before, String step, Path inside) {
        static final Path NONE = new Path(Double.NEGATIVE_INFINITY, null, "", null);

        /** A path starting at {@code step}. */
        Path(double ns, String step) {
            this(ns, null, step, null);
        }

        /** A path starting with a step through a submodule, {@code inside} being the path there. */
        Path(double ns, String step, Path inside) {
            this(ns, null, step, inside);
        }

        /** The elements, e.g. "a -> 8-bit adder -> pe_0 (x -> DSP 8x8 multiplier)". */
        String through() {
            List<Path> chain = new ArrayList<>();
            for (Path p = this; p != null; p = p.before) {
                chain.add(p);
            }
            StringBuilder text = new StringBuilder();
            for (int i = chain.size() - 1; i >= 0; i--) {
                Path p = chain.get(i);
                text.append(i == chain.size() - 1 ? "" : " -> ").append(p.step);
                if (p.inside != null) {
                    text.append(" (").append(p.inside.through()).append(')');
                }
            }
            return text.toString();
        }

        Path then(double delay, String step) {
            return then(delay, step, null);
        }

        /** This path, then a step through a submodule whose own path is {@code inside}. */
        Path then(double delay, String step, Path inside) {
            if (this == NONE) {
                return NONE;
            }
            // a step taking no time adds no element (every path's text is non-empty)
            return delay == 0 ? this : new Path(ns + delay, this, step, inside);
        }

        Path max(Path o) {
            return o.ns > ns ? o : this;
        }

        boolean exists() {
            return this != NONE;
        }

        /** This path with {@code delay} more routing. */
        Path plus(double delay) {
            return this == NONE || delay == 0 ? this : new Path(ns + delay, before, step, inside);
        }
    }

    /**
     * When a value settles: after the latest register of this module or its submodules, and after
     * each input port of this module (tracked per port for a submodule, whose parent charges each
     * of its inputs only its own paths).
     */
    private record Arrival(Path fromState, Map<Signal, Path> fromInputs) {
        static final Arrival NONE = new Arrival(Path.NONE, Map.of());

        Arrival then(double delay, String step) {
            return then(delay, step, null);
        }

        Arrival then(double delay, String step, Path inside) {
            if (fromInputs.isEmpty()) {
                // a top module's values: no map per step, and no new arrival for a step taking no time
                Path later = fromState.then(delay, step, inside);
                return later == fromState ? this : new Arrival(later, Map.of());
            }
            Map<Signal, Path> later = new IdentityHashMap<>();
            fromInputs.forEach((in, p) -> later.put(in, p.then(delay, step, inside)));
            return new Arrival(fromState.then(delay, step, inside), later);
        }

        Arrival plus(double delay) {
            if (delay == 0) {
                return this;
            }
            if (fromInputs.isEmpty()) {
                Path later = fromState.plus(delay);
                return later == fromState ? this : new Arrival(later, Map.of());
            }
            Map<Signal, Path> later = new IdentityHashMap<>();
            fromInputs.forEach((in, p) -> later.put(in, p.plus(delay)));
            return new Arrival(fromState.plus(delay), later);
        }

        /** The latest settling, after a register or an input (a submodule's inputs counted from 0). */
        double latestNs() {
            double ns = fromState.ns();
            for (Path p : fromInputs.values()) {
                ns = Math.max(ns, p.ns());
            }
            return ns;
        }

        Arrival max(Arrival o) {
            if (o.fromInputs.isEmpty() && fromInputs.isEmpty()) {
                return fromState.max(o.fromState) == fromState ? this : o; // the later one as it is: no arrival per comparison
            }
            Map<Signal, Path> worst = new IdentityHashMap<>(fromInputs);
            o.fromInputs.forEach((in, p) -> worst.merge(in, p, Path::max));
            return new Arrival(fromState.max(o.fromState), worst);
        }
    }

    /** Per output port of this module: when it settles after a register and after each input. */
    private final Map<Signal, Arrival> outputArrivals = new IdentityHashMap<>();

    private void time() {
        for (Op op : liveness.postOrder()) {
            for (int i = 0; op.kind() == Op.Kind.MUL && arithmetic.dspCount(op) == 1 && i < 2; i++) {
                if (Operators.strip(op.operand(i)) instanceof Signal r && r.kind() == Signal.Kind.REG) {
                    dspOperandReads.merge(r, 1, Integer::sum);
                }
            }
        }
        // only a one-DSP multiply of registers asks (isDspPipelineStage): a large array's top has ~10^5 registers and none
        for (int k = 0; k < liveness.liveTargets().size() && target.dspPipelineStage() != 0 && !dspOperandReads.isEmpty(); k++) {
            Liveness.LiveTarget t = liveness.liveTargets().get(k);
            if (t.signal().kind() == Signal.Kind.REG && t.drivers().size() == 1
                    && Operators.unwire(t.drivers().get(0).assign().value()) instanceof Op op) {
                registered.add(op);
            }
        }
        for (Liveness.LiveTarget t : liveness.liveTargets()) { // Yosys removes what nothing reads
            Signal s = t.signal();
            Arrival d = s.kind() == Signal.Kind.REG ? driven(s, t.drivers()) : signalArrival(s);
            if (s.kind() == Signal.Kind.REG) {
                reachRegister(d.then(passThrough(s, t.drivers()), "pass-through LUT").then(target.delays().setup(), s.name()));
                if (enables != null && enables.isPromoted(s)) {
                    reachRegister(enable(s, t.drivers()).then(target.delays().globalEnable(), "global buffer").then(target.delays().setup(), s.name()));
                }
            } else if (s.kind() == Signal.Kind.INSTANCE_INPUT) {
                ModuleTiming child = children.get(s.instance().def().name());
                Path through = child.inputToRegister.getOrDefault(s.instancePort(), Path.NONE);
                if (through.exists()) {
                    reachRegister(d, through.ns(), s.instance().name(), through);
                }
            } else if (s.kind() == Signal.Kind.OUTPUT) {
                outputArrivals.put(s, d);
                if (isTop) {
                    reachRegister(d.then(target.delays().setup(), s.name()));
                }
            }
        }
        for (Instance<?> inst : model.module().instances()) {
            worst = worst.max(children.get(inst.def().name()).worst);
        }
    }

    /**
     * When the clock enable of a register loaded under conditions settles at its global buffer's
     * input: a LUT tree over the conditions (late ones near its root), or the one condition itself,
     * whose loads are then the buffer's: its routing by loads is not charged on this path.
     */
    private Arrival enable(Signal reg, List<Drivers.Driver> ds) {
        List<Expr> conditions = EnableNets.enabling(ds).stream().map(Stmt.If::cond).toList();
        if (conditions.size() == 1) {
            Expr c = Operators.unwire(conditions.get(0));
            if (c instanceof Signal s) {
                return signalArrival(s);
            }
            return c instanceof Op op && !Operators.isWiring(op) && !cones.isFolded(op) ? arrival(op).plus(-routing(op)) : arrival(c);
        }
        Arrival a = Arrival.NONE;
        for (Expr c : conditions) {
            a = a.max(arrival(c));
        }
        double weight = 0;
        for (Expr c : conditions) {
            weight += inputWeight(1, arrival(c).latestNs(), a.latestNs());
        }
        return a.then(target.delays().lutLevel() * levelsAfterLatest(weight, cones.treeLevels(conditions.size())), "enable " + reg.name());
    }

    /**
     * The pass-through LUT in front of a flip-flop whose D input is a carry chain's sum that also
     * drives other inputs: nextpnr-ice40 packs a flip-flop into the logic cell of the LUT
     * driving it only when that LUT drives nothing else, and gives the others a cell of their own,
     * whose LUT passes the value on. Measured on the OS engines' PEs, whose sum feeds both the
     * accumulator and the result register: the path ends at the pass-through LUT's input (HX8K 1.8 ns
     * after the sum's LUT, UP5K 3.0 ns). Not charged behind logic, which ABC duplicates for depth.
     */
    private double passThrough(Signal reg, List<Drivers.Driver> ds) {
        if (fanout == null || ds.size() != 1 || model.logic().selectInputs(reg) >= 2) {
            return 0;
        }
        Expr v = Operators.strip(ds.get(0).assign().value());
        Expr sum = v instanceof Signal w && w.kind() == Signal.Kind.WIRE && drivers.of(w).size() == 1 && drivers.of(w).get(0).isUnconditional()
                ? Operators.strip(drivers.of(w).get(0).assign().value()) : v;
        boolean chain = sum instanceof Op op && Operators.isAdder(op) && !dsps.isAbsorbed(op);
        return chain && fanout.loads(v) > 1 ? target.delays().lutLevel() : 0;
    }

    /**
     * {@code reachRegister(a.then(delay, step, inside))}, without building the step where it cannot
     * be the worst path (a large array's top reaches ~10^5 submodule inputs per target).
     */
    private void reachRegister(Arrival a, double delay, String step, Path inside) {
        if (!a.fromInputs().isEmpty() || a.fromState().exists() && a.fromState().ns() + delay > worst.ns()) {
            reachRegister(a.then(delay, step, inside));
        }
    }

    private void reachRegister(Arrival a) {
        worst = worst.max(a.fromState());
        if (!a.fromInputs().isEmpty()) { // Map.of()'s forEach builds an entry set and an iterator
            a.fromInputs().forEach((in, p) -> inputToRegister.merge(in, p, Path::max));
        }
    }

    private Arrival signalArrival(Signal s) {
        Arrival known = signalArrivals.get(s);
        if (known != null) {
            return known;
        }
        Arrival a;
        switch (s.kind()) {
            case INPUT:
                a = isTop ? new Arrival(new Path(target.delays().clockToOut(), s.name()), Map.of())
                        : new Arrival(Path.NONE, Map.of(s, new Path(0, s.name())));
                break;
            case REG: case MEM_READ:
                a = new Arrival(new Path(target.delays().clockToOut(), s.name()), Map.of());
                break;
            case INSTANCE_OUTPUT:
                a = instanceOutput(s);
                break;
            default:
                signalArrivals.put(s, Arrival.NONE); // the checks rule out combinational loops
                a = driven(s, drivers.of(s));
                break;
        }
        signalArrivals.put(s, a);
        return a;
    }

    /** The value settling at a driven signal's input: its drivers, the conditions choosing among them, the select. */
    private Arrival driven(Signal s, List<Drivers.Driver> ds) {
        Arrival a = Arrival.NONE;
        for (int i = 0; i < ds.size(); i++) { // indexed, as in Liveness.forEachRoot
            List<Drivers.Step> path = ds.get(i).path();
            a = a.max(arrival(ds.get(i).assign().value()));
            for (int j = 0; j < path.size(); j++) {
                a = a.max(arrival(path.get(j).stmt().cond()));
            }
        }
        int select = model.logic().selectInputs(s);
        return select < 2 ? a : a.then(target.delays().lutLevel() * selectLevels(ds, select, a.latestNs()), "select " + s.name());
    }

    /** LUT levels of a select after its latest input, {@code latestNs}: see {@link #levelsAfterLatest}. */
    private int selectLevels(List<Drivers.Driver> ds, int select, double latestNs) {
        if (!target.isIce40() || latestNs == Double.NEGATIVE_INFINITY) {
            return cones.treeLevels(select); // on a submodule's inputs alone the paths are timed per input
        }
        // the select's inputs: each distinct value, and each condition not all drivers share (those make
        // the enable); listed in the drivers' order, so that the weights add up the same on every run
        List<Expr> inputs = new ArrayList<>();
        Set<Expr> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Stmt.If, Integer> drivenUnder = new IdentityHashMap<>();
        List<Stmt.If> conditions = new ArrayList<>();
        for (Drivers.Driver d : ds) {
            if (!(d.assign().value() instanceof Const) && seen.add(d.assign().value())) {
                inputs.add(d.assign().value());
            }
            for (Drivers.Step step : d.path()) {
                if (drivenUnder.merge(step.stmt(), 1, Integer::sum) == 1) {
                    conditions.add(step.stmt());
                }
            }
        }
        for (Stmt.If stmt : conditions) {
            if (drivenUnder.get(stmt) < ds.size() && seen.add(stmt.cond())) {
                inputs.add(stmt.cond());
            }
        }
        double weight = 0;
        for (Expr in : inputs) {
            weight += inputWeight(1, arrival(in).latestNs(), latestNs);
        }
        return levelsAfterLatest(weight, cones.treeLevels(select));
    }

    /**
     * The delay of a logic cone after its latest operand. ABC maps a network of logic for depth,
     * duplicating shared terms, so a chain of cones costs the levels of one LUT tree over their
     * leaves (an OR tree over 64 bits, built of two-input ORs, is three LUT4 levels, not six): a
     * cone's depth is kept unrounded ({@link #logicDepths}) while logic reads it, and rounded up to
     * whole LUT levels, counted from the latest leaf, where its value leaves the logic.
     */
    private double logicDelay(Op op, Arrival[] ins) {
        double lut = target.delays().lutLevel();
        int full = cones.coneLevels(op);
        if (!target.isIce40() || cones.headsMuxTree(op)) {
            return lut * full; // Xilinx keeps the full tree; a multiplexer tree takes a level per stage
        }
        double latestActual = Double.NEGATIVE_INFINITY;
        for (Arrival in : ins) {
            latestActual = Math.max(latestActual, in.latestNs());
        }
        int inputs = 0;
        for (int i = 0; i < ins.length; i++) {
            inputs += cones.operandInputs(op, i);
        }
        if (latestActual == Double.NEGATIVE_INFINITY || inputs != cones.coneInputs(op)) {
            return lut * full; // only constants, or a XOR network sharing terms
        }
        double[] settle = new double[ins.length];
        boolean[] cone = new boolean[ins.length];
        double latest = Double.NEGATIVE_INFINITY;
        double leaves = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < ins.length; i++) {
            LogicDepth inner = Operators.unwire(op.operand(i)) instanceof Op x ? logicDepths.get(x) : null;
            cone[i] = inner != null;
            settle[i] = inner != null ? inner.ns() : ins[i].latestNs();
            leaves = Math.max(leaves, inner != null ? inner.leavesNs() : settle[i]);
            latest = Math.max(latest, settle[i]);
        }
        double weight = 0;
        for (int i = 0; i < ins.length; i++) {
            weight += cone[i] ? inputWeight(cones.operandInputs(op, i), settle[i], latest) : absorbedWeight(op, i, settle[i], latest);
        }
        double ns = latest + lut * Math.log(weight) / Math.log(target.lutInputs());
        logicDepths.put(op, new LogicDepth(ns, leaves));
        double rounded = leaves + lut * Math.max(1, Math.ceil((ns - leaves) / lut - 1e-9));
        return Math.min(lut * full, Math.max(0, rounded - latestActual));
    }

    /**
     * The weight of operand {@code i} of logic cone {@code op}, settling at {@code ns}: for a logic
     * operand absorbed into the cone, the weights of its own inputs, each at its own arrival (ABC
     * maps the late one near the root whichever operator it sat under), else its inputs at {@code ns}.
     */
    private double absorbedWeight(Op op, int i, double ns, double latestNs) {
        int n = cones.operandInputs(op, i);
        if (!(Operators.unwire(op.operand(i)) instanceof Op child && Operators.isLogic(child, target) && cones.isMerged(child))) {
            return inputWeight(n, ns, latestNs);
        }
        int inputs = 0;
        for (int j = 0; j < child.operandCount(); j++) {
            inputs += cones.operandInputs(child, j);
        }
        if (inputs != n) {
            return inputWeight(n, ns, latestNs); // a XOR network sharing terms
        }
        double weight = 0;
        for (int j = 0; j < child.operandCount(); j++) {
            weight += absorbedWeight(child, j, arrival(child.operand(j)).latestNs(), latestNs);
        }
        return weight;
    }

    /** A logic cone's unrounded settling time and the latest of the leaves it is counted from (on iCE40). */
    private record LogicDepth(double ns, double leavesNs) { }

    /** The weight of {@code n} inputs settling at {@code ns} in a LUT tree whose latest input settles at {@code latestNs}. */
    private double inputWeight(int n, double ns, double latestNs) {
        return n == 0 || ns == Double.NEGATIVE_INFINITY ? 0 : n * Math.pow(target.lutInputs(), (ns - latestNs) / target.delays().lutLevel());
    }

    /**
     * LUT levels of a cone after its latest input, at most {@code full} (the tree over all inputs
     * arriving together). ABC maps late inputs near the tree's root: a condition decoded levels
     * after the data joins the last LUT alone. A LUT-k tree of depth D takes inputs arriving a_i
     * levels before its latest when the sum of k^-a_i (the {@link #inputWeight weights}) is at most
     * k^D (Kraft's inequality). Measured against nextpnr on iCE40 only: the Xilinx targets keep the
     * full tree.
     */
    private int levelsAfterLatest(double weight, int full) {
        int levels = (int) Math.ceil(Math.log(weight) / Math.log(target.lutInputs()) - 1e-9);
        return Math.max(1, Math.min(full, levels));
    }

    private Arrival instanceOutput(Signal s) {
        ModuleTiming child = children.get(s.instance().def().name());
        Arrival out = child.outputArrivals.getOrDefault(s.instancePort(), Arrival.NONE);
        Path fromState = out.fromState();
        Arrival a = new Arrival(fromState.exists() ? new Path(fromState.ns(), s.instance().name(), fromState) : Path.NONE,
                Map.of());
        List<Signal> io = s.instance().io();
        for (int i = 0; i < io.size() && !out.fromInputs().isEmpty(); i++) { // indexed, as in Liveness.forEachRoot; per output of ~10^5 instances
            Signal in = io.get(i);
            Path through = in.kind() == Signal.Kind.INSTANCE_INPUT ? out.fromInputs().get(in.instancePort()) : null;
            if (through != null) {
                a = a.max(signalArrival(in).then(through.ns(), s.instance().name(), through));
            }
        }
        return a;
    }

    /** When {@code e} settles at the inputs reading it: its own settling and the routing of its net. */
    private Arrival arrival(Expr e) {
        if (e instanceof Signal s) {
            return signalArrival(s).plus(routing(s));
        }
        if (!(e instanceof Op op)) {
            return Arrival.NONE;
        }
        Arrival known = arrivals.get(op);
        if (known != null) {
            return known;
        }
        Arrival[] ins = new Arrival[op.operandCount()];
        for (int i = 0; i < ins.length; i++) {
            ins[i] = arrival(op.operand(i));
        }
        double delay = delay(op, ins);
        Arrival a = Arrival.NONE;
        for (int i = 0; i < ins.length; i++) {
            // a sum added into a further sum ripples along beside it (Yosys' alumacc merges them):
            // its bits arrive in the order the next chain takes them, one carry step behind
            double chain = chainStep(op, op.operand(i));
            a = a.max(chain >= 0 ? ins[i].then(chain, "chained " + step(op)) : ins[i].then(delay, step(op)));
        }
        if (!Operators.isWiring(op) && !cones.isFolded(op)) {
            a = a.plus(routing(op));
        }
        arrivals.put(op, a);
        return a;
    }

    /** The routing of the net {@code e} drives, by its loads. */
    private double routing(Expr e) {
        return fanout == null ? 0 : target.delays().fanout(fanout.loads(e));
    }

    /**
     * The delay through adder {@code op} after {@code operand} when that operand is a sum that only it reads (on iCE40
     * not what it subtracts: measured): one carry step, or -1 when it is not such a sum. Through a choice against a
     * constant packed into that sum's LUT4s ({@link LutCones#inSumLuts}) the bits still leave in chain order, each
     * through the choice's LUT: a carry step and a LUT level. Measured on nextpnr-ice40 (HX8K) on the bfp and mxfp8
     * quantizers' rounding, {@code norm + (shift != 0 ? half - 1 : 0)} on the same critical path: 49.8 and 40.1 MHz,
     * estimated 43.6 and 45.4 so (41.9 and 43.6 with a full ripple of the outer chain, 45.5 and 47.4 with a carry step alone).
     */
    private double chainStep(Op op, Expr operand) {
        if (target.isIce40() && CarryCompare.of(op) != null && Operators.unwire(operand) instanceof Op sum && Operators.isAdder(sum)
                && !dsps.isAbsorbed(sum)) {
            // a compare's chain takes a sum's bits in the order they settle: a carry step after its top bit, and the LUT it leaves
            // through (nextpnr-ice40 on HX8K: the example FIR 44.7 MHz estimated before, 46.9 so, 51.0 placed; FixedMulAdd 38.3, 38.6, 41.3)
            return target.delays().carry(1) + target.delays().lutLevel();
        }
        boolean adds = Operators.isAdder(op) && !(target.isIce40() && Operators.isSubtrahend(op, operand));
        Expr x = Operators.unwire(operand);
        Op reader = op;
        double step = target.delays().carry(1);
        if (x instanceof Op mux && cones.inSumLuts(mux) && liveness.soleConsumer(mux) == op) {
            x = Operators.unwire(mux.operand(mux.operand(1) instanceof Const ? 2 : 1));
            reader = mux;
            step += target.delays().lutLevel();
        }
        boolean chained = adds && !dsps.isAbsorbed(op) && x instanceof Op inner && (inner.kind() == Op.Kind.ADD || inner.kind() == Op.Kind.SUB)
                && !dsps.isAbsorbed(inner) && liveness.soleConsumer(inner) == reader;
        return chained ? step : -1;
    }

    /** The delay through {@code op} after its latest operand, {@code ins} being when its operands settle. */
    private double delay(Op op, Arrival[] ins) {
        int d = Math.max(1, liveness.demandedWidth(op));
        int w = op.operand(0).width();
        if (cones.isFolded(op)) {
            return 0;
        }
        if (Operators.isLogic(op, target)) {
            return logicDelay(op, ins);
        }
        switch (op.kind()) {
            case ADD: case SUB:
                return target.delays().carry(dsps.isAbsorbed(op) ? 0 : arithmetic.carryBits(op));
            case LT: case LE: {
                // the result is the chain's carry-out, which leaves an iCE40 chain through the LUT of a logic cell of its own;
                // a compare with a constant is only the chain that opt leaves (see CarryCompare); on Xilinx the chunks' LUTs
                // feed a carry step each (see LookaheadCompare)
                LookaheadCompare lcu = target.isIce40() ? null : LookaheadCompare.of(op, target.lutInputs());
                return lcu != null ? target.delays().lutLevel() + target.delays().carry(lcu.chunks())
                        : target.delays().carry(constantChain(op, w)) + (target.isIce40() ? target.delays().lutLevel() : 0);
            }
            case MUL:
                if (Operators.isShift(op)) {
                    return 0; // wiring (a negation is rare enough to leave out)
                }
                if (isDspPipelineStage(op)) {
                    // the stage's period is the datasheet's; its registers' clock-to-output and setup are in it
                    return target.dspPipelineStage() - target.delays().clockToOut() - target.delays().setup();
                }
                if (arithmetic.dspCount(op) > 0) {
                    return target.delays().dspMultiply() + (arithmetic.dspCount(op) > 1 ? target.delays().carry(d) : 0);
                }
                BigInteger c = Operators.constantFactor(op);
                if (c != null) {
                    // shifted copies added in a tree of carry chains; the last one rides along a following adder's chain
                    int levels = 32 - Integer.numberOfLeadingZeros(Operators.shiftAddTerms(c) - 1);
                    return liveness.feedsAdder(op) ? (levels - 1) * target.delays().carry(d) + target.delays().carry(1) : levels * target.delays().carry(d);
                }
                int narrow = Math.min(Operators.significantWidth(op.operand(0)), Operators.significantWidth(op.operand(1)));
                double partialProducts = target.delays().softMultiplyLevel() * Math.log(narrow) / Math.log(2);
                if (!liveness.feedsAdder(op)) {
                    return partialProducts + target.delays().carry(d); // the partial products' final carry chain
                }
                // a following adder takes the partial products into its own chain; on iCE40 only when it reads
                // the whole product, else the product keeps its own chain, entered and left through a LUT
                return target.isIce40() && !addsWholeProduct(op) ? partialProducts + target.delays().carryStart() + target.delays().lutLevel()
                        : partialProducts;
            case DSHL: case DSHR:
                return target.delays().lutLevel() * arithmetic.shiftLevels(op);
            default:
                return 0;
        }
    }

    /**
     * Whether the one adder reading a LUT multiply's result reads it whole: the product itself, or
     * the wire it names, at least as wide as the bits of the sum that are read. Only then does Yosys' alumacc merge the two into one
     * $macc, whose partial products and addend share one carry chain; a product read sign-extended
     * ({@code psum_in + {{2{p[7]}}, p}}) keeps its own final chain. Measured on nextpnr-ice40: the
     * 1x1 a4w4 and 1x2 a16w16 arrays (product as wide as the sum) end in the accumulator's chain
     * alone; the 2x2 a4w4, a6w6, a8w8 arrays and the engines' PEs pass the product's chain first.
     */
    private boolean addsWholeProduct(Op mul) {
        Op adder = liveness.soleConsumer(mul);
        if (adder == null || !Operators.isAdder(adder)) {
            return false;
        }
        for (int i = 0; i < 2; i++) {
            Expr x = adder.operand(i);
            if (x.width() < liveness.demandedWidth(adder)) {
                continue; // read sign-extended to the sum's width
            }
            while (x instanceof Op r && r.kind() == Op.Kind.RETYPE
                    || x instanceof Signal w && w.kind() == Signal.Kind.WIRE && drivers.simpleDriver(w) != null) {
                x = x instanceof Op r ? r.operand(0) : drivers.simpleDriver((Signal) x).value();
            }
            if (x == mul) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a multiply is a DSP-internal pipeline stage: one DSP's multiply of two registers that
     * only DSP multiplies read (each DSP's AREG/BREG holding a copy), alone read by a register
     * (MREG): the registers a DSP48E1 takes on xc7 (DspAbsorption, for a register of one reader),
     * which Vivado packs into the DSP48E2 on UltraScale+ too.
     */
    private boolean isDspPipelineStage(Op mul) {
        if (target.dspPipelineStage() == 0 || arithmetic.dspCount(mul) != 1 || liveness.uses(mul) != 1 || !registered.contains(mul)) {
            return false;
        }
        for (int i = 0; i < 2; i++) {
            if (!(Operators.strip(mul.operand(i)) instanceof Signal r && r.kind() == Signal.Kind.REG
                    && liveness.readers(r) == dspOperandReads.getOrDefault(r, 0))) {
                return false;
            }
        }
        return true;
    }

    /** Cells of a compare's carry chain: a compare with a constant's that opt leaves on iCE40, else one per bit. */
    private int constantChain(Op op, int w) {
        CarryCompare cmp = target.isIce40() ? CarryCompare.of(op) : null;
        return cmp != null ? cmp.chain() : w;
    }

    private String step(Op op) {
        switch (op.kind()) {
            case ADD: case SUB:
                return dsps.isAbsorbed(op) ? "DSP post-adder" : arithmetic.carryBits(op) + "-bit adder";
            case LT: case LE:
                return constantChain(op, op.operand(0).width()) + "-bit compare";
            case MUL:
                if (Operators.isShift(op)) {
                    return "shift";
                }
                if (isDspPipelineStage(op)) {
                    return "DSP pipeline stage";
                }
                if (arithmetic.dspCount(op) == 0 && Operators.constantFactor(op) != null) {
                    return "shift-add x" + Operators.constantFactor(op);
                }
                return (arithmetic.dspCount(op) > 0 ? "DSP " : "LUT ") + Operators.significantWidth(op.operand(0)) + "x"
                        + Operators.significantWidth(op.operand(1)) + " multiplier";
            case MUX:
                return "mux";
            case DSHL: case DSHR:
                return "barrel shifter";
            default:
                return "logic";
        }
    }
}

package dev.qforge.generators.report;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Rom;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stmt;
import dev.qforge.dsl.check.Drivers;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The resource model of one module for one target, read from its IR the way Yosys 0.23 maps it,
 * each rule measured against Yosys on GEMM engines (fpga's CalibrationTest):
 * <ul>
 *   <li>only live bits cost: bits that no port, submodule or memory reaches are removed, as
 *       opt_clean removes them, and each operator is costed at the bits its consumers read;</li>
 *   <li>bitwise and compare logic forms cones that ABC packs into LUTs: a cone costs a LUT tree
 *       over its inputs per result bit;</li>
 *   <li>adders take one LUT per carry-chain bit; multipliers go to DSPs when mul2dsp would put them
 *       there (with the adders joining tiles), else to LUTs by a fitted table;</li>
 *   <li>registers are flip-flops with enable and synchronous reset inside (on iCE40 a multiplexer
 *       with a constant arm too), chains of them SRLs on Xilinx, and DSPs absorb the registers and
 *       adders around them as xilinx_dsp and ice40_dsp do;</li>
 *   <li>memories go to LUT RAM or block RAM by size.</li>
 * </ul>
 * Submodules are not included: {@link Estimator} adds them per instance. {@link ModuleTiming} reads
 * the same facts for the critical path.
 */
final class ModuleModel {
    private final Module module;
    private final Target target;
    private final Drivers drivers;
    private final Map<String, ModuleModel> children;
    /** The highest bit (exclusive) of each operator's result that some consumer reads. */
    private final Map<Op, Integer> demand = new IdentityHashMap<>();
    /** The lowest bit of each operator's result that some consumer reads (bits below it cost nothing). */
    private final Map<Op, Integer> lowest = new IdentityHashMap<>();
    /** How many places read each operator's result. */
    private final Map<Op, Integer> uses = new IdentityHashMap<>();
    /** The operators reading each operator's result (the other places that read it are registers, memories, ports). */
    private final Map<Op, List<Op>> consumers = new IdentityHashMap<>();
    /** How many places read each signal. */
    private final Map<Signal, Integer> readers = new IdentityHashMap<>();
    /** Live bits of each register and wire, and the bits of each signal the current pass reads. */
    private final Map<Signal, int[]> live = new IdentityHashMap<>();
    private final Map<Signal, int[]> signalDemand = new IdentityHashMap<>();
    /** The operators reading each signal. */
    private final Map<Signal, List<Op>> signalConsumers = new IdentityHashMap<>();
    /** Operators that are the whole value of a wire with one unconditional driver, with that wire. */
    private final Map<Op, Signal> wireOf = new IdentityHashMap<>();
    /** Per-bit inputs of each logic operator's cone (its merged operands included). */
    private final Map<Op, Integer> support = new IdentityHashMap<>();
    /** Multiplexers between two values heading a tree of them (merged into their data arms), with the tree's 2:1 multiplexers, themselves included. */
    private final Map<Op, Integer> muxTree = new IdentityHashMap<>();
    /** Logic operators that ABC packs into the LUTs of their only consumer. */
    private final Set<Op> merged = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Multiplexers with a constant arm that become a flip-flop's synchronous reset, with the flip-flop they feed. */
    private final Map<Op, Signal> resetMuxes = new IdentityHashMap<>();
    /** Adders and registers a DSP absorbs. */
    private final Set<Object> absorbed = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Registers of which a DSP absorbs some bits, with how many. */
    private final Map<Signal, Integer> partlyAbsorbed = new IdentityHashMap<>();
    private final EnumMap<Resource, Long> counts = new EnumMap<>(Resource.class);

    /** The critical-path model of this module, its submodules' included. */
    private final ModuleTiming timing;
    /** Inputs of the per-bit select in front of each signal with several drivers. */
    private final Map<Signal, Integer> selectInputs = new IdentityHashMap<>();

    ModuleModel(Module module, Target target, Map<String, ModuleModel> children, boolean isTop) {
        this.module = module;
        this.target = target;
        this.children = children;
        this.drivers = new Drivers(module);
        List<Op> postOrder = findLiveBits();
        for (Signal s : drivers.targets()) {
            Stmt.Assign a = s.kind() == Signal.Kind.WIRE ? drivers.simpleDriver(s) : null;
            if (a != null && a.value() instanceof Op op) {
                wireOf.put(op, s);
            }
        }
        findMultiplyAccumulates();
        findResetMuxes();
        findXorNetworks(postOrder);
        for (Op op : postOrder) {
            if (isLogic(op) && !support.containsKey(op) && !merged.contains(op)) {
                support.put(op, coneSupport(op));
            }
        }
        countLogic();
        countRegisters();
        countMemories();
        Map<String, ModuleTiming> childTimings = new HashMap<>();
        children.forEach((name, child) -> childTimings.put(name, child.timing));
        timing = new ModuleTiming(this, childTimings, isTop);
    }

    Resources resources() {
        return Resources.of(counts);
    }

    /** The longest register-to-register path in this module (its submodules included). */
    ModuleTiming.Path worstPath() {
        return timing.worst();
    }

    // ---- what the timing model reads --------------------------------------------------------------

    Module module() { return module; }
    Target target() { return target; }
    Drivers drivers() { return drivers; }

    /** Highest demanded bit of an operator's result (its full width when nothing demanded it). */
    int demandedWidth(Op op) {
        return demand.getOrDefault(op, op.width());
    }

    /** Whether a DSP absorbs this adder or register. */
    boolean isAbsorbed(Object adderOrRegister) {
        return absorbed.contains(adderOrRegister);
    }

    /** Whether this operator costs no LUT level of its own: inside its consumer's LUT, or a flip-flop's reset. */
    boolean isFolded(Op op) {
        return merged.contains(op) || resetMuxes.containsKey(op);
    }

    /** Inputs of the cone a logic operator heads. */
    int coneInputs(Op op) {
        return support.get(op);
    }

    /** Inputs of the per-bit select in front of a signal with several drivers (0 with one driver). */
    int selectInputs(Signal s) {
        return selectInputs.getOrDefault(s, 0);
    }

    // ---- the expressions a module computes -------------------------------------------------------

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
            for (Drivers.Driver d : drivers.of(target)) {
                v.visit(d.assign().value(), bits[0], bits[1]);
                for (Drivers.Step s : d.path()) {
                    v.visit(s.stmt().cond(), 0, 1);
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
        return live.getOrDefault(s, new int[] {0, 0});
    }

    /** Bits of a signal that the hardware reads. */
    int liveWidth(Signal s) {
        int[] bits = liveBits(s);
        return Math.max(0, bits[1] - bits[0]);
    }

    /**
     * Which bits of every signal and operator the hardware reads, as Yosys' opt_clean leaves them:
     * from the ports backwards, until no register or wire gains a live bit. Returns the operators
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
            readers.clear();
            signalConsumers.clear();
            signalDemand.clear();
            List<Expr> roots = new ArrayList<>();
            forEachRoot((e, lo, hi) -> {
                roots.add(e);
                demandAtLeast(e, lo, hi, null);
            });
            List<Op> postOrder = propagateDemand(roots);
            boolean grew = false;
            for (Map.Entry<Signal, int[]> e : signalDemand.entrySet()) {
                int[] old = live.get(e.getKey());
                int[] now = e.getValue();
                if (old == null || now[0] < old[0] || now[1] > old[1]) {
                    live.put(e.getKey(), old == null ? now : new int[] {Math.min(old[0], now[0]), Math.max(old[1], now[1])});
                    grew = true;
                }
            }
            if (!grew) {
                return postOrder;
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
        java.util.ArrayDeque<Object> work = new java.util.ArrayDeque<>();
        java.util.function.BiConsumer<Expr, int[]> raise = (e, range) -> {
            int lo = range[0];
            int hi = Math.min(range[1], e.width());
            if (hi <= lo) {
                return;
            }
            Map<Object, int[]> bitsOf = e instanceof Op ? (Map) opBits : e instanceof Signal ? (Map) live : null;
            if (bitsOf == null) {
                return;
            }
            int[] old = bitsOf.get(e);
            if (old == null || lo < old[0] || hi > old[1]) {
                bitsOf.put(e, old == null ? new int[] {lo, hi} : new int[] {Math.min(lo, old[0]), Math.max(hi, old[1])});
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
                for (Drivers.Driver d : drivers.of(sig)) {
                    raise.accept(d.assign().value(), bits);
                    for (Drivers.Step st : d.path()) {
                        raise.accept(st.stmt().cond(), new int[] {0, 1});
                    }
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
            readers.merge(sig, 1, Integer::sum);
            if (Math.min(hi, sig.width()) > lo) {
                signalDemand.merge(sig, new int[] {lo, Math.min(hi, sig.width())},
                        (a, b) -> new int[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
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
        List<Op> postOrder = new ArrayList<>();
        Set<Op> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Expr r : roots) {
            collect(r, seen, postOrder);
        }
        for (int k = postOrder.size() - 1; k >= 0; k--) {
            Op op = postOrder.get(k);
            int hi = demand.getOrDefault(op, 0);
            int lo = lowBit(op);
            for (int i = 0; i < op.operandCount(); i++) {
                int[] range = operandDemand(op, i, lo, hi);
                demandAtLeast(op.operand(i), range[0], range[1], op);
            }
        }
        return postOrder;
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

    /** The lowest demanded bit of an operator's result. */
    private int lowBit(Op op) {
        return lowest.getOrDefault(op, 0);
    }

    /** Demanded bits of an operator's result: those between its lowest and highest demanded bits. */
    private int demandedBits(Op op) {
        return Math.max(0, demand.getOrDefault(op, 0) - lowBit(op));
    }

    /**
     * The bits {@code [lo, hi)} of operand {@code i} that bits {@code [lo, hi)} of {@code op}'s
     * result depend on. Carries reach up, so arithmetic needs its operands from bit 0, except above
     * the trailing zeros of a constant addend, below which no carry arises.
     */
    private static int[] operandDemand(Op op, int i, int lo, int hi) {
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

    /** The operator behind retyping, extension and truncation (which cost nothing). */
    private static Expr strip(Expr e) {
        while (e instanceof Op op && (op.kind() == Op.Kind.RETYPE || op.kind() == Op.Kind.EXTEND
                || (op.kind() == Op.Kind.SLICE && op.p1() == 0))) {
            e = op.operand(0);
        }
        return e;
    }

    /**
     * Bits that carry information: sign and zero extensions do not widen a multiplier, and a
     * truncation to low bits narrows it (the narrowest value on the way to the operator behind).
     */
    static int significantWidth(Expr e) {
        int w = e.width();
        Expr x = e;
        while (x instanceof Op op && (op.kind() == Op.Kind.RETYPE || op.kind() == Op.Kind.EXTEND
                || (op.kind() == Op.Kind.SLICE && op.p1() == 0))) {
            x = op.operand(0);
            w = Math.min(w, x.width());
        }
        return w;
    }

    // ---- multipliers ----------------------------------------------------------------------------

    /** The constant operand of a multiplier, or null. */
    private static BigInteger constantFactor(Op mul) {
        for (int i = 0; i < 2; i++) {
            if (strip(mul.operand(i)) instanceof Const c) {
                return c.value();
            }
        }
        return null;
    }

    /** Whether a multiplier is by a power of two or its negation: Yosys' opt_expr makes that a shift (and a negation). */
    static boolean isShift(Op mul) {
        BigInteger c = constantFactor(mul);
        return c != null && c.abs().bitCount() <= 1;
    }

    /** DSP blocks one multiplier needs, 0 when Yosys leaves it in LUTs. */
    int dspCount(Op mul) {
        int a = significantWidth(mul.operand(0));
        int b = significantWidth(mul.operand(1));
        if (isShift(mul)) {
            return 0;
        }
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
     * Yosys 0.23 results for signed operands inside the PEs of GEMM engines. Xilinx keeps only
     * products under 9 bits in LUTs, so its table is small; iCE40 costs about 3 LUT4s per
     * partial-product bit for wide operands, less for narrow ones. Operand bits that repeat another
     * bit (a sign extension inside a packed operand) cost less on Xilinx; on iCE40 ABC shares the
     * partial products of the repeated bit, which a per-bit figure over the full width matches.
     */
    private int softMultiplierLuts(Op mul) {
        BigInteger c = constantFactor(mul);
        if (c != null) {
            // by a constant: only its set bits are partial products, one adder of the product's width per further bit, and a negation
            int bits = Math.min(demand.getOrDefault(mul, 0), significantWidth(mul.operand(0)) + significantWidth(mul.operand(1)));
            return bits * (Math.max(0, c.abs().bitCount() - 1) + (c.signum() < 0 ? 1 : 0));
        }
        int a = informationBits(mul.operand(0));
        int b = informationBits(mul.operand(1));
        int narrow = Math.min(a, b);
        int wide = Math.max(a, b);
        if (!target.isIce40()) {
            if (narrow == 2) {
                return 2 * wide + 1;
            }
            if (narrow == 3 && wide <= 5) {
                return new int[] {9, 12, 20}[wide - 3];
            }
            return (int) Math.round(2.25 * a * b); // 4x4 measures 36 inside a PE (26 alone: ABC's result depends on its context)
        }
        int fullA = significantWidth(mul.operand(0));
        int fullB = significantWidth(mul.operand(1));
        if (a < fullA || b < fullB) {
            // a packed operand: about 2.15 LUT4s per partial-product bit, its repeated bits included
            return (int) Math.round(2.15 * fullA * fullB);
        }
        double[] perBitByNarrow = {0, 1.0, 1.5, 2.0, 2.25, 2.65};
        double perBit = narrow < perBitByNarrow.length ? perBitByNarrow[narrow] : 2.92;
        return (int) Math.round(perBit * a * b);
    }

    /**
     * LUTs adding the partial products of a multiplier tiled over several DSPs (Yosys' mul2dsp).
     * On UltraScale+ each further tile's product joins the sum above the bits it cannot reach; on
     * 7-series the tiles cascade through PCIN (a 17-bit shift) and one adder remains; on the UP5K
     * the SB_MAC16 accumulators add the tiles and one adder remains.
     */
    private long dspTileAdderLuts(Op mul, int dsps) {
        if (dsps == 1) {
            return 0;
        }
        int d = Math.min(demand.getOrDefault(mul, 0), significantWidth(mul.operand(0)) + significantWidth(mul.operand(1)));
        if (target != Target.XCUP) {
            return Math.max(0, d - (target == Target.XC7 ? 17 : 16));
        }
        int wideTiles = ceilDiv(Math.max(significantWidth(mul.operand(0)), significantWidth(mul.operand(1))), target.dspWideOperand());
        int narrowTiles = ceilDiv(Math.min(significantWidth(mul.operand(0)), significantWidth(mul.operand(1))), target.dspNarrowOperand());
        long luts = 0;
        for (int i = 0; i < wideTiles; i++) {
            for (int j = 0; j < narrowTiles; j++) {
                if (i + j > 0) {
                    luts += Math.max(0, d - (i * target.dspWideOperand() + j * target.dspNarrowOperand()));
                }
            }
        }
        return luts;
    }

    /** Bits of an operand that are distinct: a register or expression repeating a bit counts it once. */
    private int informationBits(Expr e) {
        Expr x = strip(e);
        if (x instanceof Signal r && r.kind() == Signal.Kind.REG && drivers.of(r).size() == 1) {
            return Math.min(significantWidth(e), distinctBits(drivers.of(r).get(0).assign().value(), r.width()));
        }
        return Math.min(significantWidth(e), distinctBits(x, x.width()));
    }

    /**
     * Registers and adders Yosys packs into DSPs around a multiplier mapped to them. On xc7
     * (xilinx_dsp, DSP48E1): registers only the multiplier reads (A/B input registers), an adder
     * forming an operand (the pre-adder), the adder that alone reads a one-DSP product (the
     * post-adder) and a register that alone reads that sum (P). On the UP5K (ice40_dsp, SB_MAC16):
     * input registers without a reset, and the low 16 bits of a register taking a tiled product
     * straight (the first tile's output register). UltraScale+ DSP48E2s absorb none in Yosys 0.23.
     */
    private void findMultiplyAccumulates() {
        if (target != Target.XC7 && target != Target.UP5K) {
            return;
        }
        Map<Expr, Signal> registerOf = new IdentityHashMap<>();
        for (Signal s : module.signals()) {
            List<Drivers.Driver> ds = s.kind() == Signal.Kind.REG ? drivers.of(s) : List.of();
            Expr v = ds.size() == 1 && s.width() <= 48 ? ds.get(0).assign().value() : null;
            // the register reads the sum through wiring only
            while (v instanceof Op w && isWiring(w) && w.operandCount() == 1 && uses.getOrDefault(w, 0) == 1) {
                registerOf.put(v, s);
                v = w.operand(0);
            }
            if (v != null) {
                registerOf.put(v, s);
            }
        }
        for (Op mul : demand.keySet()) {
            int dsps = mul.kind() == Op.Kind.MUL ? dspCount(mul) : 0;
            if (dsps == 0) {
                continue;
            }
            for (int i = 0; i < 2; i++) {
                Expr operand = strip(mul.operand(i));
                if (operand instanceof Signal r && r.kind() == Signal.Kind.REG && readers.getOrDefault(r, 0) == 1
                        && (target == Target.XC7 ? dsps > 1 || r.width() <= target.dspWideOperand() : r.resetValue() == null)) {
                    absorbed.add(r);
                    operand = drivers.of(r).size() == 1 ? strip(drivers.of(r).get(0).assign().value()) : null;
                }
                if (target == Target.XC7 && operand instanceof Op pre && pre.kind() == Op.Kind.ADD && uses.getOrDefault(pre, 0) == 1) {
                    absorbed.add(pre);
                }
            }
            Signal product = registerOf.get(mul);
            if (target == Target.UP5K && dsps > 1 && product != null && uses.getOrDefault(mul, 0) == 1) {
                partlyAbsorbed.put(product, target.dspNarrowOperand());
            }
            // a register taking a one-DSP product straight is the DSP's own (DSP48E1 MREG/PREG; the SB_MAC16 output register, which has no synchronous reset)
            if (dsps == 1 && product != null && uses.getOrDefault(mul, 0) == 1 && (target == Target.XC7 || product.resetValue() == null)) {
                absorbed.add(product);
            }
            Op add = target == Target.XC7 && dsps == 1 ? soleConsumer(mul) : null;
            if (add != null && add.kind() == Op.Kind.ADD) {
                absorbed.add(add);
                Signal p = registerOf.get(add);
                if (p != null && soleConsumer(add) == null && uses.getOrDefault(add, 0) == 1) {
                    absorbed.add(p);
                }
            }
        }
    }

    // ---- random logic: cones of bitwise and compare operators, packed into LUTs as ABC does -----

    /** Operators that only rename, extend or regroup bits. */
    private static boolean isWiring(Op op) {
        return switch (op.kind()) {
            case EXTEND, RETYPE, SLICE, CAT, SHL -> true;
            default -> false;
        };
    }

    /**
     * Logic ABC maps freely into LUTs: bitwise operators, equality, reductions, and comparisons with
     * a constant (Yosys' cmp2lut turns those into LUTs; other comparisons use the carry chain).
     */
    static boolean isLogic(Op op) {
        return switch (op.kind()) {
            case AND, OR, XOR, NOT, MUX, EQ, NE, REDUCE_OR, REDUCE_AND, REDUCE_XOR -> true;
            case LT, LE -> op.operand(0) instanceof Const || op.operand(1) instanceof Const;
            default -> false;
        };
    }

    /**
     * The one operator that reads {@code op}'s result, looking through wiring and named wires
     * (Yosys keeps neither); null when several places, or a register, memory or port, read it.
     */
    private Op soleConsumer(Op op) {
        Op at = op;
        while (uses.getOrDefault(at, 0) == 1) {
            List<Op> cs = consumers.getOrDefault(at, List.of());
            Signal wire = cs.isEmpty() ? wireOf.get(at) : null;
            if (wire != null && readers.getOrDefault(wire, 0) == 1 && signalConsumers.getOrDefault(wire, List.of()).size() == 1) {
                cs = signalConsumers.get(wire);
            }
            if (cs.size() != 1) {
                return null;
            }
            Op c = cs.get(0);
            if (!isWiring(c)) {
                return c;
            }
            at = c;
        }
        return null;
    }

    /** {@code e} without the wiring in front of it. */
    private static Expr unwire(Expr e) {
        while (e instanceof Op op && isWiring(op) && op.operandCount() == 1) {
            e = op.operand(0);
        }
        return e;
    }

    /**
     * Inputs per result bit of {@code op}'s cone: its leaves (signals, arithmetic results, shared
     * logic) and the inputs of the logic operands it absorbs. An operand is absorbed when {@code op}
     * alone reads it; a one-bit select of a wide multiplexer only when the bit's LUT still fits.
     */
    private int coneSupport(Op op) {
        int k = target.lutInputs();
        boolean reduces = op.width() == 1 && op.kind() != Op.Kind.AND && op.kind() != Op.Kind.OR
                && op.kind() != Op.Kind.XOR && op.kind() != Op.Kind.NOT && op.kind() != Op.Kind.MUX;
        int total = 0;
        int muxes = 1;
        for (int i = 0; i < op.operandCount(); i++) {
            Expr x = unwire(op.operand(i));
            if (x instanceof Const) {
                continue;
            }
            int perBit = 1;
            if (x instanceof Op child && isLogic(child) && soleConsumer(child) == op && !resetMuxes.containsKey(child)) {
                int s = support.get(child);
                boolean select = op.kind() == Op.Kind.MUX && i == 0 && op.width() > 1;
                if (!select || s + 2 <= k) {
                    merged.add(child);
                    perBit = s;
                    if (op.kind() == Op.Kind.MUX && child.kind() == Op.Kind.MUX && i > 0) {
                        muxes += muxTree.getOrDefault(child, 1);
                    }
                }
            }
            total += reduces ? perBit * significantWidth(op.operand(i)) : perBit;
        }
        boolean selects = op.kind() == Op.Kind.MUX && !(unwire(op.operand(1)) instanceof Const) && !(unwire(op.operand(2)) instanceof Const);
        if (muxes > 1 && selects) {
            muxTree.put(op, muxes);
        }
        return total;
    }

    /** One bit a XOR network reads: a bit of a signal or operator result. */
    private record Leaf(Expr of, int bit) { }

    /** The leaf a one-bit operand of a XOR network stands for. */
    private static Leaf leafOf(Expr e) {
        Expr x = e instanceof Op retype && retype.kind() == Op.Kind.RETYPE ? retype.operand(0) : e;
        return x instanceof Op slice && slice.kind() == Op.Kind.SLICE && slice.width() == 1 ? new Leaf(slice.operand(0), slice.p1()) : new Leaf(x, 0);
    }

    /**
     * Networks of one-bit XORs (CRCs, parity, Hamming codes), as ABC maps them: a bit read twice
     * cancels, and the terms output bits share are computed once. Each output of a network (a XOR
     * read by anything but another XOR of it) costs a LUT tree over the distinct bits it is the
     * parity of, where the largest other output whose bits are a subset of its own counts as one
     * input; the XORs inside a network cost nothing of their own.
     */
    private void findXorNetworks(List<Op> postOrder) {
        Map<Op, Set<Leaf>> parity = new IdentityHashMap<>();
        for (Op op : postOrder) {
            if (op.kind() != Op.Kind.XOR || op.width() != 1) {
                continue;
            }
            Set<Leaf> bits = new java.util.HashSet<>();
            for (int i = 0; i < 2; i++) {
                Expr x = op.operand(i);
                Set<Leaf> inner = x instanceof Op child ? parity.get(child) : null;
                for (Leaf l : inner != null ? inner : Set.of(leafOf(x))) {
                    if (!bits.add(l)) {
                        bits.remove(l);
                    }
                }
            }
            parity.put(op, bits);
        }
        List<Op> outputs = new ArrayList<>();
        for (Op op : parity.keySet()) {
            List<Op> cs = consumers.getOrDefault(op, List.of());
            boolean inside = !wireOf.containsKey(op) && uses.getOrDefault(op, 0) == cs.size() && cs.stream().allMatch(parity::containsKey);
            if (inside) {
                merged.add(op);
            } else {
                outputs.add(op);
            }
        }
        for (Op out : outputs) {
            Set<Leaf> bits = parity.get(out);
            int shared = 0;
            for (Op other : outputs) {
                Set<Leaf> o = parity.get(other);
                if (o.size() >= 2 && o.size() < bits.size() && o.size() > shared && bits.containsAll(o)) {
                    shared = o.size();
                }
            }
            support.put(out, shared == 0 ? bits.size() : bits.size() - shared + 1);
        }
    }

    /** Whether {@code e} is {@code c < x} or {@code c <= x} with a constant c other than 0. */
    private static boolean comparesWithNonzeroConstant(Expr e) {
        return unwire(e) instanceof Op cmp && (cmp.kind() == Op.Kind.LT || cmp.kind() == Op.Kind.LE)
                && cmp.operand(0) instanceof Const c && c.value().signum() != 0;
    }

    /** LUTs of one output bit of a cone with {@code inputs} inputs: a tree of k-input LUTs. */
    private long lutsFor(int inputs) {
        return inputs <= 1 ? 0 : ceilDiv(inputs - 1, target.lutInputs() - 1);
    }

    /**
     * Multiplexers with a constant arm in front of a flip-flop without a reset of its own, which
     * Yosys turns into the flip-flop's synchronous reset. On iCE40 always (SB_DFFESR resets only
     * while enabled, as the enable-then-mux reads), nested ones included. On Xilinx FDRE's reset
     * overrides its enable, so behind an enable the reset ANDs the select with the enable: Yosys
     * 0.23 builds that once when the select is a comparison {@code c < x} with a constant c >= 1,
     * but once per bit otherwise (measured; e.g. {@code 0 < x} becomes a reduction first), which
     * costs what the multiplexer would.
     */
    private void findResetMuxes() {
        for (Signal s : module.signals()) {
            List<Drivers.Driver> ds = s.kind() == Signal.Kind.REG && s.resetValue() == null && liveWidth(s) > 0 ? drivers.of(s) : List.of();
            if (ds.size() != 1) {
                continue;
            }
            Expr v = unwire(ds.get(0).assign().value());
            while (v instanceof Op mux && mux.kind() == Op.Kind.MUX && uses.getOrDefault(mux, 0) == 1
                    && (mux.operand(1) instanceof Const || mux.operand(2) instanceof Const)) {
                if (!target.isIce40() && !ds.get(0).isUnconditional() && !comparesWithNonzeroConstant(mux.operand(0))) {
                    break;
                }
                resetMuxes.put(mux, s);
                v = unwire(mux.operand(mux.operand(1) instanceof Const ? 2 : 1));
                if (!target.isIce40()) {
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
        Map<Signal, Integer> resetInputs = new IdentityHashMap<>();
        for (Op op : demand.keySet()) {
            int d = demandedBits(op);
            if (d == 0 || absorbed.contains(op) || merged.contains(op)) {
                continue;
            }
            if (resetMuxes.containsKey(op)) {
                // the data passes straight to the flip-flop; its select joins the reset condition
                resetInputs.merge(resetMuxes.get(op), muxSelectInputs(op), Integer::sum);
                continue;
            }
            if (isLogic(op)) {
                add(Resource.LUT, (op.width() == 1 ? 1 : d) * coneLuts(op));
                continue;
            }
            switch (op.kind()) {
                case ADD: case SUB:
                    add(Resource.LUT, addLuts(op));
                    break;
                case LT: case LE:
                    add(Resource.LUT, Math.max(op.operand(0).width(), op.operand(1).width()));
                    break;
                case MUL: {
                    int dsp = dspCount(op);
                    add(Resource.DSP, dsp);
                    add(Resource.LUT, dsp > 0 ? dspTileAdderLuts(op, dsp) : softMultiplierLuts(op));
                    break;
                }
                case DSHL: case DSHR:
                    add(Resource.LUT, shifterLuts(op));
                    break;
                default:
                    break; // SHL, SLICE, CAT, EXTEND, RETYPE are wiring
            }
        }
        resetInputs.values().forEach(n -> add(Resource.LUT, lutsFor(n)));
        for (Signal s : drivers.targets()) {
            countSelectAndEnable(s);
        }
    }

    /**
     * LUTs of one result bit of a cone: a LUT tree over its inputs, but on iCE40 a runtime index
     * into eight or more values (a tree of 2:1 multiplexers) takes ABC about 0.84 LUT4 per
     * multiplexer (16:1 measured at 12.6 per bit), more than the tree over its inputs: a 2:1
     * multiplexer is a LUT3, and two do not share a LUT4. On UltraScale+ ABC maps a cone of 8 or 9
     * inputs, for its single level, as one wide LUT (4 or 8 LUT6s joined by MUXF7/F8/F9; measured
     * on the OS engines' result drain, where 7-series keeps the LUT tree).
     */
    private long coneLuts(Op op) {
        int muxes = muxTree.getOrDefault(op, 1);
        if (target.isIce40() && muxes + 1 >= 8) {
            return Math.max(lutsFor(support.get(op)), Math.round(0.84 * muxes));
        }
        int n = support.get(op);
        if (target == Target.XCUP && n >= 8 && n <= 9) {
            return 1L << (n - 6);
        }
        return lutsFor(n);
    }

    /** Inputs of a multiplexer's select cone. */
    private int muxSelectInputs(Op mux) {
        Expr sel = unwire(mux.operand(0));
        return sel instanceof Op op && merged.contains(op) ? support.get(op) : 1;
    }

    /**
     * The logic in front of a signal with several drivers, and of a register's clock enable. Per
     * bit, a select among the drivers' values by the conditions that tell them apart (conditions
     * on every driver's path gate them all: for a register they are its clock enable). A register
     * none of whose drivers is unconditional holds its value through its enable, which ORs its
     * conditions together.
     */
    private void countSelectAndEnable(Signal s) {
        List<Drivers.Driver> ds = liveWidth(s) > 0 ? drivers.of(s) : List.of();
        Set<Stmt.If> all = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Stmt.If> common = null;
        Set<Expr> data = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Stmt.If, Set<Boolean>> sides = new IdentityHashMap<>();
        for (Drivers.Driver d : ds) {
            Set<Stmt.If> path = Collections.newSetFromMap(new IdentityHashMap<>());
            d.path().forEach(step -> path.add(step.stmt()));
            d.path().forEach(step -> sides.computeIfAbsent(step.stmt(), k -> new java.util.HashSet<>()).add(step.then()));
            all.addAll(path);
            if (common == null) {
                common = path;
            } else {
                common.retainAll(path);
            }
            if (!(d.assign().value() instanceof Const)) {
                data.add(d.assign().value());
            }
        }
        if (common == null) {
            return;
        }
        int distinguishing = all.size() - common.size();
        if (ds.size() == 2 && data.size() == 1 && (ds.get(0).assign().value() instanceof Const || ds.get(1).assign().value() instanceof Const)) {
            // a constant and one value: the constant's condition (with the register's own reset) becomes the flip-flop's synchronous set/reset
            add(Resource.LUT, lutsFor(distinguishing - 1 + (s.resetValue() != null ? 1 : 0)));
        } else if (ds.size() > 1) {
            selectInputs.put(s, distinguishing + data.size());
            add(Resource.LUT, (long) liveWidth(s) * lutsFor(distinguishing + data.size()));
        }
        boolean holds = s.kind() == Signal.Kind.REG && ds.stream().noneMatch(Drivers.Driver::isUnconditional);
        if (holds && !absorbed.contains(s)) {
            // drivers on both sides of every branch that tells them apart load under the conditions all share (same side) alone
            Set<Stmt.If> shared = Collections.newSetFromMap(new IdentityHashMap<>());
            shared.addAll(common);
            shared.removeIf(i -> sides.get(i).size() == 2);
            boolean covered = all.stream().allMatch(i -> shared.contains(i) || sides.get(i).size() == 2);
            add(Resource.LUT, lutsFor(ds.size() > 1 && !covered ? all.size() : shared.size()));
        }
    }

    /**
     * Registers that stay flip-flops: shift-register chains become SRLs on Xilinx, copies of the
     * same bit are merged, and DSP-absorbed registers are counted with the DSP.
     */
    private void countRegisters() {
        Set<Object> enables = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Signal> inShiftRegisters = target.isIce40() ? Set.of() : shiftRegisters();
        long unpaired = 0;
        for (Signal s : module.signals()) {
            if (s.kind() != Signal.Kind.REG || absorbed.contains(s) || inShiftRegisters.contains(s) || liveWidth(s) == 0) {
                continue;
            }
            List<Drivers.Driver> ds = drivers.of(s);
            int bits = Math.min(liveWidth(s), ds.size() == 1 ? distinctBits(ds.get(0).assign().value(), s.width()) : s.width());
            add(Resource.FF, Math.max(0, bits - partlyAbsorbed.getOrDefault(s, 0)));
            boolean enabled = ds.stream().noneMatch(Drivers.Driver::isUnconditional);
            if (enabled && s.resetValue() != null && target.isIce40()) {
                // SB_DFFESR resets only while enabled: Yosys ORs rst into the enable with one LUT
                enables.add(ds.get(0).path().get(0).stmt().cond());
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

    /**
     * Bits of a register fed by {@code value} that are distinct flip-flops: extension bits repeat
     * one source bit (Yosys merges their flip-flops), and below a constant shift the sum
     * {@code (a << p) + b} is {@code b} itself.
     */
    private static int distinctBits(Expr value, int width) {
        Expr v = value;
        while (v instanceof Op op && (op.kind() == Op.Kind.RETYPE || op.kind() == Op.Kind.SLICE && op.p1() == 0)) {
            v = op.operand(0);
        }
        if (v instanceof Op ext && ext.kind() == Op.Kind.EXTEND) {
            return Math.min(width, distinctBits(ext.operand(0), ext.operand(0).width()));
        }
        if (v instanceof Op add && add.kind() == Op.Kind.ADD) {
            for (int i = 0; i < 2; i++) {
                if (strip(add.operand(i)) instanceof Op shl && shl.kind() == Op.Kind.SHL
                        && significantWidth(add.operand(1 - i)) <= shl.p0() && shl.p0() < width) {
                    return distinctBits(add.operand(1 - i), significantWidth(add.operand(1 - i))) + width - shl.p0();
                }
            }
        }
        return width;
    }

    /**
     * Registers Yosys' shregmap packs into SRL16E/SRLC32E on Xilinx: chains of at least three
     * registers without reset on the same enable, each read only by the next (the last one may be
     * read anywhere). Each chain costs one LUT per bit per 32 stages instead of its flip-flops.
     */
    private Set<Signal> shiftRegisters() {
        Map<Signal, Signal> next = new IdentityHashMap<>();
        for (Signal s : module.signals()) {
            Signal prev = chainedFrom(s);
            if (prev != null) {
                next.put(prev, s);
            }
        }
        Set<Signal> packed = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Signal> successors = Collections.newSetFromMap(new IdentityHashMap<>());
        successors.addAll(next.values());
        for (Signal head : next.keySet()) {
            if (successors.contains(head) || head.resetValue() != null || drivers.of(head).size() != 1) {
                continue;
            }
            List<Signal> chain = new ArrayList<>();
            for (Signal s = head; s != null; s = next.get(s)) {
                chain.add(s);
            }
            if (chain.size() >= 3) {
                packed.addAll(chain);
                add(Resource.LUT, (long) liveWidth(chain.get(chain.size() - 1)) * ceilDiv(chain.size(), 32));
            }
        }
        return packed;
    }

    /** The register {@code s} copies on the same enable when it is the only reader of it, else null. */
    private Signal chainedFrom(Signal s) {
        List<Drivers.Driver> ds = s.kind() == Signal.Kind.REG && s.resetValue() == null ? drivers.of(s) : List.of();
        if (ds.size() != 1 || !(ds.get(0).assign().value() instanceof Signal p) || p.kind() != Signal.Kind.REG
                || p.resetValue() != null || p.width() != s.width() || readers.getOrDefault(p, 0) != 1 || absorbed.contains(p)) {
            return null;
        }
        List<Drivers.Driver> dp = drivers.of(p);
        return dp.size() == 1 && sameConditions(dp.get(0).path(), ds.get(0).path()) ? p : null;
    }

    private static boolean sameConditions(List<Drivers.Step> a, List<Drivers.Step> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).stmt().cond() != b.get(i).stmt().cond() || a.get(i).then() != b.get(i).then()) {
                return false;
            }
        }
        return true;
    }

    private void countMemories() {
        for (Mem m : module.mems()) {
            ram(m.type().width(), m.depth(), m.reads().size());
        }
        for (Rom r : module.roms()) {
            boolean registered = r.reads().stream().allMatch(p -> p.enable() != null);
            rom(r.type().width(), r.depth(), r.reads().size(), registered);
        }
    }

    /** Block RAM units for {@code width x depth} per read port, the cheapest of the family's shapes. */
    private long blockRams(int width, int depth, int readPorts) {
        int[][] shapes = target.isIce40() ? new int[][] {{256, 16}, {512, 8}, {1024, 4}, {2048, 2}}
                : new int[][] {{512, 36}, {1024, 18}, {2048, 9}, {4096, 4}, {8192, 2}, {16384, 1}};
        long best = Long.MAX_VALUE;
        for (int[] s : shapes) {
            best = Math.min(best, (long) ceilDiv(depth, s[0]) * ceilDiv(width, s[1]) * readPorts);
        }
        return best;
    }

    /**
     * A memory written and read through a register. iCE40: an EBR when its bits cost more as logic
     * than the EBRs (Yosys' memory_libmap prices an EBR at 64 bits), and then Yosys keeps the old
     * data on a read of the address being written (EBRs leave it undefined) with a register of the
     * write data, one of the read data and an address match; else flip-flops and read multiplexers.
     * Xilinx: block RAM when large, else LUT RAM (RAM32M/RAM64M on 7-series, RAM32M16/RAM64M8 on
     * UltraScale+, one SDP port group each) and the read register.
     */
    private void ram(int width, int depth, int readPorts) {
        long bits = (long) width * depth;
        if (target.isIce40()) {
            long ebrs = blockRams(width, depth, readPorts);
            if (bits * readPorts > 64 * ebrs) {
                add(Resource.BRAM, ebrs);
                add(Resource.FF, (2L * width + 3) * readPorts);
                add(Resource.LUT, 2L * readPorts);
            } else {
                add(Resource.FF, bits + (long) width * readPorts);
                add(Resource.LUT, Math.round(width * (depth - 1) * 0.6) * readPorts + depth);
            }
            return;
        }
        if (bits > 4096 && depth > 64) {
            add(Resource.BRAM, blockRams(width, depth, readPorts));
            return;
        }
        boolean ultraScale = target == Target.XCUP;
        long luts;
        if (depth <= 32) {
            luts = ultraScale ? 8L * ceilDiv(width, 14) : 4L * ceilDiv(width, 6);
        } else if (depth <= 64) {
            luts = ultraScale ? 8L * ceilDiv(width, 7) : 4L * ceilDiv(width, 3);
        } else {
            luts = 2L * width * ceilDiv(depth, 64); // RAM64X1D per bit and 64 words
        }
        add(Resource.LUT, luts * readPorts);
        add(Resource.FF, (long) width * readPorts);
    }

    /** A constant table: block RAM when large and read through a register, else LUTs (and the read register). */
    private void rom(int width, int depth, int readPorts, boolean registeredRead) {
        long bits = (long) width * depth;
        // Yosys puts every registered-read table in iCE40 EBR; on Xilinx small ones go to LUTs
        if (registeredRead && (target.isIce40() || bits > 4096 && depth > 64)) {
            add(Resource.BRAM, blockRams(width, depth, readPorts));
            return;
        }
        int entriesPerLut = target.isIce40() ? 16 : 64;
        add(Resource.LUT, (long) width * ceilDiv(depth, entriesPerLut) * readPorts);
        if (registeredRead) {
            add(Resource.FF, (long) width * readPorts);
        }
    }

    /** LUT levels of a k-input tree over {@code n} inputs. */
    int treeLevels(int n) {
        int levels = 0;
        for (long reach = 1; reach < n; reach *= target.lutInputs()) {
            levels++;
        }
        return levels;
    }

    /**
     * LUTs of an adder: one per bit of its carry chain ({@link #carryBits}); on Xilinx none when one
     * operand is a constant (the carry chain's select inputs take the other operand directly). A
     * one-bit operand added into a further sum becomes that adder's carry-in (Yosys' alumacc merges
     * the two sums), so its own adder costs nothing.
     */
    private long addLuts(Op op) {
        boolean constant = op.operand(0) instanceof Const || op.operand(1) instanceof Const;
        Op next = soleConsumer(op);
        boolean carryIn = significantWidth(op.operand(0)) == 1 || significantWidth(op.operand(1)) == 1;
        if (isZero(op.operand(1)) || constant && !target.isIce40()
                || carryIn && next != null && (next.kind() == Op.Kind.ADD || next.kind() == Op.Kind.SUB)) {
            return 0;
        }
        if (!target.isIce40()) {
            // above both operands' significant bits every carry-chain select input is the same (their
            // extension bits combined): one LUT serves them all, the top operand bit's own
            int operands = Math.max(significantWidth(op.operand(0)), significantWidth(op.operand(1)));
            return Math.min(carryBits(op), Math.max(0, operands - lowBit(op)));
        }
        return carryBits(op);
    }

    /**
     * Bits of an adder's carry chain: its demanded bits above the lowest one, and above the known
     * zero low bits of one operand (below them the sum is the other operand).
     */
    int carryBits(Op op) {
        int below = lowBit(op);
        for (int i = 0; i < 2; i++) {
            below = Math.max(below, knownZeroLowBits(op.operand(i)));
        }
        return Math.max(0, demand.getOrDefault(op, 0) - below);
    }

    /**
     * Low bits of a value that are zero whatever its inputs: below a constant shift, and on Xilinx
     * below a constant factor's trailing zeros (on iCE40 alumacc folds the product into a $macc
     * whose adder keeps every bit, measured on Fir5).
     */
    private int knownZeroLowBits(Expr e) {
        if (strip(e) instanceof Op op) {
            if (op.kind() == Op.Kind.SHL) {
                return op.p0();
            }
            BigInteger c = op.kind() == Op.Kind.MUL && !target.isIce40() ? constantFactor(op) : null;
            if (c != null && c.signum() != 0) {
                return c.getLowestSetBit();
            }
        }
        return 0;
    }

    /**
     * LUTs of a barrel shifter. Yosys builds one stage of 2:1 multiplexers per bit of the amount
     * (the shift by 1 first) and keeps of each stage the bits that carry data and reach the
     * demanded result; ABC packs two stages into a LUT6 (with F7 muxes: 0.55 LUT per multiplexer
     * bit, measured) and about one into a LUT4 (0.9).
     */
    private long shifterLuts(Op op) {
        boolean left = op.kind() == Op.Kind.DSHL;
        int in = op.operand(0).width();
        int lo = lowBit(op);
        int hi = demand.getOrDefault(op, 0);
        long muxBits = 0;
        for (int i = Math.min(op.operand(1).width(), 30) - 1; i >= 0; i--) {
            // bits of this stage's output that can be non-zero after shifts of up to 2^(i+1) - 1
            int outLo = lo;
            int outHi = left ? Math.min(hi, in + (1 << (i + 1)) - 1) : Math.min(hi, in);
            muxBits += Math.max(0, outHi - outLo);
            lo = left ? Math.max(0, outLo - (1 << i)) : outLo;
            hi = left ? outHi : Math.min(in, outHi + (1 << i));
        }
        return Math.round(muxBits * (target.lutInputs() == 6 ? 0.55 : 0.9));
    }

    /** LUTs of a reduction tree of n inputs with k-input LUTs. */
    private static long treeLuts(int n, int k) {
        return n <= 1 ? 0 : ceilDiv(n - 1, k - 1);
    }

    /** Mux levels of a barrel shifter (a LUT6 resolves two shift stages, a LUT4 one). */
    int shiftLevels(Op op) {
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

package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.SignalMap;
import dev.qforge.dsl.Stmt;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Costs the combinational logic of a module: each live operator at its demanded bits (cones,
 * adders, comparators, multipliers, shifters), then the select in front of each signal with
 * several drivers and the clock enable of each register that holds its value.
 */
final class LogicCost {
    private final Liveness liveness;
    private final LutCones cones;
    private final DspAbsorption dsps;
    private final Tally tally;
    private final ConditionLeaves leaves;
    private final Target target;
    /** Inputs of the per-bit select in front of each signal with several drivers (by serial: the timing model asks per signal). */
    private final SignalMap<Integer> selectInputs;
    /** Operators that repeat an earlier one, with the one they repeat ({@link #repeats()}). */
    private final Map<Op, Op> repeats;
    /** The load conditions whose clock enable is built already (see {@link #enableBuilt}). */
    private final Set<IdentityList> enables = new HashSet<>();

    LogicCost(Liveness liveness, Arithmetic arithmetic, LutCones cones, DspAbsorption dsps, ConditionLeaves leaves, Tally tally) {
        this.liveness = liveness;
        this.leaves = leaves;
        this.target = arithmetic.target();
        this.cones = cones;
        this.dsps = dsps;
        this.tally = tally;
        this.selectInputs = new SignalMap<>(liveness.module());
        this.repeats = repeats();
        countOperators(arithmetic);
        for (Liveness.LiveTarget t : liveness.liveTargets()) {
            countSelectAndEnable(t.signal(), t.drivers());
        }
    }

    /** Inputs of the per-bit select in front of a signal with several drivers (0 with one driver). */
    int selectInputs(Signal s) {
        Integer inputs = selectInputs.get(s);
        return inputs == null ? 0 : inputs;
    }

    /**
     * Whether a register's values are sums and differences of itself with constants (an up/down
     * counter): Yosys' opt_share makes them one $alu whose operand the select chooses per bit, so
     * ABC computes the select's conditions again in each bit's LUTs (see {@link ConditionLeaves}).
     */
    private static boolean countsBothWays(Signal s, Set<Expr> data) {
        if (s.kind() != Signal.Kind.REG || data.size() < 2) {
            return false;
        }
        for (Expr v : data) {
            if (!(Operators.strip(v) instanceof Op sum && Operators.isAdder(sum) && Operators.strip(sum.operand(0)) == s
                    && Operators.strip(sum.operand(1)) instanceof Const)) {
                return false;
            }
        }
        return true;
    }

    private static List<Expr> conditions(Set<Stmt.If> ifs) {
        return ifs.stream().map(Stmt.If::cond).toList();
    }

    /** An operator as Yosys' opt_merge compares cells: its kind, parameters, type and (merged) operands. */
    private record Cell(Op.Kind kind, int p0, int p1, int width, boolean signed, IdentityList operands) { }

    /**
     * Operators that repeat an earlier one (same kind, parameters and operands, the operands' own
     * repeats resolved), each with the operator it repeats: Yosys' opt_merge keeps one cell, so a
     * repeat costs nothing (a stream's fire() written twice, one address decoder per lane).
     */
    private Map<Op, Op> repeats() {
        Map<Op, Op> first = new IdentityHashMap<>();
        Map<Cell, Op> cells = new HashMap<>();
        for (Op op : liveness.postOrder()) {
            Object[] operands = new Object[op.operandCount()];
            for (int i = 0; i < operands.length; i++) {
                Expr x = op.operand(i);
                operands[i] = x instanceof Const c ? List.of(c.value(), c.width()) : x instanceof Op o ? first.getOrDefault(o, o) : x;
            }
            Op earlier = cells.putIfAbsent(new Cell(op.kind(), op.p0(), op.p1(), op.width(), op.isSigned(), new IdentityList(operands)), op);
            if (earlier != null) {
                first.put(op, earlier);
            }
        }
        return first;
    }

    /** Operands compared by identity (signals and operators have no equality of their own; constants come as value lists). */
    record IdentityList(Object[] items) {
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof IdentityList other) || other.items.length != items.length) {
                return false;
            }
            for (int i = 0; i < items.length; i++) {
                if (items[i] instanceof List<?> l ? !l.equals(other.items[i]) : items[i] != other.items[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = 1;
            for (Object x : items) {
                h = 31 * h + (x instanceof List<?> l ? l.hashCode() : System.identityHashCode(x));
            }
            return h;
        }
    }

    private void countOperators(Arithmetic arithmetic) {
        Map<Signal, Integer> resetInputs = new IdentityHashMap<>();
        for (Op op : liveness.postOrder()) {
            int d = liveness.demandedBits(op);
            if (d == 0 || dsps.isAbsorbed(op) || cones.isMerged(op) || cones.inSumLuts(op) || repeats.containsKey(op)
                    || cones.isFoldedToConstant(op) || cones.decoders().isOutput(op)) {
                continue;
            }
            Signal reset = cones.resetOf(op);
            if (reset != null) {
                // the data passes straight to the flip-flop; its select joins the reset condition
                resetInputs.merge(reset, cones.muxSelectInputs(op), Integer::sum);
                continue;
            }
            if (Operators.isLogic(op, target)) {
                tally.add(Resource.LUT, cones.bitwiseLuts(op, liveness.lowBit(op), liveness.lowBit(op) + d));
                continue;
            }
            switch (op.kind()) {
                case ADD: case SUB:
                    tally.add(Resource.LUT, arithmetic.addLuts(op));
                    break;
                case LT: case LE: {
                    CarryCompare cmp = target.isIce40() ? CarryCompare.of(op) : null;
                    LookaheadCompare lcu = target.isIce40() ? null : LookaheadCompare.of(op, target.lutInputs());
                    VariableCompare chain = target.isIce40() ? null : VariableCompare.of(op, target.lutInputs(), liveness.known());
                    tally.add(Resource.LUT, cmp != null ? arithmetic.compareLuts(op, cmp) : lcu != null ? lcu.luts()
                            : chain != null ? chain.luts() : Math.max(op.operand(0).width(), op.operand(1).width()));
                    break;
                }
                case MUL: {
                    int dsp = arithmetic.dspCount(op);
                    tally.add(Resource.DSP, dsp);
                    tally.add(Resource.LUT, dsp > 0 ? arithmetic.dspTileAdderLuts(op, dsp) : arithmetic.softMultiplierLuts(op));
                    break;
                }
                case DSHL: case DSHR:
                    tally.add(Resource.LUT, arithmetic.isOneHot(op) ? arithmetic.oneHotLuts(op)
                            : arithmetic.shifterLuts(op) + FoldedShiftAmount.extraLuts(op, arithmetic, cones, liveness));
                    break;
                default:
                    break; // SHL, SLICE, CAT, EXTEND, RETYPE are wiring
            }
        }
        resetInputs.values().forEach(n -> tally.add(Resource.LUT, cones.lutsFor(n)));
        tally.add(Resource.LUT, cones.decoderLuts());
    }

    /**
     * Whether a register loaded by {@code d} alone shares the clock enable of one costed before: the
     * same conditions on the same sides (repeated operators resolved), which opt_merge builds once
     * (the quantize unit's two lanes of buffer registers, written under one address decode: 32
     * enables in Yosys, not 64). Records {@code d}'s conditions otherwise.
     */
    private boolean enableBuilt(Drivers.Driver d) {
        Object[] key = new Object[2 * d.path().size()];
        for (int i = 0; i < d.path().size(); i++) {
            Expr cond = d.path().get(i).stmt().cond();
            key[2 * i] = cond instanceof Op op ? repeats.getOrDefault(op, op) : cond;
            key[2 * i + 1] = d.path().get(i).then();
        }
        return !enables.add(new IdentityList(key));
    }

    /**
     * The logic in front of a signal with several drivers, and of a register's clock enable. Per
     * bit, a select among the drivers' values by the conditions that tell them apart (conditions
     * on every driver's path gate them all: for a register they are its clock enable). A register
     * none of whose drivers is unconditional holds its value through its enable, which ORs its
     * conditions together.
     */
    private void countSelectAndEnable(Signal s, List<Drivers.Driver> ds) {
        if (ds.size() == 1 && ds.get(0).isUnconditional()) {
            return; // no select and no enable: most signals of a large array, so the sets below are not built for them
        }
        // one driver: no select, and one value at most (most registers of a large array, loaded under an enable)
        Set<Expr> data = ds.size() > 1 ? countSelect(s, ds) : Set.of();
        boolean holds = s.kind() == Signal.Kind.REG && EnableNets.hasEnable(ds);
        if (holds && !dsps.isAbsorbed(s) && !(ds.size() == 1 && enableBuilt(ds.get(0)))) {
            Set<Stmt.If> enabling = Collections.newSetFromMap(new IdentityHashMap<>(4));
            enabling.addAll(EnableNets.enabling(ds));
            if (enabling.stream().anyMatch(i -> i.cond() instanceof Op op && cones.decoders().isOutput(op))) {
                return; // one of a decoder's outputs, counted with it
            }
            int enableLeaves = enabling.size() > 1 && countsBothWays(s, data) ? leaves.of(conditions(enabling)) : -1;
            tally.add(Resource.LUT, enableLeaves > enabling.size() ? cones.wideLuts(enableLeaves) : cones.lutsFor(enabling.size()));
        }
    }

    /** Counts the select in front of a signal with several drivers; returns the drivers' values other than constants. */
    private Set<Expr> countSelect(Signal s, List<Drivers.Driver> ds) {
        // Sized for the few conditionals and values of one signal: a large array has ~10^5 such signals, and the
        // default sizes made these sets most of the estimator's allocation.
        Set<Stmt.If> all = Collections.newSetFromMap(new IdentityHashMap<>(4));
        Set<Stmt.If> common = null;
        Set<Expr> data = Collections.newSetFromMap(new IdentityHashMap<>(4));
        for (Drivers.Driver d : ds) {
            Set<Stmt.If> path = Collections.newSetFromMap(new IdentityHashMap<>(4));
            for (int i = 0; i < d.path().size(); i++) { // indexed, as in Liveness.forEachRoot
                path.add(d.path().get(i).stmt());
            }
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
        int distinguishing = all.size() - common.size();
        if (ds.size() == 2 && data.size() == 1 && (ds.get(0).assign().value() instanceof Const || ds.get(1).assign().value() instanceof Const)
                && !GatedReset.inData(target, ds)) {
            // a constant and one value: the constant's condition (with the register's own reset) becomes the flip-flop's
            // synchronous set/reset, unless the enable gates it (GatedReset): then each bit's select takes it in
            tally.add(Resource.LUT, cones.lutsFor(distinguishing - 1 + (s.resetValue() != null ? 1 : 0)));
        } else {
            Set<Stmt.If> telling = Collections.newSetFromMap(new IdentityHashMap<>(4));
            telling.addAll(all);
            telling.removeAll(common);
            int inputs = distinguishing + data.size();
            if (countsBothWays(s, data)) {
                inputs = Math.max(distinguishing, leaves.of(conditions(telling))) + data.size();
            }
            selectInputs.put(s, inputs);
            tally.add(Resource.LUT, (long) liveness.liveWidth(s) * cones.lutsFor(inputs));
        }
        return data;
    }
}

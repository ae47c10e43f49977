package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Target;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.qforge.generators.report.estimate.Operators.ceilDiv;
import static dev.qforge.generators.report.estimate.Operators.isLogic;
import static dev.qforge.generators.report.estimate.Operators.isWiring;
import static dev.qforge.generators.report.estimate.Operators.settledLowBits;
import static dev.qforge.generators.report.estimate.Operators.significantWidth;
import static dev.qforge.generators.report.estimate.Operators.unwire;

/**
 * Random logic as ABC packs it into LUTs: bitwise and compare operators form cones, an operator
 * that alone reads another absorbs it into its own LUTs, and a cone costs a LUT tree over its
 * inputs per result bit. Multiplexers with a constant arm in front of a flip-flop become its
 * synchronous reset; networks of one-bit XORs share their terms.
 */
final class LutCones {
    private final Target target;
    private final Liveness liveness;
    /** Per-bit inputs of each logic operator's cone (its merged operands included). */
    private final Map<Op, Integer> support = new IdentityHashMap<>();
    /** Multiplexers between two values heading a tree of them (merged into their data arms), with the tree's 2:1 multiplexers, themselves included. */
    private final Map<Op, Integer> muxTree = new IdentityHashMap<>();
    /** Multiplexers choosing only among constants, directly or through the multiplexers they absorb (an encoder's index tree). */
    private final Set<Op> constantChoices = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Logic operators that ABC packs into the LUTs of their only consumer. */
    private final Set<Op> merged = Collections.newSetFromMap(new IdentityHashMap<>());
    /**
     * The distinct bits one result bit of a bitwise cone reads (absent when a reduction or a tree of
     * multiplexers is merged into it): a LUT input is a net, so a bit the cone reads twice is one
     * input. The float rounder's packing (nan ? NaN : inf or overflow ? +-inf : zero ? +-0 : packed)
     * reads the sign in three arms and the zero flag in two selects: 6 inputs, a LUT6 per bit, as
     * in Yosys, where the sum of its operands' inputs made it two (16 LUTs more per rounder).
     */
    private final Map<Op, Set<Input>> leaves = new IdentityHashMap<>();
    /** The operand expressions a bitwise cone reads (those behind {@link #leaves}, or a tree of multiplexers' with each select's copies), a multi-bit one read at the result bit's own position, for {@link #bitwiseLuts}. */
    private final Map<Op, List<Expr>> leafOperands = new IdentityHashMap<>();
    /** Multiplexers with a constant arm that become a flip-flop's synchronous reset, with the flip-flop they feed. */
    private final Map<Op, Signal> resetMuxes = new IdentityHashMap<>();
    private final KnownBits known;
    /** Write-address decoders, whose compares are the registers' enables. */
    private final Decoders decoders;

    LutCones(Module module, Target target, Drivers drivers, Liveness liveness, Decoders decoders) {
        this.target = target;
        this.liveness = liveness;
        this.known = liveness.known();
        this.decoders = decoders;
        findResetMuxes(module, drivers);
        findXorNetworks();
        for (Op op : liveness.postOrder()) {
            if (isLogic(op, target) && !support.containsKey(op) && !merged.contains(op)) {
                support.put(op, coneSupport(op));
            }
        }
    }

    /**
     * Whether Yosys folds this operator away: every bit read of it is known whatever the inputs, or
     * it is a multiplexer whose select is known (its value is then one arm's, wiring).
     */
    boolean isFoldedToConstant(Op op) {
        return known.allKnown(op, liveness.lowBit(op), liveness.demand(op))
                || op.kind() == Op.Kind.MUX && known.of(op.operand(0)).known(0);
    }

    /** The module's write-address decoders. */
    Decoders decoders() {
        return decoders;
    }

    /** LUTs of the module's write-address decoders on this target, enables included. */
    long decoderLuts() {
        return decoders.luts(target);
    }

    /** Whether ABC packs this logic operator into the LUTs of its only consumer. */
    boolean isMerged(Op op) {
        return merged.contains(op);
    }

    /** The flip-flop whose synchronous reset this multiplexer becomes, or null. */
    Signal resetOf(Op mux) {
        return resetMuxes.get(mux);
    }

    /** Whether this operator costs no LUT level of its own: inside its consumer's LUT, or a flip-flop's reset. */
    boolean isFolded(Op op) {
        return merged.contains(op) || resetMuxes.containsKey(op) || inSumLuts(op);
    }

    /**
     * Whether a multiplexer is packed into the LUT4s of the sum it selects: on iCE40 a sum bit is a
     * LUT4 beside its SB_CARRY reading at most three inputs (a, b, carry), so a choice between the sum
     * and a constant by a one-input select fits the same LUT (measured on SyncFifo's pointers, {@code
     * wptr == 15 ? 0 : wptr + 1}: Yosys 0.23 maps each to 4 sum LUT4s and the compare, 5 LUTs).
     */
    boolean inSumLuts(Op op) {
        if (!target.isIce40() || op.kind() != Op.Kind.MUX || resetMuxes.containsKey(op) || muxSelectInputs(op) != 1) {
            return false;
        }
        for (int i = 1; i <= 2; i++) {
            if (unwire(op.operand(i)) instanceof Const && unwire(op.operand(3 - i)) instanceof Op sum && Operators.isAdder(sum)
                    && liveness.soleConsumer(sum) == op) {
                return true;
            }
        }
        return false;
    }

    /** Inputs of the cone a logic operator heads. */
    int coneInputs(Op op) {
        return support.get(op);
    }

    /** LUTs of one output bit of a cone with {@code inputs} inputs: a tree of k-input LUTs. */
    long lutsFor(int inputs) {
        return inputs <= 1 ? 0 : ceilDiv(inputs - 1, target.lutInputs() - 1);
    }

    /** LUTs of one function of {@code inputs} inputs that ABC maps as one level: on UltraScale+ 8 or 9 inputs are a LUT8 or LUT9 (4 or 8 LUT6s joined by MUXF7/F8/F9). */
    long wideLuts(int inputs) {
        return target == Target.XCUP && inputs >= 8 && inputs <= 9 ? 1L << (inputs - 6) : lutsFor(inputs);
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
     * LUTs of one result bit of a cone: a LUT tree over its inputs, but on iCE40 a runtime index
     * into eight or more values (a tree of 2:1 multiplexers) takes ABC about 0.8 LUT4 per
     * multiplexer (16:1 measured at 12.6 per bit, 32:1 at 24.9; 8:1 at 5, 0.71), more than the tree over its inputs: a 2:1
     * multiplexer is a LUT3, and two do not share a LUT4; not when the tree chooses only among
     * constants (the index tree of a leading-one encoder), where each result bit is a function of the
     * selects alone, a LUT tree over them. On UltraScale+ ABC maps a cone of 8 or 9
     * inputs, for its single level, as one wide LUT (4 or 8 LUT6s joined by MUXF7/F8/F9; measured
     * on the OS engines' result drain, where 7-series keeps the LUT tree).
     */
    long coneLuts(Op op) {
        int muxes = muxTree.getOrDefault(op, 1);
        if (target.isIce40() && muxes + 1 >= 8 && !constantChoices.contains(op)) {
            // under 16 choices ABC builds 4:1 multiplexers of two LUT4s (one resolves a select, passing the
            // other half on) joined by 2:1s: 8:1 takes 5 LUT4s a bit (155 for 31 bits, Yosys 0.23)
            // from 16 choices on, each further 2:1 multiplexer takes about 0.77 LUT4 (16:1 at 12.6 a bit, 32:1, a 32-slot
            // register file read, at 24.9 in Yosys 0.23: 448 LUT4s for 18 bits)
            return Math.max(lutsFor(support.get(op)), Math.round(muxes + 1 < 16 ? 5.0 / 7 * muxes : 0.77 * muxes + 1.05));
        }
        int n = support.get(op);
        return decomposes(op) ? lutsFor(n) : wideLuts(n);
    }

    /**
     * LUTs of result bits {@code low} to {@code high - 1} of a bitwise cone, each bit a LUT tree over
     * the inputs that bit reads: an operand shifted, extended or sliced into place reads no net at
     * the bits its wiring fills with constants. ABC maps each output bit on its own, so the float
     * rounder's packing ({@code sel ? C | sign << 15 : zero ? sign << 15 : sum | sign << 15}) reads
     * the sign at bit 15 alone: a LUT4 per bit on iCE40, where the inputs of all bits together
     * (five) made it two (dequant mxfp4 on the UP5K, two such rounders: 436 LUT4s estimated before,
     * 406 so, 371 in Yosys 0.23).
     */
    long bitwiseLuts(Op op, int low, int high) {
        List<Expr> operands = leafOperands.get(op);
        int n = support.get(op);
        boolean encoder = constantChoices.contains(op);
        if (op.width() == 1 || operands == null || target.isIce40() && muxTree.getOrDefault(op, 1) + 1 >= 8 && !encoder) {
            return (long) (op.width() == 1 ? 1 : high - low) * coneLuts(op);
        }
        long luts = 0;
        boolean distinct = leaves.containsKey(op); // a tree of multiplexers reads a copy of its selects per multiplexer (see coneSupport)
        for (int j = low; j < high; j++) {
            if (encoder) {
                Object bit = choiceBit(op, j);
                // a sum of products of its selects, which ABC splits into a LUT tree: no wide LUT on xcup (the rounder's count, 10 LUTs there as on xc7)
                luts += bit instanceof Set<?> selects ? lutsFor(Math.min(n, selects.size())) : 0;
                continue;
            }
            if (op.kind() == Op.Kind.MUX && isArmBit(op, j)) {
                continue;
            }
            List<Leaf> read = new ArrayList<>();
            for (Expr e : operands) {
                int bit = e.width() == 1 ? 0 : j;
                if (!known.of(e).known(bit)) {
                    read.add(source(e, bit));
                }
            }
            int inputs = Math.min(n, distinct ? new HashSet<>(read).size() : read.size());
            luts += decomposes(op) ? lutsFor(inputs) : wideLuts(inputs);
        }
        return luts;
    }

    /**
     * Bit {@code j} of a multiplexer tree choosing among constants (an encoder's index): the constant
     * (a Boolean) when every choice agrees on it, else the selects it reads. A multiplexer whose arms
     * agree on the bit is that bit (ABC hashes it away), so each index bit of a leading-one encoder
     * reads only the selects that tell apart indices differing in it: the bf16 rounder's 12-bit
     * leading-zero count takes 1, 2, 3 and 4 LUT4s for its bits 3 to 0 (13 LUT4s in Yosys 0.23 with
     * the zero test, 10 LUTs on xc7), not 4 each over all eleven selects.
     */
    private Object choiceBit(Op mux, int j) {
        Object[] arms = new Object[2];
        for (int i = 1; i <= 2; i++) {
            Expr x = unwire(mux.operand(i));
            arms[i - 1] = x instanceof Const c ? (Object) c.value().testBit(j)
                    : x instanceof Op arm && constantChoices.contains(arm) ? choiceBit(arm, j) : Set.of(input(mux.operand(i)));
        }
        if (arms[0] instanceof Boolean a && a.equals(arms[1])) {
            return a;
        }
        Set<Input> selects = new HashSet<>();
        Expr sel = unwire(mux.operand(0));
        Set<Input> selLeaves = sel instanceof Op s && merged.contains(s) ? leaves.get(s) : null;
        if (selLeaves != null) {
            selects.addAll(selLeaves);
        } else {
            selects.add(input(mux.operand(0)));
        }
        for (Object arm : arms) {
            if (arm instanceof Set<?> armSelects) {
                armSelects.forEach(x -> selects.add((Input) x));
            }
        }
        return selects;
    }

    /**
     * Whether bit {@code j} of a multiplexer is its data arm's bit whatever the select: the select
     * tests that arm for a constant ({@code x == K ? C : x}, or {@code |x ? x : C} for K = 0) and C
     * agrees with K there, so both arms hold the same bit whenever the constant is chosen. ABC's
     * choice computation (dch) proves the equivalence and keeps the wire: the dequantizers' {@code
     * e == 0 ? 1 : e} (a subnormal's exponent) is one LUT, at bit 0, not eight (Yosys 0.23: that
     * exponent less 134, 11 LUT4s on the UP5K, where eight for the multiplexer and ten for the
     * difference were counted).
     */
    private boolean isArmBit(Op mux, int j) {
        Expr sel = unwire(mux.operand(0));
        if (!(sel instanceof Op test)) {
            return false;
        }
        Expr tested;
        Expr constant;
        Expr data;
        BigInteger k;
        if (test.kind() == Op.Kind.EQ && unwire(test.operand(1)) instanceof Const c) {
            tested = test.operand(0);
            k = c.value();
            constant = mux.operand(1);
            data = mux.operand(2);
        } else if (test.kind() == Op.Kind.REDUCE_OR) {
            tested = test.operand(0);
            k = BigInteger.ZERO;
            constant = mux.operand(2);
            data = mux.operand(1);
        } else {
            return false;
        }
        KnownBits.Bits c = known.of(constant);
        if (!c.known(j) || c.value().testBit(j) != k.testBit(j) || j >= tested.width() || j >= data.width()
                || unwire(data) instanceof Op arm && merged.contains(arm)) {
            return false;
        }
        return source(tested, j).equals(source(data, j));
    }

    /** The net behind bit {@code bit} of {@code e}, through its wiring (a bit above an extended or shifted operand's width: its top bit). */
    private static Leaf source(Expr e, int bit) {
        Expr x = e;
        int b = bit;
        while (x instanceof Op op && isWiring(op)) {
            if (op.kind() == Op.Kind.CAT) {
                int i = op.operandCount() - 1; // the last part is the least significant
                while (i > 0 && b >= op.operand(i).width()) {
                    b -= op.operand(i).width();
                    i--;
                }
                x = op.operand(i);
            } else {
                b += bitOffset(op);
                x = op.operand(0);
            }
            b = Math.max(0, Math.min(b, x.width() - 1));
        }
        return new Leaf(x, b);
    }

    /**
     * Whether a cone splits into a tree of smaller LUTs at no loss: an AND, OR or XOR of its inputs,
     * a reduction or an equality (every input enters alike), its merged operands of the same kind. ABC
     * (Yosys 0.23's synth_xilinx prices a LUT7 as two LUT6s and a LUT8 as four) maps such a cone of 8
     * or 9 inputs as a LUT6 and a small LUT, not as one wide LUT: the grouped dequantizer's scale
     * checks (an 8-bit exponent field all ones, all zeros, and that with the 7-bit mantissa zero or
     * not) take about 5 LUTs in Yosys on xcup, where wide LUTs would take 20.
     */
    private boolean decomposes(Op op) {
        if (op.kind() == Op.Kind.MUX) {
            return false;
        }
        for (int i = 0; i < op.operandCount(); i++) {
            if (unwire(op.operand(i)) instanceof Op child && merged.contains(child) && isLogic(child, target) && !decomposes(child)) {
                return false;
            }
        }
        return true;
    }

    /**
     * LUT levels of the cone a logic operator heads: a LUT tree over its inputs, but on iCE40 a tree
     * of 2:1 multiplexers takes a level per multiplexer level (a 4:1 multiplexer has six inputs, more
     * than a LUT4 holds).
     */
    int coneLevels(Op op) {
        int levels = Math.max(1, treeLevels(support.get(op)));
        int muxes = muxTree.getOrDefault(op, 1);
        return target.isIce40() ? Math.max(levels, 32 - Integer.numberOfLeadingZeros(muxes)) : levels;
    }

    /** Inputs of a multiplexer's select cone. */
    int muxSelectInputs(Op mux) {
        Expr sel = unwire(mux.operand(0));
        return sel instanceof Op op && merged.contains(op) ? support.get(op) : 1;
    }

    /**
     * Inputs per result bit of {@code op}'s cone: its leaves (signals, arithmetic results, shared
     * logic) and the inputs of the logic operands it absorbs. An operand is absorbed when {@code op}
     * alone reads it; a one-bit select of a wide multiplexer only when the bit's LUT still fits.
     */
    private int coneSupport(Op op) {
        int k = target.lutInputs();
        boolean reduces = reduces(op);
        int total = 0;
        int muxes = 1;
        Set<Input> bits = reduces ? null : new HashSet<>();
        List<Expr> operands = reduces ? null : new ArrayList<>();
        boolean constantChoice = op.kind() == Op.Kind.MUX;
        for (int i = 0; i < op.operandCount(); i++) {
            Expr x = unwire(op.operand(i));
            if (i > 0 && !(x instanceof Const) && !(x instanceof Op arm && constantChoices.contains(arm) && liveness.soleConsumer(arm) == op)) {
                constantChoice = false;
            }
            if (x instanceof Const || known.allKnown(op.operand(i), 0, op.operand(i).width())) {
                continue;
            }
            int perBit = 1;
            Set<Input> childBits = null;
            // a reset multiplexer's data arm stays logic of its own: the flip-flop's reset takes the select alone
            boolean resetData = i > 0 && resetMuxes.containsKey(op);
            if (x instanceof Op child && isLogic(child, target) && liveness.soleConsumer(child) == op && !resetMuxes.containsKey(child) && !resetData) {
                int s = support.get(child);
                boolean select = op.kind() == Op.Kind.MUX && i == 0 && op.width() > 1;
                if (!select || s + 2 <= k) {
                    merged.add(child);
                    perBit = s;
                    childBits = leaves.get(child);
                    if (childBits == null) {
                        bits = null;
                    }
                    if (op.kind() == Op.Kind.MUX && child.kind() == Op.Kind.MUX && i > 0) {
                        muxes += muxTree.getOrDefault(child, 1);
                    }
                }
            }
            if (bits != null) {
                if (childBits != null) {
                    bits.addAll(childBits);
                } else {
                    bits.add(input(op.operand(i)));
                }
            }
            if (operands != null) {
                List<Expr> childOperands = x instanceof Op child && merged.contains(child) ? leafOperands.get(child) : List.of(op.operand(i));
                boolean aligned = childOperands != null && op.operand(i).width() == (i == 0 && op.kind() == Op.Kind.MUX ? 1 : op.width());
                if (aligned) {
                    operands.addAll(childOperands);
                } else {
                    operands = null;
                }
            }
            int w = significantWidth(op.operand(i));
            int unread = settledLowBits(op);
            total += reduces ? perBit * (known.unknownBits(op.operand(i), w) - known.unknownBits(op.operand(i), unread)) : perBit;
        }
        boolean selects = op.kind() == Op.Kind.MUX && !(unwire(op.operand(1)) instanceof Const) && !(unwire(op.operand(2)) instanceof Const);
        if (bits != null && !(muxes > 1 && selects)) {
            // a tree of multiplexers keeps its count: ABC builds it of 4:1 multiplexers, each LUT reading its own copy of the selects
            // (16:1 x 16 bits: 93 LUT6s in Yosys, 96 counted so, 64 over distinct inputs)
            leaves.put(op, bits);
            total = Math.min(total, bits.size());
        }
        if (operands != null) {
            leafOperands.put(op, operands);
        }
        if (constantChoice) {
            constantChoices.add(op);
        }
        if (muxes > 1 && selects) {
            muxTree.put(op, muxes);
        }
        return total;
    }

    /** Whether each result bit of {@code op} reads every bit of its operands (a reduction or comparison). */
    private static boolean reduces(Op op) {
        return op.width() == 1 && op.kind() != Op.Kind.AND && op.kind() != Op.Kind.OR
                && op.kind() != Op.Kind.XOR && op.kind() != Op.Kind.NOT && op.kind() != Op.Kind.MUX;
    }

    /**
     * Per-bit inputs operand {@code i} brings into the cone {@code op} heads: a merged operand's own
     * inputs, a constant none. They sum to {@link #coneInputs} except on XOR networks (shared terms)
     * and cones that read a bit twice.
     */
    int operandInputs(Op op, int i) {
        Expr x = unwire(op.operand(i));
        if (x instanceof Const) {
            return 0;
        }
        int perBit = x instanceof Op child && merged.contains(child) ? support.getOrDefault(child, 1) : 1;
        return reduces(op) ? perBit * (significantWidth(op.operand(i)) - settledLowBits(op)) : perBit;
    }

    /** Whether {@code op} heads a tree of 2:1 multiplexers (timed a LUT level per stage on iCE40). */
    boolean headsMuxTree(Op op) {
        return muxTree.containsKey(op);
    }

    /** One bit a XOR network reads: a bit of a signal or operator result. */
    private record Leaf(Expr of, int bit) { }

    /**
     * One input of a bitwise cone: bit {@code bit} of {@code of} for every result bit ({@code fixed}:
     * a one-bit operand, such as a select) or for result bit 0 (bit i then reads bit + i).
     */
    private record Input(Expr of, int bit, boolean fixed) { }

    /** The input an operand of a bitwise operator stands for: the value behind its wiring, and where in it (slices move up, constant shifts down). */
    private static Input input(Expr e) {
        int offset = 0;
        Expr x = e;
        while (x instanceof Op op && isWiring(op) && op.operandCount() == 1) {
            offset += bitOffset(op);
            x = op.operand(0);
        }
        return new Input(x, offset, e.width() == 1);
    }

    /** Where bit 0 of one-operand wiring {@code op} lies in its operand: a slice's low bit, less a constant shift's amount. */
    private static int bitOffset(Op op) {
        return op.kind() == Op.Kind.SLICE ? op.p1() : op.kind() == Op.Kind.SHL ? -op.p0() : 0;
    }

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
    private void findXorNetworks() {
        Map<Op, Set<Leaf>> parity = new IdentityHashMap<>();
        for (Op op : liveness.postOrder()) {
            if (op.kind() != Op.Kind.XOR || op.width() != 1) {
                continue;
            }
            Set<Leaf> bits = new HashSet<>();
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
            List<Op> cs = liveness.consumers(op);
            boolean inside = liveness.wireOf(op) == null && liveness.uses(op) == cs.size() && cs.stream().allMatch(parity::containsKey);
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

    /**
     * Multiplexers with a constant arm in front of a flip-flop without a reset of its own, which
     * Yosys turns into the flip-flop's synchronous reset. On iCE40 always (SB_DFFESR resets only
     * while enabled, as the enable-then-mux reads), nested ones included. On Xilinx FDRE's reset
     * overrides its enable, so behind an enable the reset ANDs the select with the enable: Yosys
     * 0.23 builds that once when the select is a comparison {@code c < x} with a constant c >= 1,
     * but once per bit otherwise (measured; e.g. {@code 0 < x} becomes a reduction first), which
     * costs what the multiplexer would.
     */
    private void findResetMuxes(Module module, Drivers drivers) {
        for (Signal s : module.signals()) {
            List<Drivers.Driver> ds = s.kind() == Signal.Kind.REG && s.resetValue() == null && liveness.liveWidth(s) > 0 ? drivers.of(s) : List.of();
            if (ds.size() != 1) {
                continue;
            }
            Expr v = unwire(ds.get(0).assign().value());
            Const reset = null;
            while (v instanceof Op mux && mux.kind() == Op.Kind.MUX && liveness.uses(mux) == 1
                    && (mux.operand(1) instanceof Const || mux.operand(2) instanceof Const)) {
                if (!target.isIce40() && !ds.get(0).isUnconditional() && !comparesWithNonzeroConstant(mux.operand(0))) {
                    break;
                }
                Const c = (Const) (mux.operand(1) instanceof Const ? mux.operand(1) : mux.operand(2));
                if (reset != null && !reset.value().equals(c.value())) {
                    break; // a flip-flop has one reset value: a nested multiplexer to another constant stays logic
                }
                reset = c;
                resetMuxes.put(mux, s);
                v = unwire(mux.operand(mux.operand(1) instanceof Const ? 2 : 1));
                if (!target.isIce40()) {
                    break;
                }
            }
        }
    }
}

package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Target;

import java.math.BigInteger;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.qforge.generators.report.estimate.Operators.strip;

/**
 * Registers and adders Yosys packs into DSPs around a multiplier mapped to them. On xc7
 * (xilinx_dsp, DSP48E1): registers only DSP multipliers read (A/B input registers; one read by several DSPs is
 * copied into each, measured on the examples/ dequantizer's shared scale), an adder
 * forming an operand (the pre-adder), the adder that alone reads a one-DSP product (the
 * post-adder) and a register that alone reads that sum (P), or that takes product registers
 * straight (P); input registers two stages deep at most, and no adder after a P register. On
 * the UP5K (ice40_dsp, SB_MAC16): input registers without a reset, and the low 16 bits of a register taking a tiled product
 * straight (the first tile's output register). UltraScale+ DSP48E2s absorb none in Yosys 0.23.
 */
final class DspAbsorption {
    /** Adders and registers a DSP absorbs. */
    private final Set<Object> absorbed = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Registers of which a DSP absorbs some bits, with how many. */
    private final Map<Signal, Integer> partlyAbsorbed = new IdentityHashMap<>();
    /** Registers a DSP multiplier reads straight (AREG/BREG, or A2/B2 of two stages). */
    private final Set<Signal> inputRegisters = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Registers taking a one-DSP product straight (MREG): the only registers a post-adder may read on xc7. */
    private final Set<Signal> productRegisters = Collections.newSetFromMap(new IdentityHashMap<>());

    DspAbsorption(Module module, Target target, Drivers drivers, Liveness liveness, Arithmetic arithmetic) {
        if (target == Target.XC7 || target == Target.UP5K) {
            find(module, target, drivers, liveness, arithmetic);
        }
    }

    /** Whether a DSP absorbs this adder or register. */
    boolean isAbsorbed(Object adderOrRegister) {
        // asked per register by several passes: without DSPs (most modules of a large array) no identity hash is taken
        return !absorbed.isEmpty() && absorbed.contains(adderOrRegister);
    }

    /** Bits of a register that a DSP absorbs (0 when none, or the whole register: see {@link #isAbsorbed}). */
    int absorbedBits(Signal register) {
        return partlyAbsorbed.getOrDefault(register, 0);
    }

    private void find(Module module, Target target, Drivers drivers, Liveness liveness, Arithmetic arithmetic) {
        Map<Expr, Signal> registerOf = new IdentityHashMap<>();
        for (Signal s : module.signals()) {
            List<Drivers.Driver> ds = s.kind() == Signal.Kind.REG ? drivers.of(s) : List.of();
            Expr v = ds.size() == 1 && s.width() <= 48 ? ds.get(0).assign().value() : null;
            // the register reads the sum through wiring only
            while (v instanceof Op w && Operators.isWiring(w) && w.operandCount() == 1 && liveness.uses(w) == 1) {
                registerOf.put(v, s);
                v = w.operand(0);
            }
            if (v != null) {
                registerOf.put(v, s);
            }
        }
        // how many DSP multiplier operands read each register: one read by DSPs alone becomes an input register of each (copied)
        Map<Signal, Integer> dspReads = new IdentityHashMap<>();
        for (Op mul : liveness.postOrder()) {
            for (int i = 0; i < 2 && mul.kind() == Op.Kind.MUL && arithmetic.dspCount(mul) > 0; i++) {
                if (strip(mul.operand(i)) instanceof Signal r) {
                    dspReads.merge(r, 1, Integer::sum);
                }
            }
        }
        for (Op mul : liveness.postOrder()) {
            int dsps = mul.kind() == Op.Kind.MUL ? arithmetic.dspCount(mul) : 0;
            if (dsps == 0) {
                continue;
            }
            for (int i = 0; i < 2; i++) {
                Expr operand = strip(mul.operand(i));
                if (operand instanceof Signal r && r.kind() == Signal.Kind.REG && liveness.readers(r) == dspReads.getOrDefault(r, 0)
                        && (target == Target.XC7 ? dsps > 1 || r.width() <= target.dspWideOperand() : r.resetValue() == null)) {
                    absorbed.add(r);
                    inputRegisters.add(r);
                    operand = drivers.of(r).size() == 1 ? strip(drivers.of(r).get(0).assign().value()) : null;
                }
                if (target == Target.XC7 && operand instanceof Op pre && pre.kind() == Op.Kind.ADD && liveness.uses(pre) == 1) {
                    absorbed.add(pre);
                }
            }
            Signal product = registerOf.get(mul);
            if (target == Target.UP5K && dsps > 1 && product != null && liveness.uses(mul) == 1) {
                partlyAbsorbed.put(product, target.dspNarrowOperand());
            }
            // a register taking a one-DSP product straight is the DSP's own (DSP48E1 MREG/PREG; the SB_MAC16 output register, which has no synchronous reset)
            if (dsps == 1 && product != null && liveness.uses(mul) == 1 && (target == Target.XC7 || product.resetValue() == null)) {
                absorbed.add(product);
                productRegisters.add(product);
            }
            Op add = target == Target.XC7 && dsps == 1 && entersAtBitZero(mul) ? liveness.soleConsumer(mul) : null;
            if (add != null && add.kind() == Op.Kind.ADD) {
                absorbPostAdder(add, registerOf, liveness);
            }
        }
        if (target == Target.XC7) {
            absorbRegisteredPostAdders(registerOf, liveness);
            absorbOutputRegisters(module, drivers, liveness);
            absorbFirstInputRegisters(module, registerOf, liveness, arithmetic);
        }
    }

    /**
     * On xc7 a register read only by DSP multipliers (through slices) and by their input registers is
     * the first of two input registers in each DSP48E1 (AREG/BREG = 2): measured on the requantizer,
     * whose registered 32-bit operands feed the cross products' DSPs as 16-bit halves and the other
     * two products' DSPs through a further register each. Two stages at most: a register in front of
     * those stays a flip-flop (Yosys 0.23 on a 4-register delay line into a DSP48E1 packs the last two
     * as A2 and A1 and keeps the first two, 32 FDRE: {@code DspAbsorptionTest}).
     */
    private void absorbFirstInputRegisters(Module module, Map<Expr, Signal> registerOf, Liveness liveness, Arithmetic arithmetic) {
        for (Signal r : module.signals()) {
            if (r.kind() == Signal.Kind.REG && r.width() <= 48 && !absorbed.contains(r) && liveness.liveWidth(r) > 0
                    && feedsDspsOnly(r, liveness.readers(r), liveness.consumers(r), registerOf, liveness, arithmetic)) {
                absorbed.add(r);
            }
        }
    }

    /**
     * Whether every one of the {@code places} reading {@code e} is a DSP multiplier, wiring that
     * only DSP multipliers and DSP input registers read, or a DSP input register ({@code readers}
     * are the operators among the places).
     */
    private boolean feedsDspsOnly(Expr e, int places, List<Op> readers, Map<Expr, Signal> registerOf, Liveness liveness,
                                  Arithmetic arithmetic) {
        int registers = places - readers.size();
        if (registers > 1 || registers == 1 && !inputRegisters.contains(registerOf.get(e)) || places == 0) {
            return false;
        }
        for (Op c : readers) {
            boolean dsp = c.kind() == Op.Kind.MUL && arithmetic.dspCount(c) > 0;
            boolean wiring = Operators.isWiring(c) && c.operandCount() == 1
                    && feedsDspsOnly(c, liveness.uses(c), liveness.consumers(c), registerOf, liveness, arithmetic);
            if (!dsp && !wiring) {
                return false;
            }
        }
        return true;
    }

    /**
     * On xc7 a register taking the bits of DSP product registers straight, each read by it alone, is
     * those DSPs' P registers: Yosys 0.23 packs the requantizer's {hh, ll} concatenation of two M
     * registers as the P registers of both DSPs.
     */
    private void absorbOutputRegisters(Module module, Drivers drivers, Liveness liveness) {
        for (Signal s : module.signals()) {
            List<Drivers.Driver> ds = s.kind() == Signal.Kind.REG && !absorbed.contains(s) ? drivers.of(s) : List.of();
            Expr v = ds.size() == 1 ? Operators.unwire(ds.get(0).assign().value()) : null;
            int parts = v instanceof Op cat && cat.kind() == Op.Kind.CAT ? cat.operandCount() : 1;
            boolean fromProducts = v != null;
            for (int i = 0; i < parts && fromProducts; i++) {
                Expr part = parts == 1 ? v : ((Op) v).operand(i);
                fromProducts = strip(Operators.unwire(part)) instanceof Signal m && productRegisters.contains(m) && liveness.readers(m) == 1;
            }
            if (fromProducts) {
                absorbed.add(s);
            }
        }
    }

    /**
     * Whether a product reaches its adder from bit 0: Yosys takes a constant factor's trailing zeros
     * out of the multiply (the DSP multiplies by the odd part and the product is shifted), and
     * xilinx_dsp packs an adder only when its operand starts with P's bit 0 (measured on the
     * examples/ FIR's x * 10240: B = 5 in the DSP48E1, the sum in CARRY4s).
     */
    private static boolean entersAtBitZero(Op mul) {
        BigInteger c = Operators.constantFactor(mul);
        return c == null || c.signum() == 0 || c.getLowestSetBit() == 0;
    }

    /** A DSP48E1 post-adder and the register that alone takes its sum (P). */
    private void absorbPostAdder(Op add, Map<Expr, Signal> registerOf, Liveness liveness) {
        absorbed.add(add);
        Signal p = registerOf.get(add);
        if (p != null && liveness.soleConsumer(add) == null && liveness.uses(add) == 1) {
            absorbed.add(p);
        }
    }

    /**
     * On xc7 a sum read alone from a DSP's M register is the next post-adder (its other operand
     * the C input), and its register that DSP's P: measured on the requantizer's split 32 x 32
     * multiply, whose registered cross products and their sum Yosys packs into the DSPs. A sum
     * reading a P register is not packed (Yosys 0.23 keeps it in slices: {@code DspAbsorptionTest}).
     */
    private void absorbRegisteredPostAdders(Map<Expr, Signal> registerOf, Liveness liveness) {
        for (Op add : liveness.postOrder()) {
            if (add.kind() != Op.Kind.ADD || absorbed.contains(add) || registerOf.get(add) == null) {
                continue;
            }
            for (int i = 0; i < 2 && !absorbed.contains(add); i++) {
                if (strip(Operators.unwire(add.operand(i))) instanceof Signal r && productRegisters.contains(r) && liveness.readers(r) == 1) {
                    absorbPostAdder(add, registerOf, liveness);
                }
            }
        }
    }
}

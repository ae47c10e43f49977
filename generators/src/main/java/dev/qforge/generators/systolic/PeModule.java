package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.bool;

/**
 * What every PE shares: the register stages between the multiplier and the accumulating add,
 * placed where a DSP slice has them ({@link SystolicConfig#peStages()}). With 1 stage the product
 * of the PE's inputs goes straight into the add, whose result is the PE's one register (a DSP48's
 * PREG); 2 adds a product register (MREG); 3 also multiplies registered inputs (AREG/BREG). The add's control
 * bits are delayed alike, so a PE computes what it does with one stage,
 * {@link SystolicConfig#productDelay()} cycles later. Every register advances only while
 * {@code en} is high.
 */
abstract class PeModule extends Module {
    public final Signal en;
    private final int stages;

    /** The module is named {@code base}, with {@code _p<stages>} beyond one stage. */
    PeModule(String base, int stages) {
        super(base + (stages > 1 ? "_p" + stages : ""));
        if (stages < 1 || stages > SystolicConfig.MAX_PE_STAGES) {
            throw new IllegalArgumentException("stages must be in 1.." + SystolicConfig.MAX_PE_STAGES + ", got " + stages);
        }
        this.stages = stages;
        en = input("en", bool());
    }

    /**
     * {@code a * b} as the add sees it: of the inputs, registered from 2 stages on (MREG). With 3
     * the multiplier reads registers of its own (a DSP's AREG/BREG, the twins of the registers
     * passing the operands on, so a DSP-internal pipeline stage runs from them to the product
     * register); an operand that is already a register (a stationary weight) is read as it is.
     */
    protected final Expr product(String name, Expr a, Expr b) {
        Expr p = stages >= 3 ? operandRegister("mul_a", a).times(operandRegister("mul_b", b)) : a.times(b);
        return delayed(name, p, false);
    }

    private Expr operandRegister(String name, Expr in) {
        if (in instanceof Signal s && s.kind() == Signal.Kind.REG) {
            return in;
        }
        Signal r = reg(name, in.type());
        r.setWhen(en, in);
        return r;
    }

    /** A control bit the add uses with the product: {@code in}, or with 3 stages {@code inReg}, delayed as the product is. */
    protected final Expr alongProduct(String name, Expr in, Expr inReg) {
        return delayed(name, stages >= 3 ? inReg : in, false);
    }

    /** Like {@link #alongProduct} for a valid bit, which resets to 0 so nothing is accumulated after reset. */
    protected final Expr validAlongProduct(String name, Expr in, Expr inReg) {
        return delayed(name, stages >= 3 ? inReg : in, true);
    }

    private Expr delayed(String name, Expr v, boolean resets) {
        if (stages == 1) {
            return v;
        }
        Signal q = resets ? reg(name, v.type(), 0) : reg(name, v.type());
        q.setWhen(en, v);
        return q;
    }
}

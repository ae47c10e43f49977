package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.bool;

/**
 * What the four PEs share: the register stages between the multiplier and the accumulating add,
 * placed where a DSP slice has them ({@link SystolicConfig#peStages()}). With 1 stage the product
 * of the PE's inputs goes straight into the add, whose result is the PE's one register (a DSP48's
 * PREG); 2 adds a product register (MREG); 3 also multiplies the registered inputs (AREG/BREG:
 * the registers that pass the operands on to the next PE, so they cost nothing). The add's control
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

    /** {@code a * b} as the add sees it: of the inputs, or with 3 stages of their registers; registered from 2 stages on. */
    protected final Expr product(String name, Expr a, Expr aReg, Expr b, Expr bReg) {
        return delayed(name, stages >= 3 ? aReg.times(bReg) : a.times(b), false);
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

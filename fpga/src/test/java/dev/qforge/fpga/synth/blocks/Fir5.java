package dev.qforge.fpga.synth.blocks;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Vec;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;

/** A 5-tap FIR with constant symmetric coefficients (-3, 8, 21, 8, -3) on int8 samples, output registered. */
public final class Fir5 extends Module {
    static final long[] COEFFS = {-3, 8, 21, 8, -3};

    public Fir5() {
        super("Fir5");
        Signal x = input("x", sint(8));
        Signal valid = input("valid", bool());
        Vec taps = regs("tap", COEFFS.length, sint(8), 0);
        when(valid, () -> {
            taps.get(0).set(x);
            for (int i = 1; i < taps.size(); i++) {
                taps.get(i).set(taps.get(i - 1));
            }
        });
        Expr acc = taps.get(0).times(COEFFS[0]);
        for (int i = 1; i < COEFFS.length; i++) {
            acc = acc.plus(taps.get(i).times(COEFFS[i]));
        }
        Expr sum = acc.truncate(16);
        Signal y = reg("y_q", sint(16), 0);
        when(valid, () -> y.set(sum));
        output("y", sint(16)).set(y);
    }
}

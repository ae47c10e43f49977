package dev.qforge.fpga.synth.blocks;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Rounding;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.sfix;

/** y = sat16(round(a * b + c)) in Q8.8, registered: a fixed-point multiply-add as a user writes it. */
public final class FixedMulAdd extends Module {
    public FixedMulAdd() {
        super("FixedMulAdd");
        Signal a = input("a", sfix(16, 8));
        Signal b = input("b", sfix(12, 10));
        Signal c = input("c", sfix(24, 16));
        Signal y = reg("y_q", sfix(16, 8));
        // the Q.18 sum to Q.8: round the raw bits, clamp, and put the binary point back
        y.set(a.times(b).plus(c).asSInt().roundShiftRight(10, Rounding.HALF_EVEN).saturate(16).asFixed(8));
        output("y", sfix(16, 8)).set(y);
    }
}

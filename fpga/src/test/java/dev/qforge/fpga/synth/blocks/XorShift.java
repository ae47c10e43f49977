package dev.qforge.fpga.synth.blocks;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.uint;

/** Shifts a 16-bit value left by the XOR of two 4-bit amounts (a shift by an amount computed in logic), registered. */
public final class XorShift extends Module {
    public XorShift() {
        super("XorShift");
        Signal x = input("x", uint(16));
        Signal a = input("a", uint(4));
        Signal b = input("b", uint(4));
        Signal shifted = reg("shifted_r", uint(16));
        shifted.set(x.shl(a.xor(b)).truncate(16));
        output("y", uint(16)).set(shifted);
    }
}

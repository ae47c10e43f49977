package dev.qforge.fpga.synth.blocks;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.uint;

/** Shifts a value left by the XOR of two amounts (a shift by an amount computed in logic), registered. */
public final class XorShift extends Module {
    public XorShift(int width, int amountBits) {
        super("XorShift" + width + "x" + amountBits);
        Signal x = input("x", uint(width));
        Signal a = input("a", uint(amountBits));
        Signal b = input("b", uint(amountBits));
        Signal shifted = reg("shifted_r", uint(width));
        shifted.set(x.shl(a.xor(b)).truncate(width));
        output("y", uint(width)).set(shifted);
    }
}

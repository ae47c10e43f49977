package dev.qforge.fpga.synth.blocks;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.Expr.mux;
import static dev.qforge.dsl.Expr.u;
import static dev.qforge.dsl.HwType.uint;

/** Shifts a 16-bit value left until its top bit is set and says by how much (a leading-zero count), registered. */
public final class Normalizer extends Module {
    public Normalizer() {
        super("Normalizer");
        Signal x = input("x", uint(16));
        // the leading-zero count: the position of the highest set bit, found from the bottom up
        Expr zeros = u(16, 5);
        for (int i = 0; i < 16; i++) {
            zeros = mux(x.bit(i), u(15 - i, 5), zeros);
        }
        Signal count = reg("count_r", uint(5));
        Signal norm = reg("norm_r", uint(16));
        count.set(zeros);
        norm.set(x.shl(zeros).truncate(16));
        output("count", uint(5)).set(count);
        output("norm", uint(16)).set(norm);
    }
}

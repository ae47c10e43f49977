package dev.qforge.fpga.synth.blocks;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Vec;

import static dev.qforge.dsl.HwType.uint;

/** Selects one of 16 16-bit words by a runtime index, registered. */
public final class WideMux extends Module {
    public WideMux() {
        super("WideMux");
        Vec words = inputs("w", 16, uint(16));
        Signal sel = input("sel", uint(4));
        Signal q = reg("q_r", uint(16));
        q.set(words.at(sel));
        output("q", uint(16)).set(q);
    }
}

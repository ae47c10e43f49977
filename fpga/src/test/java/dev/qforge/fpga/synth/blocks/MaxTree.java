package dev.qforge.fpga.synth.blocks;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Vec;

import java.util.ArrayList;
import java.util.List;

import static dev.qforge.dsl.Expr.mux;
import static dev.qforge.dsl.HwType.sint;

/** The largest of 8 int8 values through a tree of comparators, registered. */
public final class MaxTree extends Module {
    public MaxTree() {
        super("MaxTree");
        Vec in = inputs("x", 8, sint(8));
        List<Expr> layer = new ArrayList<>();
        in.forEach(layer::add);
        while (layer.size() > 1) {
            List<Expr> next = new ArrayList<>();
            for (int i = 0; i < layer.size(); i += 2) {
                Expr a = layer.get(i);
                Expr b = layer.get(i + 1);
                next.add(mux(a.gt(b), a, b));
            }
            layer = next;
        }
        Signal max = reg("max_q", sint(8));
        max.set(layer.get(0));
        output("max", sint(8)).set(max);
    }
}

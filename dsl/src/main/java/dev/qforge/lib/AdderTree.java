package dev.qforge.lib;

import dev.qforge.dsl.ElaborationException;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Vec;

import java.util.ArrayList;
import java.util.List;

import static dev.qforge.dsl.HwType.bool;

/**
 * Sums n inputs in a balanced binary tree with a register after every level: latency
 * ceil(log2 n) cycles, one new set of inputs per cycle. The sum grows one bit per level so it
 * cannot overflow. {@code in_valid} travels alongside as {@code out_valid}.
 */
public final class AdderTree extends Module {
    public final Vec in;
    public final Signal inValid;
    public final Signal sum;
    public final Signal outValid;
    private final int levels;

    public AdderTree(int n, HwType element) {
        super("AdderTree_n" + n + "_" + ElaborationException.requireNonNull(element, "AdderTree's element type").shortName());
        requireParameter(n >= 2, "AdderTree needs n >= 2, got " + n);
        levels = 32 - Integer.numberOfLeadingZeros(n - 1);
        in = inputs("in", n, element);
        inValid = input("in_valid", bool());
        sum = output("sum", element.withWidth(element.width() + levels));
        outValid = output("out_valid", bool());

        List<Expr> layer = new ArrayList<>();
        for (Signal s : in) {
            layer.add(s);
        }
        Expr valid = inValid;
        for (int level = 1; level <= levels; level++) {
            HwType t = element.withWidth(element.width() + level);
            List<Expr> nextLayer = new ArrayList<>();
            for (int i = 0; i < layer.size(); i += 2) {
                Expr v = i + 1 < layer.size() ? layer.get(i).plus(layer.get(i + 1)) : layer.get(i);
                Signal r = reg("l" + level + "_" + (i / 2), t);
                r.set(v);
                nextLayer.add(r);
            }
            Signal vr = reg("valid_l" + level, bool(), 0);
            vr.set(valid);
            valid = vr;
            layer = nextLayer;
        }
        sum.set(layer.get(0));
        outValid.set(valid);
    }

    /** Cycles from inputs to their sum. */
    public int latency() {
        return levels;
    }
}

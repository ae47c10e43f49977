package dev.qforge.dsl;

import java.util.Arrays;
import java.util.Iterator;

/**
 * A vector of same-typed signals. Each element stays its own Verilog signal ({@code x_0}, {@code x_1},
 * ...): per-element signals simulate far faster in Verilator than one flattened bus.
 */
public final class Vec implements Iterable<Signal> {
    private final Signal[] elems;

    Vec(Signal[] elems) {
        this.elems = elems;
    }

    public int size() { return elems.length; }
    public Signal get(int i) { return elems[i]; }

    /** The element selected by a runtime index (a multiplexer); out-of-range indices select the last element. */
    public Expr at(Expr index) {
        Expr.requireUnsigned("vector index", index);
        Expr result = elems[elems.length - 1];
        for (int i = elems.length - 2; i >= 0; i--) {
            if (index.width() < 63 && i > index.type().max()) {
                continue;
            }
            result = Expr.mux(index.eq(Expr.lit(i, index.type())), elems[i], result);
        }
        return result;
    }

    @Override
    public Iterator<Signal> iterator() {
        return Arrays.asList(elems).iterator();
    }
}

package dev.qforge.dsl;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Iterator;

/**
 * A vector of same-typed signals. Each element stays its own Verilog signal ({@code x_0}, {@code x_1},
 * ...): per-element signals simulate far faster in Verilator than one flattened bus.
 */
public final class Vec implements Iterable<Signal> {
    private final String name;
    private final Signal[] elems;

    Vec(String name, Signal[] elems) {
        this.name = name;
        this.elems = elems;
    }

    public int size() { return elems.length; }
    public Signal get(int i) {
        if (i < 0 || i >= elems.length) {
            throw new ElaborationException("index " + i + " is outside vector '" + name + "' of " + elems.length + " elements (0.."
                    + (elems.length - 1) + ")", SourceLocation.capture());
        }
        return elems[i];
    }

    /** The element selected by a runtime index (a multiplexer); out-of-range indices select the last element. */
    public Expr at(Expr index) {
        Expr.requireUnsigned("vector index", index);
        Expr result = elems[elems.length - 1];
        for (int i = elems.length - 2; i >= 0; i--) {
            if (BigInteger.valueOf(i).compareTo(index.type().maxValue()) > 0) {
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

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

    /**
     * The element selected by a runtime index; an index past the last element selects the last.
     * Built as a balanced tree of 2-way multiplexers on the index bits (log2(size) levels deep,
     * not a chain of size compares), with the index bits above those the elements need selecting
     * the last element when any is set.
     */
    public Expr at(Expr index) {
        Expr.requireUnsigned("vector index", index);
        requireConstantInRange(index);
        int needed = 32 - Integer.numberOfLeadingZeros(elems.length - 1); // index bits that tell the elements apart
        int used = Math.min(needed, index.width());
        Expr tree = tree(index, 0, used);
        if (index.width() > used) {
            Expr beyond = index.width() == used + 1 ? index.bit(used) : index.slice(index.width() - 1, used).orReduce();
            tree = Expr.mux(beyond, elems[elems.length - 1], tree);
        }
        return tree;
    }

    /** A constant index past the end is a mistake known now, not a runtime index to clamp or ignore. */
    private void requireConstantInRange(Expr index) {
        if (index instanceof Const c && c.value().compareTo(BigInteger.valueOf(elems.length)) >= 0) {
            throw new ElaborationException("constant index " + c.value() + " is outside vector '" + name + "' of " + elems.length + " elements (0.."
                    + (elems.length - 1) + ")", SourceLocation.capture());
        }
    }

    /** The element among indices base .. base + 2^bits - 1 that index bits bits-1..0 select. */
    private Expr tree(Expr index, int base, int bits) {
        if (bits == 0 || base >= elems.length - 1) {
            return elems[Math.min(base, elems.length - 1)]; // every index from here on selects the last element
        }
        Expr low = tree(index, base, bits - 1);
        Expr high = tree(index, base + (1 << (bits - 1)), bits - 1);
        return Expr.mux(index.bit(bits - 1), high, low);
    }

    /**
     * Writes {@code value} to the element a runtime index selects, on the path this call is on: a
     * register file or a KV cache line. An index past the last element writes nothing. A wire or
     * output written this way needs a default assignment first, as in any {@code when}.
     */
    public void setAt(Expr index, Expr value) {
        Expr.requireUnsigned("vector index", index);
        requireConstantInRange(index);
        for (int i = 0; i < elems.length && BigInteger.valueOf(i).compareTo(index.type().maxValue()) <= 0; i++) {
            Signal e = elems[i];
            e.owner().when(index.eq(Expr.lit(i, index.type())), () -> e.set(value));
        }
    }

    /** {@link #setAt} only while {@code enable} is true: a write port with a write enable. */
    public void setAtWhen(Expr enable, Expr index, Expr value) {
        Expr.requireUnsigned("vector index", index);
        elems[0].owner().when(enable, () -> setAt(index, value));
    }

    @Override
    public Iterator<Signal> iterator() {
        return Arrays.asList(elems).iterator();
    }
}

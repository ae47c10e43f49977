package dev.qforge.generators.report.estimate;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * LUT4s of x * c on iCE40 as Yosys 0.23 builds it: synth_ice40 runs no booth pass, so alumacc makes the product a
 * $macc that maccmap expands into one summand per bit of the narrower operand (the constant's zero bits too: their
 * AND with x is a wire until opt folds it), packs some low bits into the adder tree, reduces three summands at a
 * time with a row of full adders ($fa) until two remain, and adds those on a carry chain. After constant folding
 * ABC maps what feeds the chain, so each distinct function at a chain input costs by its inputs: none for a bit of
 * x or a constant, one LUT4 up to four inputs, about one per two inputs above (an arithmetic cone does not split
 * into fewer). The chain costs a LUT4 per bit from the first column where both summands vary.
 * Checked on x * c alone (Yosys 0.23, HX8K; x of 8/12/16 bits, signed and unsigned, read whole or at x's width):
 * c = 3, 5, 7, 9 within 2 LUT4s of Yosys (signed 8-bit x * 5 whole: 22, a half-adder row and a chain; unsigned
 * x * 3 only a chain, signed x * 3 a full-adder row more: 23), x * 21 within 14% (signed 8 bits whole 41 against
 * 39), x * -3 within 12%, x * -21 and x * 255 within 24%, where the old count of one adder per further set bit
 * was 28 for signed x * 21 and 119 for x * 255 (73, modelled 72).
 */
final class ConstantProduct {
    /** Inputs over which a bit's function is kept exactly; wider ones are opaque (their support only). */
    private static final int EXACT_INPUTS = 6;
    private static final Bit ZERO = new Bit(0, 0, false);
    private static final Bit ONE = new Bit(0, 1, false);

    /**
     * A bit as a function of x's bits: its support (a mask of x's bit indices) and, for at most {@link #EXACT_INPUTS}
     * inputs, its truth table over them in ascending order; an opaque bit's table is a serial, so it equals only itself.
     */
    private record Bit(long support, long table, boolean opaque) {
        int inputs() {
            return Long.bitCount(support);
        }

        boolean isConstant() {
            return support == 0 && !opaque;
        }
    }

    private long serial;

    private ConstantProduct() {
    }

    /**
     * LUT4s of {@code x * c}, x of {@code xBits} bits, read at bits {@code low} to {@code width - 1}; null when x is too
     * wide for the bit masks.
     */
    static Long luts(int xBits, boolean signed, BigInteger c, int low, int width) {
        if (xBits > 62 || width <= 0) {
            return null;
        }
        return new ConstantProduct().count(xBits, signed, c, low, width);
    }

    private long count(int xBits, boolean signed, BigInteger c, int low, int width) {
        List<Bit> a = new ArrayList<>();
        for (int i = 0; i < xBits; i++) {
            a.add(new Bit(1L << i, 0b10, false));
        }
        int cBits = signed ? c.bitLength() + 1 : c.bitLength();
        List<Bit> b = new ArrayList<>();
        for (int i = 0; i < cBits; i++) {
            b.add(c.testBit(i) ? ONE : ZERO);
        }
        if (a.size() < b.size()) {
            List<Bit> t = a;
            a = b;
            b = t;
        }
        a = extend(a, width, signed);
        if (b.size() > width) {
            b = extend(b, width, signed);
        }
        Columns cols = new Columns(width);
        for (int i = 0; i < b.size(); i++) {
            Bit bi = b.get(i);
            if (signed && i + 1 == b.size()) {
                // the sign bit's summand is -(a << i): ~a << i plus bi at bit i
                List<Bit> na = new ArrayList<>(Collections.nCopies(i, ZERO));
                for (Bit x : a.subList(0, width - i)) {
                    na.add(gate(g -> !g[0], x));
                }
                cols.addRow(na, bi, this);
                cols.addBit(bi, i);
            } else {
                cols.addRow(a, bi, this);
                a.add(0, ZERO);
                a.remove(width);
            }
        }
        List<Bit[]> summands = new ArrayList<>();
        Deque<Bit> tree = new ArrayDeque<>();
        cols.synth(summands, tree);
        while (summands.size() > 2) {
            List<Bit[]> next = new ArrayList<>();
            for (int i = 0; i < summands.size(); i += 3) {
                if (i + 2 >= summands.size()) {
                    next.add(summands.get(i));
                    i -= 2;
                    continue;
                }
                Bit[] sum = new Bit[width];
                Bit[] carry = new Bit[width];
                carry[0] = tree.isEmpty() ? ZERO : tree.removeLast();
                for (int j = 0; j < width; j++) {
                    Bit p = summands.get(i)[j];
                    Bit q = summands.get(i + 1)[j];
                    Bit r = summands.get(i + 2)[j];
                    sum[j] = gate(g -> g[0] ^ g[1] ^ g[2], p, q, r);
                    if (j + 1 < width) {
                        carry[j + 1] = gate(g -> g[0] && g[1] || g[0] && g[2] || g[1] && g[2], p, q, r);
                    }
                }
                next.add(sum);
                next.add(carry);
            }
            summands = next;
        }
        Bit[] sa = summands.isEmpty() ? zeros(width) : summands.get(0);
        Bit[] sb = summands.size() < 2 ? zeros(width) : summands.get(1);
        Set<Bit> built = new HashSet<>();
        long luts = 0;
        boolean chain = false;
        for (int j = 0; j < width; j++) {
            boolean varying = !sa[j].isConstant() && !sb[j].isConstant();
            boolean carryIn = sa[j] == ONE && !sb[j].isConstant() || sb[j] == ONE && !sa[j].isConstant();
            if (!chain && !varying && !carryIn) {
                // no carry yet and one summand constant zero: the bit is the other one, built only when read
                Bit only = sa[j].isConstant() ? sb[j] : sa[j];
                luts += j >= low && built.add(only) ? cost(only) : 0;
                continue;
            }
            chain = true;
            luts += 1 + (built.add(sa[j]) ? cost(sa[j]) : 0) + (built.add(sb[j]) ? cost(sb[j]) : 0);
        }
        return luts;
    }

    /** LUT4s of one function at a chain input, by its inputs (see the class comment). */
    private static int cost(Bit f) {
        int n = f.inputs();
        return n <= 1 ? 0 : n <= 4 ? 1 : n / 2;
    }

    private static Bit[] zeros(int width) {
        Bit[] z = new Bit[width];
        Arrays.fill(z, ZERO);
        return z;
    }

    private static List<Bit> extend(List<Bit> bits, int width, boolean signed) {
        List<Bit> out = new ArrayList<>(bits.subList(0, Math.min(width, bits.size())));
        while (out.size() < width) {
            out.add(signed && !bits.isEmpty() ? bits.get(bits.size() - 1) : ZERO);
        }
        return out;
    }

    /** The function {@code g} of {@code in}, exact over at most {@link #EXACT_INPUTS} inputs, its unused inputs dropped. */
    private Bit gate(Predicate<boolean[]> g, Bit... in) {
        long support = 0;
        boolean opaque = false;
        for (Bit x : in) {
            support |= x.support;
            opaque |= x.opaque;
        }
        int n = Long.bitCount(support);
        if (opaque || n > EXACT_INPUTS) {
            return new Bit(support, serial++, true);
        }
        long table = 0;
        boolean[] values = new boolean[in.length];
        for (int idx = 0; idx < 1 << n; idx++) {
            for (int k = 0; k < in.length; k++) {
                values[k] = (in[k].table >>> localIndex(in[k].support, support, idx) & 1) != 0;
            }
            if (g.test(values)) {
                table |= 1L << idx;
            }
        }
        return reduce(support, table);
    }

    /** The index into a table over {@code sub} of the assignment {@code idx} over {@code support} (sub within it). */
    private static int localIndex(long sub, long support, int idx) {
        int local = 0;
        int k = 0;
        for (long s = sub; s != 0; s &= s - 1, k++) {
            int position = Long.bitCount(support & (Long.lowestOneBit(s) - 1));
            local |= (idx >>> position & 1) << k;
        }
        return local;
    }

    /** Drops the inputs a table does not depend on. */
    private static Bit reduce(long support, long table) {
        int n = Long.bitCount(support);
        for (int p = 0; p < n; p++) {
            boolean depends = false;
            for (int idx = 0; idx < 1 << n && !depends; idx++) {
                depends = (idx >>> p & 1) == 0 && (table >>> idx & 1) != (table >>> (idx | 1 << p) & 1);
            }
            if (!depends) {
                long kept = 0;
                int j = 0;
                for (int idx = 0; idx < 1 << n; idx++) {
                    if ((idx >>> p & 1) == 0) {
                        kept |= (table >>> idx & 1) << j++;
                    }
                }
                long dropped = support;
                for (int q = 0; q < p; q++) {
                    dropped &= dropped - 1;
                }
                return reduce(support & ~Long.lowestOneBit(dropped), kept);
            }
        }
        return new Bit(support, table, false);
    }

    /**
     * maccmap's columns: each the bits of one weight, the AND outputs of a summand all distinct wires (a constant one
     * first, and two of them carry into the next column), taken one per column into summands.
     */
    private static final class Columns {
        private final List<Deque<Bit>> bits = new ArrayList<>();
        private final boolean[] one;

        Columns(int width) {
            for (int i = 0; i < width; i++) {
                bits.add(new ArrayDeque<>());
            }
            one = new boolean[width];
        }

        void addRow(List<Bit> row, Bit select, ConstantProduct p) {
            for (int j = 0; j < bits.size(); j++) {
                bits.get(j).addLast(p.gate(g -> g[0] && g[1], row.get(j), select));
            }
        }

        /** A bit maccmap adds as it is: a constant zero is none, two constant ones carry. */
        void addBit(Bit b, int position) {
            if (position >= bits.size() || b == ZERO) {
                return;
            }
            if (b == ONE) {
                one[position] = !one[position];
                if (!one[position]) {
                    addBit(ONE, position + 1);
                }
                return;
            }
            bits.get(position).addLast(b);
        }

        private boolean isEmpty(int j) {
            return !one[j] && bits.get(j).isEmpty();
        }

        private Bit take(int j) {
            if (one[j]) {
                one[j] = false;
                return ONE;
            }
            return bits.get(j).removeFirst();
        }

        /** maccmap's synth(): summands one bit per column, low bits packed into the tree's free carry slots. */
        void synth(List<Bit[]> summands, Deque<Bit> tree) {
            int width = bits.size();
            while (true) {
                Bit[] s = zeros(width);
                boolean any = false;
                for (int j = 0; j < width; j++) {
                    if (!isEmpty(j)) {
                        s[j] = take(j);
                        any = true;
                    }
                }
                if (!any) {
                    return;
                }
                summands.add(s);
                int free = Math.max(summands.size() - 2, 0) - tree.size();
                for (int i = 0; i < width && i < 30 && 1 << i <= free; i++) {
                    while (!isEmpty(i) && 1 << i <= free) {
                        Bit bit = take(i);
                        for (int k = 0; k < 1 << i; k++, free--) {
                            tree.addLast(bit);
                        }
                    }
                }
            }
        }
    }
}

package dev.qforge.generators.report.estimate;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * was 28 for signed x * 21 and 119 for x * 255 (73, modelled 72). A product of two varying operands is the same tree
 * with nothing to fold ({@link #productLuts}).
 */
final class ConstantProduct {
    /** Inputs over which a bit's function is kept exactly; wider ones are opaque (their support only). */
    private static final int EXACT_INPUTS = 6;
    private static final Bit ZERO = new Bit(0, 0, false);
    private static final Bit ONE = new Bit(0, 1, false);
    /** Gates of an unfolded adder tree ABC packs into one LUT4 (see {@link #productLuts}; 2.05 on the figures there). */
    private static final double GATES_PER_LUT = 2.05;

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
    /** Gates of the tree's partial products and full adders, when not folded (see {@link #productLuts}). */
    private long gates;
    private final Set<Bit> gatedProducts = new HashSet<>();
    private final Map<GateKey, Bit> merged = new HashMap<>();

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

    /**
     * LUT4s of {@code a * b}, both operands varying ({@code aBits} and {@code bBits} bits), read at bits {@code low} to
     * {@code width - 1}; null when the operands are too wide for the bit masks. The same adder tree as x * c, but nothing
     * folds it: techmap makes a $fa bit of three varying inputs five gates (t1 = p ^ q, sum = t1 ^ r, carry = p & q | r & t1),
     * of two a half adder's two, each partial product an AND, opt_merge shares identical gates (a sign-extended operand's
     * columns); ABC packs about {@link #GATES_PER_LUT} of those per LUT4, while a partial product the chain reads takes a
     * LUT4 of its own (SB_CARRY needs it as a wire). The gate count matches Yosys 0.23's netlist before ABC within 1%
     * (signed 8x8 348 against 352, 5x16 360/361, unsigned exactly); the LUT4s per gate vary with the tree's depth
     * (0.42 for 5 rows, 0.52 for 8). Registered a * b alone, HX8K, Yosys 0.23 against the model, signed: 4x4 36/38,
     * 4x8 72/73, 4x16 144/143, 5x16 182/193, 8x8 182/181, 8x16 350/345; unsigned: 4x4 26/28, 4x8 54/59, 5x16 145/167,
     * 8x8 159/150, 8x16 327/306; read at the wider operand's width: 8x8 67/67, 5x16 signed 144/149.
     */
    static Long productLuts(int aBits, int bBits, boolean signed, int low, int width) {
        if (aBits + bBits > 62 || width <= 0) {
            return null;
        }
        return new ConstantProduct().count(inputs(0, aBits), inputs(aBits, bBits), signed, low, width, false);
    }

    /** {@code n} bits of x, each the identity of its own input, the first being input {@code first}. */
    private static List<Bit> inputs(int first, int n) {
        List<Bit> bits = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            bits.add(new Bit(1L << i, 0b10, false));
        }
        return bits;
    }

    private long count(int xBits, boolean signed, BigInteger c, int low, int width) {
        List<Bit> a = inputs(0, xBits);
        int cBits = signed ? c.bitLength() + 1 : c.bitLength();
        List<Bit> b = new ArrayList<>();
        for (int i = 0; i < cBits; i++) {
            b.add(c.testBit(i) ? ONE : ZERO);
        }
        return count(a, b, signed, low, width, true);
    }

    /**
     * LUT4s of maccmap's tree for a * b; {@code folded} when b is constant, so that constant folding leaves the functions
     * at the chain inputs for ABC to map by their inputs, otherwise the tree's gates are counted.
     */
    private long count(List<Bit> a, List<Bit> b, boolean signed, int low, int width, boolean folded) {
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
        Set<Bit> products = new HashSet<>();
        for (Bit[] s : summands) {
            products.addAll(Arrays.asList(s));
        }
        products.addAll(tree);
        Set<Bit> adderOutputs = new HashSet<>();
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
                    if (folded) {
                        sum[j] = gate(g -> g[0] ^ g[1] ^ g[2], p, q, r);
                        if (j + 1 < width) {
                            carry[j + 1] = gate(g -> g[0] && g[1] || g[0] && g[2] || g[1] && g[2], p, q, r);
                        }
                    } else {
                        countProducts(products, p, q, r);
                        // techmap's $fa: t1 = p ^ q, sum = t1 ^ r, carry = p & q | r & t1 (opt_clean drops the top carry)
                        Bit t1 = gate2('^', p, q);
                        sum[j] = gate2('^', t1, r);
                        if (j + 1 < width) {
                            carry[j + 1] = gate2('|', gate2('&', p, q), gate2('&', r, t1));
                        }
                    }
                    adderOutputs.add(sum[j]);
                    if (j + 1 < width) {
                        adderOutputs.add(carry[j + 1]);
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
                luts += j >= low && built.add(only) ? cost(only, folded, adderOutputs) : 0;
                continue;
            }
            chain = true;
            luts += 1 + (built.add(sa[j]) ? cost(sa[j], folded, adderOutputs) : 0)
                    + (built.add(sb[j]) ? cost(sb[j], folded, adderOutputs) : 0);
        }
        return luts + Math.round(gates / GATES_PER_LUT);
    }

    /** An AND gate per partial product an adder reads (once: opt_merge shares a repeated one). */
    private void countProducts(Set<Bit> products, Bit... in) {
        for (Bit x : in) {
            if (x.inputs() > 1 && products.contains(x) && gatedProducts.add(x)) {
                gates++;
            }
        }
    }

    private record GateKey(char op, Bit x, Bit y) {
    }

    /**
     * A two-input gate after opt_expr and opt_merge: a constant input folds it, an identical gate is shared; a new gate
     * counts.
     */
    private Bit gate2(char op, Bit x, Bit y) {
        if (x.isConstant() || y.isConstant()) {
            Bit c = x.isConstant() ? x : y;
            Bit v = x.isConstant() ? y : x;
            return switch (op) {
                case '&' -> c == ONE ? v : ZERO;
                case '|' -> c == ONE ? ONE : v;
                default -> c == ONE ? gate(g -> !g[0], v) : v;
            };
        }
        return merged.computeIfAbsent(new GateKey(op, x, y), k -> {
            gates++;
            return switch (op) {
                case '&' -> gate(g -> g[0] && g[1], x, y);
                case '|' -> gate(g -> g[0] || g[1], x, y);
                default -> gate(g -> g[0] ^ g[1], x, y);
            };
        });
    }

    /** LUT4s of a chain input: by its inputs, or none for an unfolded tree's adder output (its gates are counted). */
    private static int cost(Bit f, boolean folded, Set<Bit> adderOutputs) {
        return folded || !adderOutputs.contains(f) ? cost(f) : 0;
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

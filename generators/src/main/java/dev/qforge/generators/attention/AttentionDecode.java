package dev.qforge.generators.attention;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Record;
import dev.qforge.dsl.Rom;
import dev.qforge.dsl.Rounding;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stream;
import dev.qforge.dsl.Vec;
import dev.qforge.numerics.OnlineSoftmax;

import java.util.ArrayList;
import java.util.List;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;

/**
 * The decode step of one attention head, bit-exact with {@link AttentionGolden}: a token arrives as
 * d / P beats on {@code in} (P lanes each of q, k, v, and {@code first} on its first beat to start a
 * new sequence); its k, v lanes are written to the K/V cache (P block RAMs each, L d / P words)
 * as they arrive, then the query attends over every cached row, one row at a time:
 * <pre>
 *   QK    d/P + 1 cycles  read K chunk by chunk, P int8 products a cycle into the exact score
 *   SCALE 1 cycle         u = score * M rounded (TFLite single rounding, constant M and shift)
 *   MAX   1 cycle         running max, term p from the 2^8-entry table, rescaled running sum
 *   PV    d/P + 1 cycles  read V chunk by chunk, o = (o >> k) + p v in P lanes
 * </pre>
 * then DIV (a restoring divider, {@link AttentionConfig#reciprocalBits()} cycles) computes
 * r = floor(2^R / sum) and OUT sends d / P beats of int8 O = saturate(round_half_up(o r / 2^R)),
 * with {@code dropped} set when the cache was full. {@link AttentionCycleModel} counts the cycles.
 */
public final class AttentionDecode extends Module {
    private static final int LOAD = 0;
    private static final int QK = 1;
    private static final int SCALE = 2;
    private static final int MAX = 3;
    private static final int PV = 4;
    private static final int DIV = 5;
    private static final int OUT = 6;

    public final Stream in;
    public final Stream out;
    private final AttentionConfig cfg;

    public AttentionDecode(AttentionConfig cfg) {
        super(name(cfg));
        this.cfg = cfg;
        int p = cfg.lanes();
        int chunks = cfg.chunks();
        OnlineSoftmax.Params sm = cfg.softmax();

        Record beat = Record.of("first", bool());
        for (String f : List.of("q", "k", "v")) {
            for (int l = 0; l < p; l++) {
                beat = beat.with(f + "_" + l, sint(8));
            }
        }
        in = inStream("in", beat);
        Record result = Record.of("dropped", bool());
        for (int l = 0; l < p; l++) {
            result = result.with("o_" + l, sint(8));
        }
        out = outStream("out", result);

        int cb = AttentionConfig.bitsFor(chunks);
        int rowsWords = cfg.maxSeq() * chunks;
        int rb = AttentionConfig.bitsFor(rowsWords); // holds L d/P, one past the last address
        Signal state = reg("state", uint(3), LOAD);
        Signal c = reg("chunk", uint(cb), 0);
        Signal len = reg("len", uint(cfg.lenBits()), 0);
        Signal rowBase = reg("row_base", uint(rb), 0);   // len d/P: where the next row goes
        Signal waddr = reg("waddr", uint(rb), 0);        // the next write address within a token
        Signal dropped = reg("dropped_q", bool(), 0);
        Signal rbase = reg("rbase", uint(rb), 0);        // the row being attended
        Signal last = wire("last_chunk", bool());
        last.set(c.eq(chunks - 1));

        // ---- LOAD: the query into registers, k and v into the cache ----
        List<Vec> q = new ArrayList<>();
        List<Mem> kMem = new ArrayList<>();
        List<Mem> vMem = new ArrayList<>();
        int depth = Math.max(2, rowsWords);
        for (int l = 0; l < p; l++) {
            q.add(regs("q" + l, chunks, sint(8)));
            kMem.add(mem("kcache" + l, sint(8), depth));
            vMem.add(mem("vcache" + l, sint(8), depth));
        }
        int aw = kMem.get(0).addressWidth();
        Signal inFire = wire("in_fire", bool());
        inFire.set(in.fire());
        Expr firstBeat = c.eq(0);
        Signal startNew = wire("start_new", bool());     // beat 0 of a token marked first
        startNew.set(firstBeat.and(in.field("first")));
        Signal full = wire("full", bool());              // the cache holds L rows of this sequence
        full.set(Expr.mux(firstBeat, startNew.not().and(len.eq(cfg.maxSeq())), dropped));
        Signal wa = wire("wa", uint(rb));
        wa.set(Expr.mux(firstBeat, Expr.mux(startNew, Expr.u(0, rb), rowBase), waddr));
        in.ready().set(state.eq(LOAD));
        when(inFire, () -> {
            for (int l = 0; l < p; l++) {
                q.get(l).setAt(c, in.field("q_" + l));
                Expr a = wa.resize(aw);
                Signal kl = in.field("k_" + l);
                Signal vl = in.field("v_" + l);
                Mem km = kMem.get(l);
                Mem vm = vMem.get(l);
                when(full.not(), () -> {
                    km.write(a, kl);
                    vm.write(a, vl);
                });
            }
            waddr.set(wa.plus(1).truncate(rb));
            when(firstBeat, () -> {
                dropped.set(full);
                when(startNew, () -> {
                    len.set(Expr.u(1, cfg.lenBits()));
                    rowBase.set(Expr.u(chunks, rb));
                }).elsewhen(full.not(), () -> {
                    len.set(len.plus(1).truncate(cfg.lenBits()));
                    rowBase.set(rowBase.plus(chunks).truncate(rb));
                });
            });
        });

        // ---- QK and PV: chunk c is read at step c, used at step c + 1 ----
        Signal reading = wire("reading", bool());
        reading.set(state.eq(QK).or(state.eq(PV)).and(c.lt(chunks)));
        Expr raddr = rbase.plus(c.resize(rb)).truncate(rb).resize(aw);
        Signal prev = wire("prev_chunk", uint(cb));
        prev.set(c.minus(1).truncate(cb));
        List<Expr> products = new ArrayList<>();
        List<Signal> vRead = new ArrayList<>();
        for (int l = 0; l < p; l++) {
            Signal kr = kMem.get(l).readSync("k_rd" + l, raddr, reading.and(state.eq(QK)));
            vRead.add(vMem.get(l).readSync("v_rd" + l, raddr, reading.and(state.eq(PV))));
            products.add(q.get(l).at(prev).times(kr));
        }
        Signal dot = wire("dot", sint(cfg.scoreBits()));
        dot.set(sum(products).resize(cfg.scoreBits()));
        Signal score = reg("score", sint(cfg.scoreBits()), 0);

        // ---- SCALE: u = score * scale * log2(e) * 2^8, TFLite single rounding ----
        int total = 31 - sm.multiplier().shift();
        Signal u = reg("u", sint(32), 0);
        Expr product = score.times(Expr.s(sm.multiplier().multiplier(), 32));

        // ---- MAX: running max, the term, the rescaled sum ----
        Signal max = reg("max", sint(32 - AttentionConfig.FRAC_BITS), 0);
        Signal sum = reg("sum", uint(cfg.sumBits()), 0);
        Signal term = reg("term", uint(AttentionConfig.TABLE_BITS + 1), 0);
        Signal rescale = reg("rescale", uint(6), 0);
        Signal clear = reg("clear", bool(), 0);
        Signal firstRow = wire("first_row", bool());
        firstRow.set(rbase.eq(0));
        Signal e = wire("e", sint(32 - AttentionConfig.FRAC_BITS));
        e.set(u.shr(AttentionConfig.FRAC_BITS));
        Signal grow = wire("grow", bool());
        grow.set(firstRow.or(e.gt(max)));
        Signal k = wire("k", sint(34 - AttentionConfig.FRAC_BITS));
        k.set(e.minus(max));
        Signal kSat = wire("k_sat", uint(6));
        kSat.set(Expr.mux(k.gt(63), Expr.u(63, 6), k.resize(6).asUInt()));
        Signal newMax = wire("new_max", sint(32 - AttentionConfig.FRAC_BITS));
        newMax.set(Expr.mux(grow, e, max));
        Signal below = wire("below", sint(33)); // u - newMax 2^8 <= 255
        below.set(u.minus(newMax.shl(AttentionConfig.FRAC_BITS)).resize(33));
        Signal n = wire("n", sint(33 - AttentionConfig.FRAC_BITS));
        n.set(below.shr(AttentionConfig.FRAC_BITS));
        Signal negN = wire("neg_n", sint(34 - AttentionConfig.FRAC_BITS));
        negN.set(n.negate());
        long[] entries = new long[sm.table().length];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = sm.table()[i];
        }
        Rom table = rom("exp2_table", uint(AttentionConfig.TABLE_BITS + 1), entries);
        Signal entry = table.read("exp2", below.slice(AttentionConfig.FRAC_BITS - 1, 0));
        Signal pTerm = wire("p", uint(AttentionConfig.TABLE_BITS + 1));
        pTerm.set(Expr.mux(negN.gt(AttentionConfig.TABLE_BITS), Expr.u(0, AttentionConfig.TABLE_BITS + 1),
                entry.shr(negN.resize(5).asUInt())));
        Signal kept = wire("kept", uint(cfg.sumBits()));
        kept.set(Expr.mux(firstRow, Expr.u(0, cfg.sumBits()), Expr.mux(grow, sum.shr(kSat), sum)));

        // ---- PV: the output accumulators, P lanes of d / P registers ----
        List<Vec> acc = new ArrayList<>();
        for (int l = 0; l < p; l++) {
            acc.add(regs("o" + l, chunks, sint(cfg.accBits())));
        }

        // ---- DIV: r = floor(2^R / sum), one quotient bit a cycle ----
        int qb = cfg.reciprocalBits();
        Signal rem = reg("rem", uint(cfg.sumBits()), 0);
        Signal quo = reg("quo", uint(qb), 0);
        Signal step = reg("div_step", uint(AttentionConfig.bitsFor(qb)), 0);
        Signal rem2 = wire("rem2", uint(cfg.sumBits() + 1));
        rem2.set(rem.shl(1));
        Signal fits = wire("fits", bool());
        fits.set(rem2.ge(sum.extend(cfg.sumBits() + 1)));

        switchOn(state)
                .is(LOAD, () -> when(inFire, () -> when(last, () -> {
                    state.set(QK);
                    c.set(Expr.u(0, cb));
                    rbase.set(Expr.u(0, rb));
                }).otherwise(() -> c.set(c.plus(1).truncate(cb)))))
                .is(QK, () -> {
                    score.set(Expr.mux(c.eq(1), Expr.s(0, cfg.scoreBits()), score).plus(dot).resize(cfg.scoreBits()));
                    when(c.eq(chunks), () -> {
                        state.set(SCALE);
                        c.set(Expr.u(0, cb));
                    }).otherwise(() -> c.set(c.plus(1).truncate(cb)));
                })
                .is(SCALE, () -> {
                    u.set(product.roundShiftRight(total, Rounding.HALF_UP).resize(32));
                    state.set(MAX);
                })
                .is(MAX, () -> {
                    max.set(newMax);
                    term.set(pTerm);
                    sum.set(kept.plus(pTerm).truncate(cfg.sumBits()));
                    rescale.set(Expr.mux(grow.and(firstRow.not()), kSat, Expr.u(0, 6)));
                    clear.set(firstRow);
                    state.set(PV);
                })
                .is(PV, () -> {
                    when(c.ne(0), () -> {
                        for (int l = 0; l < p; l++) {
                            Vec o = acc.get(l);
                            Expr old = Expr.mux(clear, Expr.s(0, cfg.accBits()), o.at(prev).shr(rescale));
                            o.setAt(prev, old.plus(term.toSInt().times(vRead.get(l))).resize(cfg.accBits()));
                        }
                    });
                    when(c.eq(chunks), () -> {
                        c.set(Expr.u(0, cb));
                        rbase.set(rbase.plus(chunks).truncate(rb));
                        when(rbase.plus(chunks).truncate(rb).eq(rowBase), () -> {
                            state.set(DIV);
                            rem.set(Expr.u(1L << (cfg.reciprocalShift() - qb), cfg.sumBits()));
                            quo.set(Expr.u(0, qb));
                            step.set(Expr.u(0, AttentionConfig.bitsFor(qb)));
                        }).otherwise(() -> state.set(QK));
                    }).otherwise(() -> c.set(c.plus(1).truncate(cb)));
                })
                .is(DIV, () -> {
                    rem.set(Expr.mux(fits, rem2.minus(sum).truncate(cfg.sumBits() + 1), rem2).truncate(cfg.sumBits()));
                    quo.set(Expr.cat(quo.slice(qb - 2, 0), fits).asUInt());
                    step.set(step.plus(1).truncate(AttentionConfig.bitsFor(qb)));
                    when(step.eq(qb - 1), () -> state.set(OUT));
                })
                .is(OUT, () -> when(out.fire(), () -> when(last, () -> {
                    state.set(LOAD);
                    c.set(Expr.u(0, cb));
                }).otherwise(() -> c.set(c.plus(1).truncate(cb)))));

        // ---- OUT: O = saturate(round_half_up(o r / 2^R)) ----
        out.valid().set(state.eq(OUT));
        out.field("dropped").set(dropped);
        for (int l = 0; l < p; l++) {
            Expr scaled = acc.get(l).at(c).times(quo.toSInt()).roundShiftRight(cfg.reciprocalShift(), Rounding.HALF_UP);
            out.field("o_" + l).set(scaled.saturate(8));
        }
    }

    /** The module name states every parameter: shape and the scale's multiplier and shift. */
    static String name(AttentionConfig cfg) {
        OnlineSoftmax.Params sm = cfg.softmax();
        int shift = sm.multiplier().shift();
        return "AttnDecode_d" + cfg.headDim() + "_l" + cfg.maxSeq() + "_p" + cfg.lanes() + "_m" + sm.multiplier().multiplier()
                + "_s" + (shift < 0 ? "m" + -shift : Integer.toString(shift));
    }

    public AttentionConfig config() { return cfg; }

    /** A balanced adder tree: log2(n) levels, each add one bit wider. */
    private static Expr sum(List<Expr> terms) {
        if (terms.size() == 1) {
            return terms.get(0);
        }
        int half = terms.size() / 2;
        return sum(terms.subList(0, half)).plus(sum(terms.subList(half, terms.size())));
    }
}

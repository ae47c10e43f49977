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
 * as they arrive, then the query attends over every cached row in a pipeline that takes a row
 * every d/P cycles (row j enters at cycle j d/P of ATTEND):
 * <pre>
 *   QK    d/P cycles  read K chunk by chunk; P int8 products a cycle, one cycle later, into the exact score
 *   SCALE 1 cycle     after the last product: u = score * M rounded (TFLite single rounding, constant M and shift)
 *   MAX   1 cycle     running max, term p from the 2^8-entry table, rescaled running sum
 *   PV    d/P cycles  from the MAX cycle on, read V chunk by chunk; o = (o >> k) + p v in P lanes one cycle later
 * </pre>
 * so the P.V of row j runs in the same cycles as the Q.K^T of row j + 1: both sets of P multipliers
 * are busy in every cycle of the steady state. ATTEND takes n d/P + d/P + 3 cycles for n rows,
 * then DIV (a restoring divider, {@link AttentionConfig#reciprocalBits()} cycles) computes
 * r = floor(2^R / sum) and OUT sends d / P beats of int8 O = saturate(round_half_up(o r / 2^R)),
 * with {@code dropped} set when the cache was full. {@link AttentionCycleModel} counts the cycles.
 *
 * <p>A GQA group of H query heads shares the K/V head: a beat carries P lanes of each head's query
 * ({@code q<h>_<l>}; {@code q_<l>} when H = 1), every K and V word read feeds all H heads, and each
 * head has its own score, running max, sum, accumulators and divider, working in the same cycles,
 * so the cycle counts do not depend on H. An output beat carries P lanes of each head.
 */
public final class AttentionDecode extends Module {
    private static final int LOAD = 0;
    private static final int ATTEND = 1;
    private static final int DIV = 2;
    private static final int OUT = 3;

    public final Stream in;
    public final Stream out;
    private final AttentionConfig cfg;
    /** 2^(f / 2^8) in Q1.16, one read port per head. */
    private final Rom exp2;

    public AttentionDecode(AttentionConfig cfg) {
        super(name(cfg));
        this.cfg = cfg;
        int p = cfg.lanes();
        int chunks = cfg.chunks();
        int heads = cfg.heads();
        Record beat = Record.of("first", bool());
        for (int h = 0; h < heads; h++) {
            for (int l = 0; l < p; l++) {
                beat = beat.with(lane("q", h, l), sint(8));
            }
        }
        for (String f : List.of("k", "v")) {
            for (int l = 0; l < p; l++) {
                beat = beat.with(f + "_" + l, sint(8));
            }
        }
        in = inStream("in", beat);
        Record result = Record.of("dropped", bool());
        for (int h = 0; h < heads; h++) {
            for (int l = 0; l < p; l++) {
                result = result.with(lane("o", h, l), sint(8));
            }
        }
        out = outStream("out", result);

        int cb = AttentionConfig.bitsFor(chunks);
        int rowsWords = cfg.maxSeq() * chunks;
        int rb = AttentionConfig.bitsFor(rowsWords); // holds L d/P, one past the last address
        Signal state = reg("state", uint(2), LOAD);
        Signal c = reg("chunk", uint(cb), 0);
        Signal len = reg("len", uint(cfg.lenBits()), 0);
        Signal rowBase = reg("row_base", uint(rb), 0);   // len d/P: where the next row goes
        Signal waddr = reg("waddr", uint(rb), 0);        // the next write address within a token
        Signal dropped = reg("dropped_q", bool(), 0);
        Signal last = wire("last_chunk", bool());
        last.set(c.eq(chunks - 1));

        // ---- LOAD: the query into registers, k and v into the cache ----
        List<List<Vec>> q = new ArrayList<>();
        for (int h = 0; h < heads; h++) {
            List<Vec> qh = new ArrayList<>();
            for (int l = 0; l < p; l++) {
                qh.add(regs(lane("q", h, l) + "_r", chunks, sint(8)));
            }
            q.add(qh);
        }
        List<Mem> kMem = new ArrayList<>();
        List<Mem> vMem = new ArrayList<>();
        int depth = Math.max(2, rowsWords);
        for (int l = 0; l < p; l++) {
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
            for (int h = 0; h < heads; h++) {
                for (int l = 0; l < p; l++) {
                    q.get(h).get(l).setAt(c, in.field(lane("q", h, l)));
                }
            }
            for (int l = 0; l < p; l++) {
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

        // ---- ATTEND: a pipeline that takes a row every d/P cycles ----
        // K is read at addresses 0, 1, .. row by row; the products of a K word are summed one cycle
        // later; a row's last product is followed by SCALE, then MAX, whose cycle is also the first V
        // read of the row, so the P.V of row j overlaps the Q.K^T of row j + 1 and rows never wait.
        Signal attending = wire("attending", bool());
        attending.set(state.eq(ATTEND));
        Signal kAddr = reg("k_addr", uint(rb), 0);
        Signal kReading = wire("k_reading", bool());
        kReading.set(attending.and(kAddr.ne(rowBase)));
        Signal kChunk = reg("k_chunk", uint(cb), 0);
        Signal prodValid = reg("prod_valid", bool(), 0);
        Signal prodChunk = reg("prod_chunk", uint(cb), 0);
        Signal scaleValid = reg("scale_valid", bool(), 0);
        Signal maxValid = reg("max_valid", bool(), 0);
        Signal seenMax = reg("seen_max", bool(), 0);     // a row of this token passed MAX
        Signal vOn = reg("v_on", bool(), 0);             // V reads started (they never pause)
        Signal vAddr = reg("v_addr", uint(rb), 0);
        Signal vChunk = reg("v_chunk", uint(cb), 0);
        Signal vReading = wire("v_reading", bool());
        vReading.set(attending.and(maxValid.or(vOn)).and(vAddr.ne(rowBase)));
        Signal updValid = reg("upd_valid", bool(), 0);
        Signal updChunk = reg("upd_chunk", uint(cb), 0);
        prodValid.set(kReading);
        prodChunk.set(kChunk);
        scaleValid.set(prodValid.and(prodChunk.eq(chunks - 1)));
        maxValid.set(scaleValid);
        updValid.set(vReading);
        updChunk.set(vChunk);
        Expr nextK = chunks == 1 ? Expr.u(0, cb) : Expr.mux(kChunk.eq(chunks - 1), Expr.u(0, cb), kChunk.plus(1).truncate(cb));
        Expr nextV = chunks == 1 ? Expr.u(0, cb) : Expr.mux(vChunk.eq(chunks - 1), Expr.u(0, cb), vChunk.plus(1).truncate(cb));
        List<Signal> kRead = new ArrayList<>();
        List<Signal> vRead = new ArrayList<>();
        for (int l = 0; l < p; l++) {
            kRead.add(kMem.get(l).readSync("k_rd" + l, kAddr.resize(aw), kReading));
            vRead.add(vMem.get(l).readSync("v_rd" + l, vAddr.resize(aw), vReading));
        }
        Signal firstRow = wire("first_row", bool());
        firstRow.set(seenMax.not());
        int[] table = cfg.softmax().table();
        long[] entries = new long[table.length];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = table[i];
        }
        exp2 = rom("exp2_table", uint(AttentionConfig.TABLE_BITS + 1), entries);
        List<Head> group = new ArrayList<>();
        for (int h = 0; h < heads; h++) {
            group.add(new Head(heads == 1 ? "" : "h" + h + "_", q.get(h), kRead, prodChunk, updChunk, firstRow));
        }

        // ---- DIV: every head's divider takes one quotient bit a cycle, counted here ----
        int qb = cfg.reciprocalBits();
        Signal step = reg("div_step", uint(AttentionConfig.bitsFor(qb)), 0);

        switchOn(state)
                .is(LOAD, () -> when(inFire, () -> when(last, () -> {
                    state.set(ATTEND);
                    c.set(Expr.u(0, cb));
                    kAddr.set(Expr.u(0, rb));
                    kChunk.set(Expr.u(0, cb));
                    vAddr.set(Expr.u(0, rb));
                    vChunk.set(Expr.u(0, cb));
                    vOn.set(Expr.bool(false));
                    seenMax.set(Expr.bool(false));
                }).otherwise(() -> c.set(c.plus(1).truncate(cb)))))
                .is(ATTEND, () -> {
                    when(kReading, () -> {
                        kAddr.set(kAddr.plus(1).truncate(rb));
                        kChunk.set(nextK);
                    });
                    when(prodValid, () -> group.forEach(Head::accumulate));
                    when(scaleValid, () -> group.forEach(Head::scale));
                    when(maxValid, () -> {
                        group.forEach(Head::updateMax);
                        seenMax.set(Expr.bool(true));
                        vOn.set(Expr.bool(true));
                    });
                    when(vReading, () -> {
                        vAddr.set(vAddr.plus(1).truncate(rb));
                        vChunk.set(nextV);
                    });
                    when(updValid, () -> group.forEach(g -> g.updateOutput(vRead)));
                    // the last row's last update: every row is in the accumulators
                    when(updValid.and(vReading.not()), () -> {
                        state.set(DIV);
                        group.forEach(Head::startDivision);
                        step.set(Expr.u(0, AttentionConfig.bitsFor(qb)));
                    });
                })
                .is(DIV, () -> {
                    group.forEach(Head::divide);
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
        for (int h = 0; h < heads; h++) {
            for (int l = 0; l < p; l++) {
                out.field(lane("o", h, l)).set(group.get(h).output(l, c));
            }
        }
    }

    /** A head's lane field: {@code q_3}, or {@code q1_3} for head 1 of a group. */
    private String lane(String field, int h, int l) {
        return (cfg.heads() == 1 ? field : field + h) + "_" + l;
    }

    /**
     * One query head's datapath: its dot product with the K words read, score, scaled score,
     * running max, sum, term, output accumulators and divider. The engine's state machine calls
     * each step in its state.
     */
    private final class Head {
        private final Signal dot;
        private final Signal score;
        private final Signal u;
        private final Expr product;
        private final int total;
        private final Signal max;
        private final Signal sum;
        private final Signal term;
        private final Signal rescale;
        private final Signal clear;
        private final Signal newMax;
        private final Signal grow;
        private final Signal kSat;
        private final Signal pTerm;
        private final Signal kept;
        private final List<Vec> acc = new ArrayList<>();
        private final Signal prodChunk;
        private final Signal updChunk;
        private final Signal firstRow;
        private final Signal rem;
        private final Signal quo;
        private final Signal rem2;
        private final Signal fits;

        Head(String n, List<Vec> q, List<Signal> kRead, Signal prodChunk, Signal updChunk, Signal firstRow) {
            this.prodChunk = prodChunk;
            this.updChunk = updChunk;
            this.firstRow = firstRow;
            int p = cfg.lanes();
            OnlineSoftmax.Params sm = cfg.softmax();
            int f = AttentionConfig.FRAC_BITS;
            int termBits = AttentionConfig.TABLE_BITS + 1;
            List<Expr> products = new ArrayList<>();
            for (int l = 0; l < p; l++) {
                products.add(q.get(l).at(prodChunk).times(kRead.get(l)));
            }
            dot = wire(n + "dot", sint(cfg.scoreBits()));
            dot.set(sum(products).resize(cfg.scoreBits()));
            score = reg(n + "score", sint(cfg.scoreBits()), 0);

            // SCALE: u = score * scale * log2(e) * 2^8, TFLite single rounding
            total = 31 - sm.multiplier().shift();
            u = reg(n + "u", sint(32), 0);
            product = score.times(Expr.s(sm.multiplier().multiplier(), 32));

            // MAX: running max, the term, the rescaled sum
            max = reg(n + "max", sint(32 - f), 0);
            sum = reg(n + "sum", uint(cfg.sumBits()), 0);
            term = reg(n + "term", uint(termBits), 0);
            rescale = reg(n + "rescale", uint(6), 0);
            clear = reg(n + "clear", bool(), 0);
            Signal e = wire(n + "e", sint(32 - f));
            e.set(u.shr(f));
            grow = wire(n + "grow", bool());
            grow.set(firstRow.or(e.gt(max)));
            Signal k = wire(n + "k", sint(34 - f));
            k.set(e.minus(max));
            kSat = wire(n + "k_sat", uint(6));
            kSat.set(Expr.mux(k.gt(63), Expr.u(63, 6), k.resize(6).asUInt()));
            newMax = wire(n + "new_max", sint(32 - f));
            newMax.set(Expr.mux(grow, e, max));
            Signal below = wire(n + "below", sint(33)); // u - newMax 2^8 <= 255
            below.set(u.minus(newMax.shl(f)).resize(33));
            Signal whole = wire(n + "whole", sint(33 - f));
            whole.set(below.shr(f));
            Signal negN = wire(n + "neg_whole", sint(34 - f));
            negN.set(whole.negate());
            Signal entry = exp2.read(n + "exp2", below.slice(f - 1, 0));
            pTerm = wire(n + "p", uint(termBits));
            pTerm.set(Expr.mux(negN.gt(AttentionConfig.TABLE_BITS), Expr.u(0, termBits), entry.shr(negN.resize(5).asUInt())));
            kept = wire(n + "kept", uint(cfg.sumBits()));
            kept.set(Expr.mux(firstRow, Expr.u(0, cfg.sumBits()), Expr.mux(grow, sum.shr(kSat), sum)));

            // PV: the output accumulators, P lanes of d / P registers
            for (int l = 0; l < p; l++) {
                acc.add(regs(n + "o" + l, cfg.chunks(), sint(cfg.accBits())));
            }

            // DIV: r = floor(2^R / sum), one quotient bit a cycle
            rem = reg(n + "rem", uint(cfg.sumBits()), 0);
            quo = reg(n + "quo", uint(cfg.reciprocalBits()), 0);
            rem2 = wire(n + "rem2", uint(cfg.sumBits() + 1));
            rem2.set(rem.shl(1));
            fits = wire(n + "fits", bool());
            fits.set(rem2.ge(sum.extend(cfg.sumBits() + 1)));
        }

        void accumulate() {
            score.set(Expr.mux(prodChunk.eq(0), Expr.s(0, cfg.scoreBits()), score).plus(dot).resize(cfg.scoreBits()));
        }

        void scale() {
            u.set(product.roundShiftRight(total, Rounding.HALF_UP).resize(32));
        }

        void updateMax() {
            max.set(newMax);
            term.set(pTerm);
            sum.set(kept.plus(pTerm).truncate(cfg.sumBits()));
            rescale.set(Expr.mux(grow.and(firstRow.not()), kSat, Expr.u(0, 6)));
            clear.set(firstRow);
        }

        void updateOutput(List<Signal> vRead) {
            for (int l = 0; l < cfg.lanes(); l++) {
                Vec o = acc.get(l);
                Expr old = Expr.mux(clear, Expr.s(0, cfg.accBits()), o.at(updChunk).shr(rescale));
                o.setAt(updChunk, old.plus(term.toSInt().times(vRead.get(l))).resize(cfg.accBits()));
            }
        }

        void startDivision() {
            rem.set(Expr.u(1L << (cfg.reciprocalShift() - cfg.reciprocalBits()), cfg.sumBits()));
            quo.set(Expr.u(0, cfg.reciprocalBits()));
        }

        void divide() {
            rem.set(Expr.mux(fits, rem2.minus(sum).truncate(cfg.sumBits() + 1), rem2).truncate(cfg.sumBits()));
            quo.set(Expr.cat(quo.slice(cfg.reciprocalBits() - 2, 0), fits).asUInt());
        }

        /** O = saturate(round_half_up(o r / 2^R)) of lane l, chunk c. */
        Expr output(int l, Signal c) {
            return acc.get(l).at(c).times(quo.toSInt()).roundShiftRight(cfg.reciprocalShift(), Rounding.HALF_UP).saturate(8);
        }
    }

    /** The module name states every parameter: shape, heads and the scale's multiplier and shift. */
    static String name(AttentionConfig cfg) {
        OnlineSoftmax.Params sm = cfg.softmax();
        int shift = sm.multiplier().shift();
        return "AttnDecode_d" + cfg.headDim() + "_l" + cfg.maxSeq() + "_p" + cfg.lanes() + "_h" + cfg.heads() + "_m" + sm.multiplier().multiplier()
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

package dev.qforge.generators.attention;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Record;
import dev.qforge.dsl.Rom;
import dev.qforge.dsl.Rounding;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stream;
import dev.qforge.dsl.Switch;
import dev.qforge.dsl.Vec;
import dev.qforge.numerics.IntegerOnlineSoftmax;
import dev.qforge.numerics.IntegerTransformer;
import dev.qforge.numerics.OnlineSoftmax;

import java.util.ArrayList;
import java.util.List;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;

/**
 * The decode step of one attention head, bit-exact with {@link AttentionGolden}: a token arrives as
 * d / P beats on {@code in} (P lanes each of q, k, v, and {@code first} on its first beat to start a
 * new sequence); its k, v lanes are written to the K/V cache as they arrive (int8: P block RAMs
 * each, L d / P words; int4: see {@link Int4Cache}, whose CONVERT step runs after a token that
 * completes a key group), then the query attends over every cached row in a pipeline that takes a row
 * every d/P cycles (row j enters at cycle j d/P of ATTEND):
 * <pre>
 *   QK    d/P cycles  read K chunk by chunk; P int8 products a cycle, one cycle later, into the exact score
 *   SCALE X cycles    after the last product, the score's exponent e and mantissa w ({@link Exponential}):
 *                     base2, 1 cycle: u = score * M rounded (TFLite single rounding), e = u >> 8, w = table[u mod 2^8];
 *                     ibert, 5 pipelined cycles: I-BERT's i-exp with e in multiples of its x0
 *   MAX   1 cycle     running max, term p = w >> (max - e), rescaled running sum
 *   PV    d/P cycles  from the MAX cycle on, read V and the accumulator word chunk by chunk; o = (o >> k) + p v in P lanes one cycle later
 * </pre>
 * so the P.V of row j runs in the same cycles as the Q.K^T of row j + 1: both sets of P multipliers
 * are busy in every cycle of the steady state. ATTEND takes n d/P + d/P + 2 + X cycles for n rows,
 * then DIV (a restoring divider, {@link AttentionConfig#reciprocalBits()} cycles) computes
 * r = floor(2^R / sum) and OUT sends d / P beats of int8 O = saturate(round_half_up(o r / 2^R)),
 * with {@code dropped} set when the cache was full. {@link AttentionCycleModel} counts the cycles.
 *
 * <p>Grouped-query attention: H query heads over G K/V heads. A beat carries P lanes of each head's
 * query ({@code q<h>_<l>}; {@code q_<l>} when H = 1) and of each K/V head's key and value
 * ({@code k<g>_<l>}; {@code k_<l>} when G = 1). The G caches are one cache of G P lanes under one
 * control, so each K and V word read feeds the H / G query heads of its K/V head; each query head
 * has its own score, running max, sum, accumulators and divider, working in the same cycles, so the
 * cycle counts depend on neither H nor G. An output beat carries P lanes of each query head.
 */
public final class AttentionDecode extends Module {
    private static final int LOAD = 0;
    private static final int ATTEND = 1;
    private static final int DIV = 2;
    private static final int OUT = 3;
    private static final int CONVERT = 4;

    public final Stream in;
    public final Stream out;
    private final AttentionConfig cfg;
    /** base2: 2^(f / 2^8) in Q1.16, one read port per head; null for ibert. */
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
            for (int g = 0; g < cfg.kvHeads(); g++) {
                for (int l = 0; l < p; l++) {
                    beat = beat.with(kvLane(f, g, l), sint(8));
                }
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

        int cb = AttentionConfig.bitsFor(chunks - 1); // a chunk index: 3 bits select 8 chunks, no ninth leaf
        int rowsWords = cfg.maxSeq() * chunks;
        int rb = AttentionConfig.bitsFor(rowsWords); // holds L d/P, one past the last address
        Signal state = reg("state", uint(3), LOAD);
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
        List<Signal> kIn = new ArrayList<>();
        List<Signal> vIn = new ArrayList<>();
        for (int g = 0; g < cfg.kvHeads(); g++) {
            for (int l = 0; l < p; l++) {
                kIn.add(in.field(kvLane("k", g, l)));
                vIn.add(in.field(kvLane("v", g, l)));
            }
        }
        Cache cache = cfg.kv() == AttentionConfig.Kv.INT8 ? new Int8Cache(rowsWords, kIn, vIn)
                : new Int4Cache(rowsWords, rb, state, c, startNew, full, kIn, vIn);
        when(inFire, () -> {
            for (int h = 0; h < heads; h++) {
                for (int l = 0; l < p; l++) {
                    q.get(h).get(l).setAt(c, in.field(lane("q", h, l)));
                }
            }
            when(full.not(), () -> cache.append(wa));
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
        Signal maxValid = reg("max_valid", bool(), 0);     // scale_valid delayed by the exponential's latency
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
        Signal stageValid = scaleValid;
        for (int stage = 1; stage < cfg.exponentialLatency(); stage++) {
            Signal v = reg("exp_valid" + stage, bool(), 0);
            v.set(stageValid);
            stageValid = v;
        }
        maxValid.set(stageValid);
        updValid.set(vReading);
        updChunk.set(vChunk);
        Expr nextK = chunks == 1 ? Expr.u(0, cb) : Expr.mux(kChunk.eq(chunks - 1), Expr.u(0, cb), kChunk.plus(1).truncate(cb));
        Expr nextV = chunks == 1 ? Expr.u(0, cb) : Expr.mux(vChunk.eq(chunks - 1), Expr.u(0, cb), vChunk.plus(1).truncate(cb));
        List<Expr> kRead = cache.readKeys(kAddr, kChunk, kReading);
        List<Expr> vRead = cache.readValues(vAddr, vReading);
        Signal firstRow = wire("first_row", bool());
        firstRow.set(seenMax.not());
        exp2 = cfg.softmax() == AttentionConfig.Softmax.BASE2 ? exp2Table() : null;
        List<Head> group = new ArrayList<>();
        for (int h = 0; h < heads; h++) {
            int kvHead = h / cfg.groupSize();
            group.add(new Head(heads == 1 ? "" : "h" + h + "_", q.get(h), kRead.subList(kvHead * p, kvHead * p + p),
                    vRead.subList(kvHead * p, kvHead * p + p), prodChunk, vChunk, updChunk, firstRow));
        }

        // ---- DIV: every head's divider takes one quotient bit a cycle, counted here ----
        int qb = cfg.reciprocalBits();
        Signal step = reg("div_step", uint(AttentionConfig.bitsFor(qb)), 0);

        Switch states = switchOn(state)
                .is(LOAD, () -> when(inFire, () -> when(last, () -> {
                    state.set(cache.convertsAfter() == null ? Expr.u(ATTEND, 3)
                            : Expr.mux(cache.convertsAfter().and(full.not()), Expr.u(CONVERT, 3), Expr.u(ATTEND, 3)));
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
                    when(maxValid, () -> {
                        group.forEach(Head::updateMax);
                        seenMax.set(Expr.bool(true));
                        vOn.set(Expr.bool(true));
                    });
                    when(vReading, () -> {
                        vAddr.set(vAddr.plus(1).truncate(rb));
                        vChunk.set(nextV);
                        group.forEach(Head::fetch);
                    });
                    when(updValid, () -> group.forEach(Head::updateOutput));
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
        if (cache.convertsAfter() != null) {
            states.is(CONVERT, () -> when(cache.converted(), () -> state.set(ATTEND)));
        }

        // ---- OUT: O = saturate(round_half_up(o r / 2^R)) ----
        out.valid().set(state.eq(OUT));
        out.field("dropped").set(dropped);
        for (int h = 0; h < heads; h++) {
            for (int l = 0; l < p; l++) {
                out.field(lane("o", h, l)).set(group.get(h).output(l, c));
            }
        }
    }

    /** base2's exponent table 2^(f / 2^8) in Q1.16, the golden model's entries. */
    private Rom exp2Table() {
        int[] table = cfg.base2().table();
        long[] entries = new long[table.length];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = table[i];
        }
        return rom("exp2_table", uint(AttentionConfig.TABLE_BITS + 1), entries);
    }

    /** A K/V head's lane field: {@code k_3}, or {@code k1_3} for K/V head 1 of several. */
    private String kvLane(String field, int g, int l) {
        return field + kvSuffix(g) + "_" + l;
    }

    /** "" with one K/V head, else its number. */
    private String kvSuffix(int g) {
        return cfg.kvHeads() == 1 ? "" : Integer.toString(g);
    }

    /** A head's lane field: {@code q_3}, or {@code q1_3} for head 1 of a group. */
    private String lane(String field, int h, int l) {
        return (cfg.heads() == 1 ? field : field + h) + "_" + l;
    }

    /** The K/V cache: rows appended beat by beat, read one word of P elements a cycle (the data one cycle after the address). */
    private interface Cache {
        /** Stores the beat's k, v lanes (the caller enables it for a beat of a token that is not dropped); wa: the V word address. */
        void append(Expr wa);

        /** Null when the cache never converts, else: on a token's last beat, whether it completes a key group. */
        Expr convertsAfter();

        /** In CONVERT: its last cycle. */
        Expr converted();

        /** The P key elements of K word addr (row-major, d/P words a row) as the engine reads them, one cycle later. */
        List<Expr> readKeys(Signal addr, Signal chunk, Signal enable);

        /** The P value elements of V word addr as the engine reads them, one cycle later. */
        List<Expr> readValues(Signal addr, Signal enable);
    }

    /** int8 K and V as they arrive: a block RAM of L d/P words per lane of every K/V head (G P each). */
    private final class Int8Cache implements Cache {
        private final List<Mem> kMem = new ArrayList<>();
        private final List<Mem> vMem = new ArrayList<>();
        private final List<Signal> k;
        private final List<Signal> v;

        Int8Cache(int rowsWords, List<Signal> k, List<Signal> v) {
            this.k = k;
            this.v = v;
            for (int l = 0; l < k.size(); l++) {
                kMem.add(mem("kcache" + l, sint(8), Math.max(2, rowsWords)));
                vMem.add(mem("vcache" + l, sint(8), Math.max(2, rowsWords)));
            }
        }

        @Override
        public void append(Expr wa) {
            for (int l = 0; l < k.size(); l++) {
                kMem.get(l).write(wa.resize(kMem.get(l).addressWidth()), k.get(l));
                vMem.get(l).write(wa.resize(vMem.get(l).addressWidth()), v.get(l));
            }
        }

        @Override
        public Expr convertsAfter() { return null; }

        @Override
        public Expr converted() { throw new IllegalStateException("an int8 cache never converts"); }

        @Override
        public List<Expr> readKeys(Signal addr, Signal chunk, Signal enable) {
            return read(kMem, "k_rd", addr, enable);
        }

        @Override
        public List<Expr> readValues(Signal addr, Signal enable) {
            return read(vMem, "v_rd", addr, enable);
        }

        private List<Expr> read(List<Mem> mems, String port, Signal addr, Signal enable) {
            List<Expr> words = new ArrayList<>();
            for (int l = 0; l < mems.size(); l++) {
                words.add(mems.get(l).readSync(port + l, addr.resize(mems.get(l).addressWidth()), enable));
            }
            return words;
        }
    }

    /**
     * The int4 cache ({@link Int4Kv}). Values: each beat's P elements are one group, quantized as
     * they arrive (P int4 block RAMs and one of exponents, L d/P words). Keys: a row waits as int8 in
     * the residual (Lg rows) until its key group is complete; then CONVERT (Lg d/P + 1 cycles) reads
     * the residual back and writes each element's code with its channel's exponent (the largest
     * |k| of the channel over the group, kept in registers as rows arrive) into the int4 key cache
     * (the rows of whole groups), and the exponents into one word per channel word and group.
     */
    private final class Int4Cache implements Cache {
        private final int g = cfg.kvGroup();
        private final int chunks = cfg.chunks();
        private final List<Mem> kMem = new ArrayList<>();
        private final List<Mem> kExp = new ArrayList<>();
        private final List<Mem> kRes = new ArrayList<>();
        private final List<Mem> vMem = new ArrayList<>();
        private final List<Mem> vExp = new ArrayList<>();   // one per K/V head
        private final List<Vec> kMax = new ArrayList<>();
        private final int resBits;
        private final int expBits;
        private final int rowBits;
        private final Signal resRows;     // rows in the residual
        private final Signal doneBase;    // K words in whole groups (the first residual row's address)
        private final Signal expBase;     // exponent words written: groups d/P
        private final Signal rowsBefore;  // rows in the residual before this token
        private final Signal convAddr;    // CONVERT: the residual word read
        private final Signal convChunk;
        private final Signal convReading;
        private final Signal convValid;   // CONVERT: the word read last cycle is written now
        private final Signal convWrite;
        private final Signal convWChunk;
        private final Signal attending;
        private final Signal expAddr;     // ATTEND: the exponent word of the K word read
        private final Signal rowInGroup;  // ATTEND: the row read, within its group
        private final Signal chunk;       // LOAD: the beat of the token
        private final List<Signal> k;
        private final List<Signal> v;
        private final List<Signal> vx = new ArrayList<>();   // LOAD: the exponent of the beat's values, per K/V head
        private final List<Signal> vCode = new ArrayList<>();
        private final List<Signal> kMag = new ArrayList<>();
        private final List<Signal> kMaxNow = new ArrayList<>();   // LOAD: the channel's largest |k| so far
        private final Signal ra;          // LOAD: the residual address of the beat's keys

        Int4Cache(int rowsWords, int rb, Signal state, Signal c, Signal startNew, Signal full, List<Signal> k, List<Signal> v) {
            this.k = k;
            this.v = v;
            int p = cfg.lanes();
            int lanes = k.size();
            int groups = cfg.maxSeq() / g;
            resBits = AttentionConfig.bitsFor((long) g * chunks);
            expBits = AttentionConfig.bitsFor((long) groups * chunks);
            rowBits = AttentionConfig.bitsFor(g);
            for (int l = 0; l < lanes; l++) {
                kMem.add(mem("kcache" + l, sint(4), Math.max(2, cfg.groupedRows() * chunks)));
                kExp.add(mem("kexp" + l, uint(Int4Kv.EXPONENT_BITS), Math.max(2, groups * chunks)));
                kRes.add(mem("kres" + l, sint(8), Math.max(2, g * chunks)));
                vMem.add(mem("vcache" + l, sint(4), Math.max(2, rowsWords)));
                kMax.add(regs("kmax" + l, chunks, uint(8), 0));
            }
            for (int g = 0; g < cfg.kvHeads(); g++) {
                vExp.add(mem("vexp" + kvSuffix(g), uint(Int4Kv.EXPONENT_BITS), Math.max(2, rowsWords)));
            }
            resRows = reg("res_rows", uint(rowBits), 0);
            doneBase = reg("done_base", uint(rb), 0);
            expBase = reg("exp_base", uint(expBits), 0);
            chunk = c;
            // values: a beat's P lanes of a K/V head are one group
            for (int g = 0; g < cfg.kvHeads(); g++) {
                Signal largest = null;
                for (int l = g * p; l < g * p + p; l++) {
                    Signal m = wire("v_mag" + l, uint(8));
                    m.set(Int4Kv.magnitude(v.get(l)));
                    Signal most = wire("v_max" + l, uint(8));
                    most.set(l == g * p ? m : Expr.mux(m.gt(largest), m, largest));
                    largest = most;
                }
                Signal x = wire("v_exp" + kvSuffix(g), uint(Int4Kv.EXPONENT_BITS));
                x.set(Int4Kv.exponent(largest));
                vx.add(x);
            }
            for (int l = 0; l < lanes; l++) {
                vCode.add(codeWire("v_code" + l, v.get(l), vx.get(l / p)));
                Signal m = wire("k_mag" + l, uint(8));
                m.set(Int4Kv.magnitude(k.get(l)));
                kMag.add(m);
                Signal now = wire("k_max_now" + l, uint(8));
                now.set(kMax.get(l).at(c));
                kMaxNow.add(now);
            }
            // keys: into the residual at row rowsBefore, word c
            ra = wire("res_wa", uint(resBits));
            rowsBefore = wire("rows_before", uint(rowBits));
            rowsBefore.set(Expr.mux(startNew, Expr.u(0, rowBits), resRows));
            ra.set(rowsBefore.resize(resBits).times(chunks).plus(chunk.resize(resBits)).truncate(resBits));
            when(startNew.and(in.fire()), () -> {
                doneBase.set(Expr.u(0, rb));
                expBase.set(Expr.u(0, expBits));
                resRows.set(Expr.u(0, rowBits));
            });
            // a token's last beat: its row joins the residual, or completes the group (CONVERT empties the residual)
            when(in.fire().and(c.eq(chunks - 1)).and(full.not()).and(rowsBefore.ne(g - 1)),
                    () -> resRows.set(rowsBefore.plus(1).truncate(rowBits)));

            Signal converting = wire("converting", bool());
            converting.set(state.eq(CONVERT));
            convAddr = reg("conv_addr", uint(resBits), 0);
            convChunk = reg("conv_chunk", uint(AttentionConfig.bitsFor(chunks - 1)), 0);
            convReading = wire("conv_reading", bool());
            convReading.set(converting.and(convAddr.ne(g * chunks)));
            convValid = reg("conv_valid", bool(), 0);
            convValid.set(convReading);
            convWrite = reg("conv_write", uint(rb), 0);
            convWrite.set(doneBase.plus(convAddr.resize(rb)).truncate(rb));
            convWChunk = reg("conv_wchunk", uint(AttentionConfig.bitsFor(chunks - 1)), 0);
            convWChunk.set(convChunk);
            when(converting.not(), () -> {
                convAddr.set(Expr.u(0, resBits));
                convChunk.set(Expr.u(0, AttentionConfig.bitsFor(chunks - 1)));
            }).elsewhen(convReading, () -> {
                convAddr.set(convAddr.plus(1).truncate(resBits));
                convChunk.set(next(convChunk));
            });
            when(converted(), () -> {
                doneBase.set(doneBase.plus(g * chunks).truncate(rb));
                expBase.set(expBase.plus(chunks).truncate(expBits));
                resRows.set(Expr.u(0, rowBits));
            });

            attending = wire("kv_attending", bool());
            attending.set(state.eq(ATTEND));
            expAddr = reg("exp_addr", uint(expBits), 0);
            rowInGroup = reg("row_in_group", uint(rowBits), 0);
        }

        /** The 4-bit code of x with exponent X, through a wire for the rounded value (read five times). */
        private Signal codeWire(String n, Expr x, Expr exponent) {
            Signal r = wire(n + "_rounded", sint(10));
            r.set(Int4Kv.rounded(x, exponent));
            Signal code = wire(n, sint(4));
            code.set(Int4Kv.code(r));
            return code;
        }

        private Expr next(Signal chunk) {
            int cb = AttentionConfig.bitsFor(chunks - 1);
            return chunks == 1 ? Expr.u(0, cb) : Expr.mux(chunk.eq(chunks - 1), Expr.u(0, cb), chunk.plus(1).truncate(cb));
        }

        @Override
        public void append(Expr wa) {
            for (int g = 0; g < vExp.size(); g++) {
                vExp.get(g).write(wa.resize(vExp.get(g).addressWidth()), vx.get(g));
            }
            for (int l = 0; l < k.size(); l++) {
                vMem.get(l).write(wa.resize(vMem.get(l).addressWidth()), vCode.get(l));
                kRes.get(l).write(ra.resize(kRes.get(l).addressWidth()), k.get(l));
                Vec mx = kMax.get(l);
                mx.setAt(chunk, Expr.mux(rowsBefore.eq(0).or(kMag.get(l).gt(kMaxNow.get(l))), kMag.get(l), kMaxNow.get(l)));
            }
        }

        @Override
        public Expr convertsAfter() { return rowsBefore.eq(g - 1); }

        @Override
        public Expr converted() { return convValid.and(convReading.not()); }

        @Override
        public List<Expr> readKeys(Signal addr, Signal chunk, Signal enable) {
            int rb = addr.width();
            Signal inRes = wire("k_in_res", bool());
            inRes.set(addr.ge(doneBase));
            Signal resAddr = wire("res_ra", uint(resBits));
            resAddr.set(Expr.mux(attending, addr.minus(doneBase).truncate(rb).resize(resBits), convAddr));
            Signal resEnable = wire("res_re", bool());
            resEnable.set(enable.and(inRes).or(convReading));
            Signal wasRes = reg("k_was_res", bool(), 0);
            wasRes.set(inRes);
            Signal lastChunk = wire("k_last_chunk", bool());
            lastChunk.set(chunk.eq(chunks - 1));
            when(attending.not(), () -> {
                expAddr.set(Expr.u(0, expBits));
                rowInGroup.set(Expr.u(0, rowBits));
            }).elsewhen(enable, () -> when(lastChunk.not(), () -> expAddr.set(expAddr.plus(1).truncate(expBits)))
                    .elsewhen(rowInGroup.eq(g - 1), () -> {
                        rowInGroup.set(Expr.u(0, rowBits));
                        expAddr.set(expAddr.plus(1).truncate(expBits));
                    }).otherwise(() -> {
                        rowInGroup.set(rowInGroup.plus(1).truncate(rowBits));
                        expAddr.set(expAddr.minus(chunks - 1).truncate(expBits));
                    }));
            List<Expr> words = new ArrayList<>();
            for (int l = 0; l < k.size(); l++) {
                Mem km = kMem.get(l);
                Mem ke = kExp.get(l);
                Mem kr = kRes.get(l);
                Signal code = km.readSync("k_rd" + l, addr.resize(km.addressWidth()), enable.and(inRes.not()));
                Signal x = ke.readSync("kx_rd" + l, expAddr.resize(ke.addressWidth()), enable.and(inRes.not()));
                Signal raw = kr.readSync("kres_rd" + l, resAddr.resize(kr.addressWidth()), resEnable);
                // CONVERT: the residual word read last cycle, quantized with its channel's exponent
                Signal cmax = wire("conv_max" + l, uint(8));
                cmax.set(kMax.get(l).at(convWChunk));
                Signal cx = wire("conv_exp" + l, uint(Int4Kv.EXPONENT_BITS));
                cx.set(Int4Kv.exponent(cmax));
                Signal convCode = codeWire("conv_code" + l, raw, cx);
                when(convValid, () -> {
                    km.write(convWrite.resize(km.addressWidth()), convCode);
                    ke.write(expBase.plus(convWChunk.resize(expBits)).truncate(expBits).resize(ke.addressWidth()), cx);
                });
                Signal word = wire("k_word" + l, sint(Int4Kv.READ_BITS));
                word.set(Expr.mux(wasRes, raw.shl(Int4Kv.shift(cfg.kv())).resize(Int4Kv.READ_BITS), Int4Kv.read(code, x)));
                words.add(word);
            }
            return words;
        }

        @Override
        public List<Expr> readValues(Signal addr, Signal enable) {
            List<Signal> x = new ArrayList<>();
            for (int g = 0; g < vExp.size(); g++) {
                x.add(vExp.get(g).readSync("vx_rd" + kvSuffix(g), addr.resize(vExp.get(g).addressWidth()), enable));
            }
            List<Expr> words = new ArrayList<>();
            for (int l = 0; l < k.size(); l++) {
                Mem vm = vMem.get(l);
                Signal word = wire("v_word" + l, sint(Int4Kv.READ_BITS));
                word.set(Int4Kv.read(vm.readSync("v_rd" + l, addr.resize(vm.addressWidth()), enable), x.get(l / cfg.lanes())));
                words.add(word);
            }
            return words;
        }
    }

    /**
     * One query head's datapath: its dot product with the K words read, score, scaled score,
     * running max, sum, term, output accumulators and divider. The engine's state machine calls
     * each step in its state.
     */
    private final class Head {
        private final Signal dot;
        private final Signal score;
        private final Exponential exponential;
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
        /** With several chunks, the accumulator word the V word read updates, read in the same cycle (see fetch). */
        private final List<Signal> held = new ArrayList<>();
        private final Signal prodChunk;
        private final Signal vChunk;
        private final Signal updChunk;
        private final List<Expr> vRead;   // the V words of this head's K/V head
        private final Signal firstRow;
        private final Signal rem;
        private final Signal quo;
        private final Signal rem2;
        private final Signal fits;

        Head(String n, List<Vec> q, List<Expr> kRead, List<Expr> vRead, Signal prodChunk, Signal vChunk, Signal updChunk, Signal firstRow) {
            this.vRead = vRead;
            this.prodChunk = prodChunk;
            this.vChunk = vChunk;
            this.updChunk = updChunk;
            this.firstRow = firstRow;
            int p = cfg.lanes();
            int eb = cfg.exponentBits();
            int termBits = cfg.termBits();
            List<Expr> products = new ArrayList<>();
            for (int l = 0; l < p; l++) {
                products.add(q.get(l).at(prodChunk).times(kRead.get(l)));
            }
            dot = wire(n + "dot", sint(cfg.scoreBits()));
            dot.set(sum(products).resize(cfg.scoreBits()));
            score = reg(n + "score", sint(cfg.scoreBits()), 0);

            exponential = cfg.softmax() == AttentionConfig.Softmax.BASE2 ? new Base2Exponential(n, score) : new IbertExponential(n, score);

            // MAX: running max, the term, the rescaled sum
            max = reg(n + "max", sint(eb), 0);
            sum = reg(n + "sum", uint(cfg.sumBits()), 0);
            term = reg(n + "term", uint(termBits), 0);
            rescale = reg(n + "rescale", uint(6), 0);
            clear = reg(n + "clear", bool(), 0);
            Signal e = wire(n + "e", sint(eb));
            e.set(exponential.exponent());
            grow = wire(n + "grow", bool());
            grow.set(firstRow.or(e.gt(max)));
            Signal k = wire(n + "k", sint(eb + 1));
            k.set(e.minus(max));
            kSat = wire(n + "k_sat", uint(6));
            kSat.set(Expr.mux(k.gt(63), Expr.u(63, 6), k.resize(6).asUInt()));
            newMax = wire(n + "new_max", sint(eb));
            newMax.set(Expr.mux(grow, e, max));
            Signal drop = wire(n + "drop", sint(eb + 1)); // newMax - e >= 0: the mantissa's shift
            drop.set(newMax.minus(e));
            pTerm = wire(n + "p", uint(termBits));
            pTerm.set(Expr.mux(drop.gt(termBits - 1), Expr.u(0, termBits), exponential.mantissa().shr(drop.resize(5).asUInt())));
            kept = wire(n + "kept", uint(cfg.sumBits()));
            kept.set(Expr.mux(firstRow, Expr.u(0, cfg.sumBits()), Expr.mux(grow, sum.shr(kSat), sum)));

            // PV: the output accumulators, P lanes of d / P registers
            for (int l = 0; l < p; l++) {
                acc.add(regs(n + "o" + l, cfg.chunks(), sint(cfg.accBits())));
                if (cfg.chunks() > 1) {
                    held.add(reg(n + "o_held" + l, sint(cfg.accBits())));
                }
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

        void updateMax() {
            max.set(newMax);
            term.set(pTerm);
            sum.set(kept.plus(pTerm).truncate(cfg.sumBits()));
            rescale.set(Expr.mux(grow.and(firstRow.not()), kSat, Expr.u(0, 6)));
            clear.set(firstRow);
        }

        /**
         * In a V read cycle: the accumulator word of the chunk read, into a register, so the word's
         * multiplexer and the rescaling shifter behind it are two stages (as one, ABC maps them to
         * wide LUTs that copy the multiplexer into each shift stage: 354 LUTs a lane on xcup against 198).
         * The chunk's previous update is written by then: d/P >= 2 cycles separate two reads of a chunk.
         */
        void fetch() {
            for (int l = 0; l < held.size(); l++) {
                held.get(l).set(acc.get(l).at(vChunk));
            }
        }

        void updateOutput() {
            for (int l = 0; l < cfg.lanes(); l++) {
                Vec o = acc.get(l);
                Expr current = held.isEmpty() ? o.at(updChunk) : held.get(l);
                Expr old = Expr.mux(clear, Expr.s(0, cfg.accBits()), current.shr(rescale));
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
            return acc.get(l).at(c).times(quo.toSInt()).roundShiftRight(cfg.outputShift(), Rounding.HALF_UP).saturate(8);
        }
    }

    /**
     * A head's exponential, by softmax variant: from the row's complete score, in the SCALE cycle, to
     * its integer exponent e and its mantissa w (the term before the shift by max - e) in the MAX
     * cycle, {@link AttentionConfig#exponentialLatency()} cycles later. Its stages run every cycle:
     * scale_valid's delay, max_valid, marks the row in the MAX cycle.
     */
    private interface Exponential {
        /** e, {@link AttentionConfig#exponentBits()} bits signed. */
        Expr exponent();

        /** w, {@link AttentionConfig#termBits()} bits unsigned. */
        Expr mantissa();
    }

    /** base2 ({@link OnlineSoftmax}): u = score scoreScale log2(e) 2^8 (TFLite single rounding), e = u >> 8, w = table[u mod 2^8]. */
    private final class Base2Exponential implements Exponential {
        private final Signal u;
        private final Signal entry;

        Base2Exponential(String n, Signal score) {
            OnlineSoftmax.Params sm = cfg.base2();
            u = reg(n + "u", sint(32), 0);
            u.set(score.times(Expr.s(sm.multiplier().multiplier(), 32)).roundShiftRight(31 - sm.multiplier().shift(), Rounding.HALF_UP)
                    .resize(32));
            entry = exp2.read(n + "exp2", u.slice(AttentionConfig.FRAC_BITS - 1, 0));
        }

        @Override
        public Expr exponent() { return u.shr(AttentionConfig.FRAC_BITS); }

        @Override
        public Expr mantissa() { return entry; }
    }

    /**
     * ibert ({@link IntegerOnlineSoftmax}), five pipelined stages: e = ceil(s / c); r = s - e c;
     * z = (r + bInt) r + cInt; z M; w = saturate(round_half_even(z M / 2^(shift - 30))), I-BERT's
     * 16-bit exponential. The division by the constant c is a multiply by m = ceil(2^(N + l) / c) and a shift
     * by N + l (l = ceil(log2 c)), exact for every dividend below 2^N (Granlund and Montgomery 1994,
     * Theorem 4.2: m c - 2^(N + l) <= 2^l); the dividend is s + c - 1 + K c, K c >= 2^(scoreBits - 1)
     * making it non-negative, and the quotient K too many is taken off again.
     */
    private final class IbertExponential implements Exponential {
        private final Signal e4;
        private final Signal w4;

        IbertExponential(String n, Signal score) {
            IntegerTransformer.SoftmaxParams p = cfg.ibert();
            long c = IntegerOnlineSoftmax.step(p);
            int sb = cfg.scoreBits();
            int eb = cfg.exponentBits();
            long k = Math.floorDiv((1L << (sb - 1)) + c - 1, c);
            long offset = c - 1 + k * c;
            int nBits = AttentionConfig.bitsFor((1L << (sb - 1)) - 1 + offset);
            int l = AttentionConfig.bitsFor(c - 1);
            long m = Math.floorDiv((1L << (nBits + l)) + c - 1, c);
            Signal dividend = wire(n + "ceil_num", uint(nBits));
            dividend.set(score.plus(Expr.s(offset, AttentionConfig.bitsFor(offset) + 1)).resize(nBits + 1).asUInt().truncate(nBits));
            Signal quotient = wire(n + "ceil_quo", uint(nBits + 2 - l));
            quotient.set(dividend.times(Expr.u(m, AttentionConfig.bitsFor(m))).shr(nBits + l).resize(nBits + 2 - l));
            Signal e0 = reg(n + "exp_e0", sint(eb), 0);
            Signal s0 = reg(n + "exp_s0", sint(sb), 0);
            e0.set(quotient.toSInt().minus(Expr.s(k, AttentionConfig.bitsFor(k) + 1)).resize(eb));
            s0.set(score);

            int rb = AttentionConfig.bitsFor(c) + 1;
            Signal e1 = reg(n + "exp_e1", sint(eb), 0);
            Signal r1 = reg(n + "exp_r1", sint(rb), 0);
            e1.set(e0);
            r1.set(s0.minus(e0.times(Expr.s(c, rb))).resize(rb));

            int zb = AttentionConfig.bitsFor(p.exp().cInt());
            Signal e2 = reg(n + "exp_e2", sint(eb), 0);
            Signal z2 = reg(n + "exp_z2", uint(zb), 0);
            e2.set(e1);
            Expr bInt = Expr.s(p.exp().bInt(), AttentionConfig.bitsFor(p.exp().bInt()) + 1);
            Expr cInt = Expr.s(p.exp().cInt(), zb + 1);
            z2.set(r1.plus(bInt).times(r1).plus(cInt).resize(zb + 1).asUInt().truncate(zb));

            Signal e3 = reg(n + "exp_e3", sint(eb), 0);
            Signal product3 = reg(n + "exp_zm3", uint(zb + 31), 0);
            e3.set(e2);
            product3.set(z2.times(Expr.u(p.requantMultiplier(), 31)));

            e4 = reg(n + "exp_e4", sint(eb), 0);
            w4 = reg(n + "exp_w4", uint(cfg.termBits()), 0);
            e4.set(e3);
            w4.set(product3.roundShiftRight(p.requantShift() - 30, Rounding.HALF_EVEN).saturate(cfg.termBits()));
        }

        @Override
        public Expr exponent() { return e4; }

        @Override
        public Expr mantissa() { return w4; }
    }

    /** The module name states every parameter: shape, heads, cache and the softmax's constants. */
    static String name(AttentionConfig cfg) {
        String kv = cfg.kv() == AttentionConfig.Kv.INT8 ? "" : "_kv4g" + cfg.kvGroup();
        String kvHeads = cfg.kvHeads() == 1 ? "" : "_g" + cfg.kvHeads();
        return "AttnDecode_d" + cfg.headDim() + "_l" + cfg.maxSeq() + "_p" + cfg.lanes() + "_h" + cfg.heads() + kvHeads + kv + softmaxName(cfg);
    }

    /** base2: the scale's multiplier and shift; ibert: c, bInt, cInt and the 16-bit requantization's multiplier and shift. */
    private static String softmaxName(AttentionConfig cfg) {
        if (cfg.softmax() == AttentionConfig.Softmax.BASE2) {
            OnlineSoftmax.Params sm = cfg.base2();
            int shift = sm.multiplier().shift();
            return "_m" + sm.multiplier().multiplier() + "_s" + (shift < 0 ? "m" + -shift : Integer.toString(shift));
        }
        IntegerTransformer.SoftmaxParams p = cfg.ibert();
        return "_ibert_c" + IntegerOnlineSoftmax.step(p) + "_b" + p.exp().bInt() + "_k" + p.exp().cInt() + "_m" + p.requantMultiplier()
                + "_s" + p.requantShift();
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

package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Signal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;

/**
 * An output-stationary GEMM engine: Y = A x B for runtime M, K, N on an R x C grid of
 * {@link OsPe}s, each accumulating one element of an R x C tile of Y over K steps.
 *
 * <p>Beat order (what the user sends; {@link GemmGolden} builds exactly these beats):
 * <pre>
 *   cfg:  one beat (m, k, n) per GEMM
 *   for each N fold n0 = 0, C, 2C, ... and, inside it, each M fold m0 = 0, R, 2R, ... (one tile):
 *     K steps, each one wgt beat (lane c = B[k][n0 + c]) together with one act beat (lane r = A[m0 + r][k])
 *     out: min(R, M - m0) beats, beat i: lane c = Y[m0 + i][n0 + c]
 * </pre>
 * A step takes one wgt and one act beat on the same cycle. Lanes past M or N are ignored on input
 * and 0 on output.
 *
 * <p>Activation lanes are skewed by row and weight lanes by column into the grid, so PE (r, c)
 * sees step k at cycle k + r + c. Finished tiles are read out row by row, row r once its last PE
 * has finished, through one multiplexer per column. With packing P neighbouring columns share a
 * {@link PackedOsPe} and its timing (G = ceil(C/P) PE columns, else G = C). Consecutive tiles must
 * be at least S = max(R, G) cycles apart (so a row is read before the next tile overwrites it, and readouts do
 * not overlap), so a tile with K < S is followed by S - K idle cycles, and the last tile of a GEMM by
 * S - 2. One enable advances every
 * register, so output back-pressure freezes the engine in place.
 *
 * <p>With D = {@link SystolicConfig#productDelay()} extra register stages per PE, every PE
 * accumulates (and restarts, and copies its finished sum) D cycles after its operands arrive,
 * so each row is read out D cycles later and an N fold's parameters are in use D cycles longer.
 */
public final class OsGemmEngine extends EngineModule {
    static final int STEP = 1;
    static final int WAIT = 2;
    static final int PARAMS = 3;

    public OsGemmEngine(SystolicConfig cfg) {
        super(cfg, Dataflow.OS, "GemmEngine");
        int rows = cfg.rows();
        int cols = cfg.cols();
        int accBits = cfg.accBits();
        // Columns of PEs: a packed PE serves several columns, which then share its timing.
        int grid = cfg.gridCols();
        int span = Math.max(rows, grid);
        boolean mFolding = cfg.maxM() > rows;
        boolean nFolding = cfg.maxN() > cols;
        int foldStart = foldParams != null ? PARAMS : STEP;
        // Row r of a tile is final G + 1 + D + r cycles after the tile's last step.
        int finalAfter = grid + 1 + cfg.productDelay();
        // With fold parameters, an N fold's last tile waits until its last row is read out
        // (R + G - 1 + D cycles after its last step) before the next beat may replace them.
        int paramsWait = finalAfter + rows - 2;

        // ---- controller ----------------------------------------------------------------------
        Signal state = reg("state", uint(2), IDLE);
        Signal mTotal = reg("m_total", cfgIn.field("m").type());
        Signal kTotal = reg("k_total", cfgIn.field("k").type());
        Signal mLeft = reg("m_left", cfgIn.field("m").type());
        Signal kIdx = reg("k_idx", uint(bitsFor(cfg.maxK() - 1)), 0);
        Signal waited = reg("waited", uint(bitsFor(foldParams != null ? Math.max(span, paramsWait) : span)), 0);

        // A step moves one act and one wgt beat together.
        Signal step = wire("step", bool());
        step.set(en.and(state.eq(STEP)).and(act.valid()).and(wgt.valid()));
        act.ready().set(en.and(state.eq(STEP)).and(wgt.valid()));
        wgt.ready().set(en.and(state.eq(STEP)).and(act.valid()));
        cfgIn.ready().set(en.and(state.eq(IDLE)));
        if (foldParams != null) {
            foldParams.ready().set(en.and(state.eq(PARAMS)));
        }

        Expr firstStep = kIdx.eq(0);
        Expr lastStep = kIdx.plus(1).eq(kTotal);
        // Consecutive tiles' last steps must be S cycles apart. Within a GEMM the next tile takes K
        // steps, so this tile may end once waited + K >= S (waited is 0 until its last step); after
        // the last tile the next GEMM's cfg beat and first step take at least 2 cycles. With fold
        // parameters an N fold's last tile waits for its readout instead (which is longer).
        Expr longEnough;
        if (foldParams != null) {
            Expr readOut = waited.ge(paramsWait);
            longEnough = mFolding ? Expr.mux(mLeft.le(rows), readOut, waited.plus(kTotal).ge(span)) : readOut;
        } else {
            Expr lastTile = null;
            if (mFolding) {
                lastTile = mLeft.le(rows);
            }
            if (nFolding) {
                lastTile = lastTile == null ? nLeft.le(cols) : lastTile.and(nLeft.le(cols));
            }
            Expr nextTileCycles = lastTile == null ? Expr.u(2, 2) : Expr.mux(lastTile, Expr.u(2, 2), kTotal);
            longEnough = waited.plus(nextTileCycles).ge(span);
        }
        Signal tileDone = wire("tile_done", bool());
        tileDone.set(step.and(lastStep).and(longEnough).or(state.eq(WAIT).and(en).and(longEnough)));

        when(cfgIn.fire(), () -> {
            mTotal.set(cfgIn.field("m"));
            kTotal.set(cfgIn.field("k"));
            mLeft.set(cfgIn.field("m"));
            state.set(foldStart);
        });
        if (foldParams != null) {
            when(foldParams.fire(), () -> state.set(STEP));
        }
        when(step, () -> when(lastStep, () -> {
            kIdx.set(0);
            waited.set(1); // the last step counts as the first cycle of the wait
            state.set(WAIT);
        }).otherwise(() -> kIdx.set(kIdx.plus(1).truncate(kIdx.width()))));
        when(state.eq(WAIT).and(en), () -> waited.set(waited.plus(1).truncate(waited.width())));
        when(tileDone, () -> {
            waited.set(0);
            if (mFolding) {
                when(mLeft.gt(rows), () -> {
                    mLeft.set(mLeft.minus(rows).truncate(mLeft.width()));
                    state.set(STEP);
                }).otherwise(() -> nextNFold(state, () -> mLeft.set(mTotal), foldStart));
            } else {
                nextNFold(state, null, foldStart);
            }
        });

        // ---- input stage and skew --------------------------------------------------------------
        // Rows past M compute values that are never read out, so activations need no mask.
        Signal[] rowV = new Signal[rows];
        Signal[] rowFirst = new Signal[rows];
        Signal[] rowLast = new Signal[rows];
        Signal[] rowA = new Signal[rows];
        for (int r = 0; r < rows; r++) {
            rowV[r] = validPipe("a_v_" + r, step, r + 1)[r];
            rowFirst[r] = pipe("a_first_" + r, firstStep, r + 1)[r];
            rowLast[r] = pipe("a_last_" + r, lastStep, r + 1)[r];
            rowA[r] = pipe("a_skew_" + r, activation(r), r + 1)[r];
        }
        // Each PE column's weights: one column's, or a packed PE's packed once for all its rows.
        // Columns past N multiply by 0, so their results read 0. PE column g is skewed by g.
        int per = cfg.columnsPerPe();
        Signal[] colB = new Signal[grid];
        for (int g = 0; g < grid; g++) {
            int lanes = Math.min(per, cols - g * per);
            List<Expr> b = new ArrayList<>();
            for (int c = g * per; c < g * per + lanes; c++) {
                b.add(masked(nLeft, c, lane(wgt, c)));
            }
            colB[g] = pipe("b_skew_" + g, lanes > 1 ? PackedMultiply.pack(b, cfg.peActBits()) : b.get(0), g + 1)[g];
        }

        // ---- the grid: signals leaving each PE, passed on to its neighbours ---------------------
        int stages = cfg.peStages();
        // one module per lane count, made when first needed: full packed PEs, the last narrower one, a one-column PE
        Map<Integer, OsPeModule> peOfLanes = new HashMap<>();
        Signal[][] bDown = new Signal[rows][grid];   // each PE column's weights leaving row r
        Signal[][] res = new Signal[rows][cols];     // each column's finished sum in row r
        for (int r = 0; r < rows; r++) {
            Signal a = rowA[r];
            Signal v = rowV[r];
            Signal first = rowFirst[r];
            Signal last = rowLast[r];
            for (int g = 0; g < grid; g++) {
                // PE column g holds columns g * per .. (the last PE column what remains of C).
                int c0 = g * per;
                int lanes = Math.min(per, cols - c0);
                OsPeModule def = peOfLanes.computeIfAbsent(lanes, n -> n > 1 ? new PackedOsPe(n, cfg.peActBits(), cfg.weightBits(), accBits, stages)
                        : new OsPe(cfg.peActBits(), cfg.weightBits(), accBits, stages));
                Instance<OsPeModule> p = instance("pe_" + r + "_" + g, def);
                p.io(def.en).set(en);
                p.io(def.aIn).set(a);
                p.io(def.vIn).set(v);
                p.io(def.firstIn).set(first);
                p.io(def.lastIn).set(last);
                p.io(def.bIn).set(r > 0 ? bDown[r - 1][g] : colB[g]);
                bDown[r][g] = p.io(def.bOut);
                for (int i = 0; i < lanes; i++) {
                    res[r][c0 + i] = p.io(def.result(i));
                }
                a = p.io(def.aOut);
                v = p.io(def.vOut);
                first = p.io(def.firstOut);
                last = p.io(def.lastOut);
            }
        }

        // ---- readout: row r of a tile is final G + 1 + D + r cycles after the tile's last step --
        int rowBits = bitsFor(rows - 1);
        Expr rowsMinus1 = mFolding ? Expr.mux(mLeft.gt(rows), Expr.u(rows - 1, rowBits), mLeft.minus(1).resize(rowBits))
                : mLeft.minus(1).resize(rowBits);
        Signal[] doneV = validPipe("done_v", step.and(lastStep), finalAfter);
        Signal[] doneRows = pipe("done_rows", rowsMinus1, finalAfter);
        Signal start = wire("readout_start", bool());
        start.set(en.and(doneV[finalAfter - 1]));
        Signal busy = reg("readout_busy", bool(), 0);
        Signal rdRow = reg("readout_row", uint(rowBits), 0);
        Signal rdLast = reg("readout_last", uint(rowBits), 0);
        Signal sel = wire("readout_sel", uint(rowBits));
        sel.set(Expr.mux(busy, rdRow, Expr.u(0, rowBits)));
        when(start, () -> {
            rdRow.set(1);
            rdLast.set(doneRows[finalAfter - 1]);
            busy.set(doneRows[finalAfter - 1].ne(0));
        }).elsewhen(busy.and(en), () -> when(rdRow.eq(rdLast), () -> busy.set(Expr.bool(false)))
                .otherwise(() -> rdRow.set(rdRow.plus(1).truncate(rowBits))));
        Signal[] biasQ = bias != null ? biasRegisters() : null;
        Expr[] values = new Expr[cols];
        for (int c = 0; c < cols; c++) {
            Expr v = res[rows - 1][c];
            for (int r = rows - 2; r >= 0; r--) {
                v = Expr.mux(sel.eq(r), res[r][c], v);
            }
            // the accumulator width includes the bias, so the sum cannot overflow
            values[c] = biasQ == null ? v : v.plus(biasQ[c].extend(accBits)).truncate(accBits);
        }
        outputStage(values, start.or(busy));
    }
}

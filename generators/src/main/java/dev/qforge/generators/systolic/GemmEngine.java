package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.SourceLocation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;

/**
 * A weight-stationary GEMM engine: Y = A x B for runtime M, K, N (up to the configured maxima) on
 * an R x C grid of {@link WsPe}s, with valid/ready streams in and out.
 *
 * <p>Beat order (what the user sends; {@link GemmGolden} builds exactly these beats):
 * <pre>
 *   cfg:  one beat (m, k, n [, zp] [, out_zp, act_min, act_max]) per GEMM
 *   for each N fold n0 = 0, C, 2C, ... :
 *     bias: one beat, lane c = bias[n0 + c]                       (only with bias)
 *     quant: one beat, bias, mult and shift of columns n0 + c     (only with requant)
 *     for each K fold k0 = 0, R, 2R, ... :
 *       wgt: min(R, K - k0) beats, beat r: lane c = B[k0 + r][n0 + c]
 *       act: M beats, beat m: lane r = A[m][k0 + r]
 *     out: M beats after the last K fold, beat m: lane c = Y[m][n0 + c]
 * </pre>
 * Lanes past K or N in a beat are ignored on input and 0 on output (with requant: clamp(out_zp)).
 *
 * <p>Inside, a controller walks the folds; activation lanes are skewed (row r delayed r cycles)
 * into the grid and the column sums de-skewed (column c delayed C-1-c) so a whole result row
 * leaves together. Partial sums of earlier K folds live in one accumulator memory per column
 * (maxM words). The bias enters as the top partial sum of the first K fold. One enable,
 * {@code en}, advances every register, so output back-pressure freezes the engine in place and no
 * beat is lost or repeated (en is low while the output stage's skid register holds the beat
 * out_ready refused, so it is a register); input bubbles become invalid rows.
 * After a fold's last activation the controller waits G-1 cycles (G = C grid columns, or
 * ceil(C/P) when P columns share a {@link PackedWsPe}) so the next fold's weights (written one
 * grid row per beat) never replace a weight still in use. With requant the accumulated rows pass
 * through a {@link dev.qforge.generators.requant.Requantizer}; after an N fold's last K fold the controller then waits until its
 * last row has entered it (R + G - 1 cycles) before taking the next quant beat.
 *
 * <p>With D = {@link SystolicConfig#productDelay()} extra register stages per PE, every PE adds its
 * product D cycles after its activation arrives; the partial sum from above is one PE ahead and
 * arrives as late, so the skew is unchanged and each result leaves D cycles later: the tags
 * (first K fold, last K fold, row index) travel D stages further, the bias enters row 0 D cycles
 * after the row. Drains grow to match: between K folds by the cycle the multiplier reads its
 * input register ({@link SystolicConfig#weightReadDelay()}), after an N fold by D (the bias and
 * the requantizer's parameters of the last rows are in use D cycles longer).
 *
 * <p>With group scales ({@link GroupScale}), each group of K starts with a scale beat (state
 * SCALE, before the group's first K fold's weights); the accumulator memory then sums the K folds
 * of one group, and each group's last K fold sends its exact integer sums, with the row's tags,
 * to one {@link GroupScaleStage} per column, which scales, accumulates and rounds them. A group's
 * last K fold drains R + G - 1 + D cycles (until its last row has read the scale register).
 *
 * <p>With MX operands ({@link MxBlocks}) the groups are the blocks of 32 along K and the scale
 * beats carry the weight blocks' E8M0 scales; each activation beat also carries its row's block
 * scale (field {@code scale}), which travels with the row's tags to the {@link MxScaleStage}.
 * Element codes are decoded once at the grid's edge ({@link MxOperand}: activation lanes per row,
 * weight lanes per column) and multiplied exactly in {@link MxPe}s.
 */
public final class GemmEngine extends EngineModule {
    static final int PARAMS = 1;
    static final int LOAD = 2;
    static final int STREAM = 3;
    static final int DRAIN = 4;
    /** Grouped engines: waiting for the scale beat of the next group. */
    static final int SCALE = 5;

    public GemmEngine(SystolicConfig cfg) {
        super(cfg, Dataflow.WS, "OsGemmEngine");
        int rows = cfg.rows();
        int cols = cfg.cols();
        // Columns of PEs: a packed PE serves several columns, which then share its timing.
        int grid = cfg.gridCols();
        int accBits = cfg.accBits();
        int delay = cfg.productDelay();
        boolean folding = cfg.maxK() > rows;
        // groups of K sharing a scale: the group scales' groups or the MX blocks
        boolean grouped = cfg.scaled();
        int foldsPerGroup = cfg.groupSize() / rows;
        // K folds whose integer sums add up in the accumulator memory: all of them, or those within a group
        boolean intFolding = folding && foldsPerGroup != 1;
        // whether a K fold other than the last can end a group (then a fold counter tells)
        boolean groupCounter = grouped && intFolding && cfg.maxK() > cfg.groupSize();
        int depth = Math.max(2, cfg.maxM());
        int mAddrBits = bitsFor(depth - 1);

        // ---- controller ----------------------------------------------------------------------
        Signal state = reg("state", uint(3), IDLE);
        Signal mTotal = reg("m_total", cfgIn.field("m").type());
        // K folds only exist when maxK exceeds the grid; otherwise their logic would be constant.
        Signal kTotal = folding ? reg("k_total", cfgIn.field("k").type()) : null;
        Signal kLeft = reg("k_left", cfgIn.field("k").type());
        Signal row = reg("row", uint(bitsFor(rows - 1)), 0);
        Signal mIdx = reg("m_idx", uint(mAddrBits), 0);
        int lastDrain = lastDrain(cfg);
        // grouped engines drain as long after every K fold that ends a group (the scale register is reloaded)
        int midDrain = intFolding ? midDrain(cfg) : lastDrain;
        Signal drain = lastDrain > 0 ? reg("drain", uint(bitsFor(Math.max(1, lastDrain - 1))), 0) : null;
        int foldStart = foldParams != null ? PARAMS : grouped ? SCALE : LOAD;
        Signal groupFold = groupCounter ? reg("group_fold", uint(bitsFor(foldsPerGroup - 1)), 0) : null;
        // whether the K folds under way belong to the first group (whose scaled sum starts the row's accumulator)
        Signal inFirstGroup = groupCounter ? reg("in_first_group", bool(), 1) : null;

        cfgIn.ready().set(en.and(state.eq(IDLE)));
        wgt.ready().set(en.and(state.eq(LOAD)));
        act.ready().set(en.and(state.eq(STREAM)));
        if (foldParams != null) {
            foldParams.ready().set(en.and(state.eq(PARAMS)));
        }
        if (scale != null) {
            scale.ready().set(en.and(state.eq(SCALE)));
        }
        // whether the K fold under way is the first and the last: registers set beside k_left, so no
        // comparison of it precedes the controller's next state (single_k: K takes one fold)
        Signal firstK = folding ? reg("first_k", bool()) : null;
        Signal lastK = folding ? reg("last_k", bool()) : null;
        Signal singleK = folding && cfg.maxN() > cols ? reg("single_k", bool()) : null;
        // the K fold ends its group (null: every fold does); the first fold of a group
        Expr groupEnd = !grouped ? lastK : !intFolding ? null : groupCounter ? lastK.or(groupFold.eq(foldsPerGroup - 1)) : lastK;
        Expr groupStart = groupCounter ? groupFold.eq(0) : firstK;
        Expr firstGroup = groupCounter ? inFirstGroup : firstK;
        // which fold ends wait lastDrain cycles (where midDrain differs)
        Expr longDrain = groupEnd;
        // whether the weight beat under way is the fold's last row (row R - 1, or K - k0 - 1), likewise a register
        Signal lastRow = reg("last_row", bool());
        // row + 2 beside row, so the next row's flag needs no adder before its comparison
        Signal rowPlus2 = rows > 1 ? reg("row_plus2", uint(bitsFor(rows)), 2) : null;
        // whether the activation row under way is the fold's last, likewise a register set beside m_idx;
        // m_before_last = m - 2 tells it a row ahead (when m > 1, the only case that reads it)
        Signal lastM = reg("last_m", bool());
        Signal mBeforeLast = reg("m_before_last", uint(mAddrBits));
        // A fold ends with its last activation, or after its drain. Only on a single PE column
        // without a weight-read delay does a drain depend on the fold (after the last K fold only);
        // midDrain differs from lastDrain only when K folds exist, so lastK is defined wherever it is used.
        boolean drainsIfLastK = midDrain == 0 && lastDrain > 0;
        // the drain's last cycle (drain == its end), a register set as the drain starts and as it counts
        Signal drainLast = drain != null ? reg("drain_last", bool()) : null;
        Signal foldDone = wire("fold_done", bool());
        Expr lastAct = act.fire().and(lastM);
        if (drain == null) {
            foldDone.set(lastAct);
        } else {
            Expr drained = state.eq(DRAIN).and(en).and(drainLast);
            foldDone.set(drainsIfLastK ? lastAct.and(longDrain.not()).or(drained) : drained);
        }

        when(cfgIn.fire(), () -> {
            mTotal.set(cfgIn.field("m"));
            lastM.set(cfgIn.field("m").eq(1));
            mBeforeLast.set(cfgIn.field("m").minus(2).truncate(mAddrBits));
            if (folding) {
                kTotal.set(cfgIn.field("k"));
            }
            kLeft.set(cfgIn.field("k"));
            lastRow.set(oneRowFold(cfgIn.field("k"), 0));
            if (folding) {
                firstK.set(Expr.bool(true));
                lastK.set(cfgIn.field("k").le(rows));
                if (singleK != null) {
                    singleK.set(cfgIn.field("k").le(rows));
                }
            }
            state.set(foldStart);
        });
        if (foldParams != null) {
            when(foldParams.fire(), () -> state.set(grouped ? SCALE : LOAD));
        }
        if (scale != null) {
            when(scale.fire(), () -> state.set(LOAD));
        }
        when(wgt.fire(), () -> when(lastRow, () -> {
            row.set(0);
            if (rows > 1) {
                rowPlus2.set(2);
            }
            lastRow.set(oneRowFold(kLeft, 0));
            state.set(STREAM);
        }).otherwise(() -> {
            row.set(row.plus(1).truncate(row.width()));
            if (rows > 1) { // else every row is the last
                rowPlus2.set(rowPlus2.plus(1).truncate(rowPlus2.width()));
                lastRow.set(row.eq(rows - 2).or(rowPlus2.eq(kLeft)));
            }
        }));
        when(act.fire(), () -> when(lastM, () -> {
            mIdx.set(0);
            lastM.set(mTotal.eq(1));
            if (drainsIfLastK) {
                when(longDrain, () -> state.set(DRAIN));
            } else if (drain != null) {
                state.set(DRAIN);
            }
            if (drain != null) {
                drainLast.set(drainEnd(longDrain, midDrain, lastDrain, drain.width(), 0).eq(0));
            }
        }).otherwise(() -> {
            mIdx.set(mIdx.plus(1).truncate(mAddrBits));
            lastM.set(mIdx.eq(mBeforeLast));
        }));
        if (drain != null) {
            when(state.eq(DRAIN).and(en), () -> {
                drain.set(drain.plus(1).truncate(drain.width()));
                drainLast.set(drain.eq(drainEnd(longDrain, midDrain, lastDrain, drain.width(), 1)));
            });
        }
        when(foldDone, () -> {
            if (drain != null) {
                drain.set(0);
            }
            if (groupFold != null) {
                groupFold.set(Expr.mux(groupEnd, Expr.u(0, groupFold.width()), groupFold.plus(1).truncate(groupFold.width())));
                inFirstGroup.set(lastK.or(groupEnd.not().and(inFirstGroup)));
            }
            if (folding) {
                when(lastK.not(), () -> {
                    kLeft.set(kLeft.minus(rows).truncate(kLeft.width()));
                    lastRow.set(oneRowFold(kLeft, rows)); // of k_left - rows left
                    firstK.set(Expr.bool(false));
                    lastK.set(kLeft.le(2L * rows)); // k_left - rows <= rows
                    if (!grouped) {
                        state.set(LOAD);
                    } else if (groupEnd == null) {
                        state.set(SCALE);
                    } else {
                        when(groupEnd, () -> state.set(SCALE)).otherwise(() -> state.set(LOAD));
                    }
                }).otherwise(() -> {
                    if (singleK != null) {
                        // the next N fold's K folds start over (unconditionally: after the last, the next cfg beat sets them)
                        kLeft.set(kTotal);
                        firstK.set(Expr.bool(true));
                        lastK.set(singleK);
                        lastRow.set(oneRowFold(kTotal, 0));
                    }
                    nextNFold(state, null, foldStart);
                });
            } else {
                nextNFold(state, null, foldStart);
            }
        });

        Signal[] biasQ = bias != null ? biasRegisters() : null;

        // ---- activation input stage, tags, skew ------------------------------------------------
        // A row's tags at stage j describe the activation row accepted j + 1 cycles ago.
        int tagStages = rows + grid + delay;
        Expr actFire = act.fire();
        Signal[] tagValid = validPipe("tag_valid", actFire, tagStages);
        // the first and last K fold of the integer sums (of a group, when grouped)
        Signal[] tagFirst = intFolding ? pipe("tag_first", !grouped ? firstK : groupStart, tagStages) : null;
        Signal[] tagLast = intFolding ? pipe("tag_last", groupEnd, tagStages) : null;
        boolean groups = cfg.maxGroups() > 1;
        Signal[] tagFirstGroup = groups ? pipe("tag_first_group", firstGroup, tagStages) : null;
        Signal[] tagLastGroup = groups ? pipe("tag_last_group", lastK, tagStages) : null;
        Signal[] tagM = intFolding || groups ? pipe("tag_m", mIdx, tagStages) : null;
        Signal[] tagActScale = cfg.mx() != null ? pipe("tag_act_scale", act.field("scale"), tagStages) : null;
        MxOperand mxAct = cfg.mx() != null ? new MxOperand(cfg.mx().act(), true) : null;
        MxOperand mxWeight = cfg.mx() != null ? new MxOperand(cfg.mx().weight(), false) : null;
        Signal[] rowIn = new Signal[rows];
        for (int r = 0; r < rows; r++) {
            // Lanes past K read 0 (MX: absent), so stale weights in the unused grid rows add nothing.
            Expr a = mxAct != null ? mxAct.decode(lane(act, r), masked(kLeft, r, actFire))
                    : Expr.mux(actFire, masked(kLeft, r, activation(r)), Expr.s(0, cfg.peActBits()));
            Signal[] skew = pipe("a_skew_" + r, a, r + 1);
            rowIn[r] = skew[r];
        }

        // ---- the grid --------------------------------------------------------------------------
        Signal[] wBus = new Signal[cols];
        for (int c = 0; c < cols; c++) {
            Expr w = masked(nLeft, c, lane(wgt, c));
            wBus[c] = wire("w_bus_" + c, mxWeight != null ? uint(mxWeight.width()) : sint(cfg.weightBits()));
            wBus[c].set(mxWeight != null ? mxWeight.decode(w, null) : w);
        }
        int stages = cfg.peStages();
        int per = cfg.columnsPerPe();
        // one module per lane count, made when first needed: full packed PEs, the last narrower one, a one-column PE
        Map<Integer, WsPeModule> peOfLanes = new HashMap<>();
        // Each grid column's weight input: one column's, or a packed PE's packed once for all its rows.
        Signal[] colW = new Signal[grid];
        for (int g = 0; g < grid; g++) {
            int lanes = Math.min(per, cols - g * per);
            if (lanes > 1) {
                Expr packed = PackedMultiply.pack(Arrays.asList(wBus).subList(g * per, g * per + lanes), cfg.peActBits());
                colW[g] = wire("w_packed_" + g, packed.type());
                colW[g].set(packed);
            } else {
                colW[g] = wBus[g * per];
            }
        }
        Signal[][] psum = new Signal[rows][cols];   // each column's partial sum leaving row r
        for (int r = 0; r < rows; r++) {
            Signal load = wire("w_load_" + r, bool());
            load.set(wgt.fire().and(row.eq(r)));
            Signal a = rowIn[r];
            for (int g = 0; g < grid; g++) {
                // Grid column g holds columns g * per .. (the last grid column what remains of C).
                int c0 = g * per;
                int lanes = Math.min(per, cols - c0);
                WsPeModule def = peOfLanes.computeIfAbsent(lanes, n -> n > 1 ? new PackedWsPe(n, cfg.peActBits(), cfg.weightBits(), accBits, stages)
                        : cfg.mx() != null ? new MxPe(cfg.mx()) : new WsPe(cfg.peActBits(), cfg.weightBits(), accBits, stages));
                Instance<WsPeModule> p = instance("pe_" + r + "_" + g, def);
                // its ports wired at the line that instantiates it: one stack walk per PE instead of six
                // (on a 256x256 grid the walks were about a tenth of the elaboration)
                SourceLocation at = p.createdAt();
                connect(p.io(def.en), en, at);
                connect(p.io(def.aIn), a, at);
                connect(p.io(def.wIn), colW[g], at);
                connect(p.io(def.wLoad), load, at);
                for (int i = 0; i < lanes; i++) {
                    int c = c0 + i;
                    connect(p.io(def.psumIn(i)), r > 0 ? psum[r - 1][c] : topPsum(biasQ, tagFirst, c, g), at);
                    psum[r][c] = p.io(def.psumOut(i));
                }
                a = p.io(def.aOut);
            }
        }

        // ---- de-skew, accumulate across K folds, output register or requantizer ----------------
        int last = tagStages - 1; // the tag stage of a row whose de-skewed sums are here
        Signal[] sums = new Signal[cols];
        for (int c = 0; c < cols; c++) {
            Signal bottom = psum[rows - 1][c];
            int g = c / cfg.columnsPerPe();
            Expr col = g == grid - 1 ? bottom : pipe("deskew_" + c, bottom, grid - 1 - g)[grid - 2 - g];
            Signal sum = wire("sum_" + c, sint(accBits));
            if (intFolding) {
                Mem acc = mem("acc_" + c, sint(accBits), depth);
                Signal partial = acc.readSync("acc_rd_" + c, tagM[last - 1], en);
                sum.set(col.plus(Expr.mux(tagFirst[last], Expr.s(0, accBits), partial)).truncate(accBits));
                when(en.and(tagValid[last]).and(tagLast[last].not()), () -> acc.write(tagM[last], sum));
            } else {
                sum.set(col);
            }
            sums[c] = sum;
        }
        Expr groupDone = intFolding ? tagValid[last].and(tagLast[last]) : tagValid[last];
        if (!grouped) {
            outputStage(sums, groupDone);
        } else {
            scaleColumns(sums, groupDone, groups ? tagFirstGroup[last] : null, groups ? tagLastGroup[last] : null,
                    groups ? tagM[last] : null, tagActScale != null ? tagActScale[last] : null);
        }
    }

    /**
     * Grouped and MX engines: each column's {@link GroupScaleStage} (or {@link MxScaleStage}) takes
     * the group (block) sums of its column with the group's scale (a register per column, loaded
     * from each scale beat, lanes past N cleared; MX: with the row's activation scale, and whether
     * the column lies within N) and delivers the rounded results to the output stage.
     */
    private void scaleColumns(Signal[] sums, Expr groupDone, Expr firstGroup, Expr lastGroup, Expr row, Expr actScale) {
        MxScaleStage mxDef = cfg.mx() != null ? new MxScaleStage(cfg) : null;
        ScaledSumStage def = mxDef != null ? mxDef : new GroupScaleStage(cfg);
        Expr[] results = new Expr[cfg.cols()];
        Expr valid = null;
        for (int c = 0; c < cfg.cols(); c++) {
            Signal s = reg("scale_q_" + c, lane(scale, c).type());
            s.setWhen(scale.fire(), masked(nLeft, c, lane(scale, c)));
            Instance<ScaledSumStage> u = instance((mxDef != null ? "block_scale_" : "group_scale_") + c, def);
            if (mxDef != null) {
                Signal present = reg("present_q_" + c, bool());
                present.setWhen(scale.fire(), masked(nLeft, c, Expr.bool(true)));
                u.io(mxDef.present).set(present);
                u.io(mxDef.actScale).set(actScale);
            }
            u.io(def.en).set(en);
            u.io(def.inValid).set(groupDone);
            if (firstGroup != null) {
                u.io(def.firstGroup).set(firstGroup);
                u.io(def.lastGroup).set(lastGroup);
                u.io(def.row).set(row);
            }
            u.io(def.sum).set(sums[c]);
            u.io(def.scale).set(s);
            results[c] = u.io(def.out);
            if (c == 0) {
                valid = u.io(def.outValid);
            }
        }
        outputStage(results, valid);
    }

    /**
     * The drain counter's last value less {@code ahead} (at least 0): lastDrain - 1 after a fold
     * ending with the long drain, else midDrain - 1.
     */
    private static Expr drainEnd(Expr longDrain, int midDrain, int lastDrain, int width, int ahead) {
        Expr lastEnd = Expr.u(Math.max(0, lastDrain - 1 - ahead), width);
        return midDrain == lastDrain || midDrain == 0 ? lastEnd : Expr.mux(longDrain, lastEnd, Expr.u(Math.max(0, midDrain - 1 - ahead), width));
    }

    /** Whether a fold of K with {@code kLeft - done} rows left loads one weight row. */
    private Expr oneRowFold(Expr kLeft, int done) {
        return cfg.rows() == 1 ? Expr.bool(true) : kLeft.eq(1 + done);
    }

    /**
     * Cycles the controller waits after a K fold's last activation before the next K fold's
     * weights, G - 1 (+ 1 when the multiplier reads its input register): until that row has been
     * multiplied by the last PE column, whose weight row 0 is rewritten first.
     */
    static int midDrain(SystolicConfig cfg) {
        return cfg.gridCols() - 1 + cfg.weightReadDelay();
    }

    /**
     * Cycles the controller waits after an N fold's last activation before the next fold or GEMM:
     * the K-fold drain; with a bias until the last row has taken its bias at the last PE column
     * (G - 1 + D); with requant until the last row has entered the requantizer (R + G - 1 + D).
     */
    static int lastDrain(SystolicConfig cfg) {
        int d = cfg.productDelay();
        if (cfg.requant() != null || cfg.scaled()) {
            return cfg.rows() + cfg.gridCols() - 1 + d;
        }
        return cfg.bias() ? cfg.gridCols() - 1 + d : midDrain(cfg); // D >= the weight-read delay
    }

    /** Row 0's partial-sum input of column c (in grid column g): the bias on rows of the first K fold, else 0. */
    private Expr topPsum(Signal[] biasQ, Signal[] tagFirst, int c, int g) {
        Expr zero = Expr.s(0, cfg.accBits());
        if (biasQ == null) {
            return zero;
        }
        Expr b = biasQ[c].extend(cfg.accBits());
        // PE (0, g) adds this to the product of the row that entered the grid g + D cycles ago: tag stage g + D.
        return tagFirst == null ? b : Expr.mux(tagFirst[g + cfg.productDelay()], b, zero);
    }
}

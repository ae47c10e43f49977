package dev.qforge.generators.systolic;

import dev.qforge.generators.InvalidParameter;
import dev.qforge.numerics.IntFormat;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.TfliteRounding;

/**
 * The generation parameters of a {@link GemmEngine}, validated: every bad value fails with a
 * message naming the parameter and the value.
 *
 * @param rows     R, PE rows: the K slice held per fold (1..256)
 * @param cols     C, PE columns: the N slice per fold, lanes of a weight and a result beat (1..256)
 * @param maxM     largest runtime M (activation rows streamed per fold)
 * @param maxK     largest runtime K (reduction depth)
 * @param maxN     largest runtime N (output columns)
 * @param actBits  activation width: 2, 4 or 8
 * @param actSigned  signed activations; unsigned ones (uint8 only) come with a runtime zero point
 *                   that the engine subtracts (a field of the cfg beat)
 * @param weightBits weight width, signed: 2, 4 or 8
 * @param accBits  accumulator and result width; 0 derives the smallest width that cannot overflow,
 *                 a wider one (up to 64) is accepted; with requant the accumulator enters TFLite's
 *                 int32 add (wrapped or sign-extended to 32 bits)
 * @param bias     whether a per-column int32 bias is added (one bias beat per N fold)
 * @param dataflow weight- or output-stationary
 * @param packed   neighbouring columns share one multiplier per row, as many as one DSP48E2
 *                 computes products of one operand ({@link #columnsPerPe}); bit-exact with unpacked
 * @param peStages register stages inside each PE (1..3), where a DSP slice has them: 1 registers
 *                 the partial sum (PREG); 2 also the product (MREG); 3 also multiplies
 *                 registered operands (AREG/BREG), so the multiply is a DSP-internal pipeline
 *                 stage (the registry's default). Each stage past the first adds one cycle of
 *                 latency and nothing else to the throughput.
 * @param requant  null for accumulator outputs; else the TFLite rounding of an int8 requantizing
 *                 output stage, whose per-column int32 bias, multiplier
 *                 and shift come in one beat per N fold
 * @param group    null for integer results; else per-group weight scales applied to the exact
 *                 integer sum of each group of K (weight-stationary, no bias or requant): accBits
 *                 is then the width of a group's integer sum, the results are floats
 * @param mx       null for integer operands; else OCP MX operands ({@link MxBlocks}): actBits and
 *                 weightBits are then the element code widths, accBits the width of a block's
 *                 partial-sum word ({@link MxBlocks#wordBits}), the results are floats
 */
public record SystolicConfig(int rows, int cols, int maxM, int maxK, int maxN, int actBits, boolean actSigned, int weightBits,
                             int accBits, boolean bias, Dataflow dataflow, boolean packed, int peStages, TfliteRounding requant,
                             GroupScale group, MxBlocks mx) {
    public static final int MAX_DIM = 256;
    /** Width of a bias lane. */
    public static final int BIAS_BITS = 32;
    /** Requantized results are int8. */
    public static final int REQUANT_OUT_BITS = 8;
    /** The most register stages a PE can have (input, product and partial-sum registers). */
    public static final int MAX_PE_STAGES = 3;

    public SystolicConfig {
        requireIn("rows", rows, 1, MAX_DIM);
        requireIn("cols", cols, 1, MAX_DIM);
        requireIn("maxM", maxM, 1, 1 << 20);
        requireIn("maxK", maxK, 1, 1 << 20);
        requireIn("maxN", maxN, 1, 1 << 20);
        if (mx != null) {
            requireMx(mx, rows, actBits, weightBits, bias, dataflow, packed, peStages, requant, group);
        } else if (actBits != 2 && actBits != 4 && actBits != 8) {
            throw new InvalidParameter("actBits", "must be 2, 4 or 8, got " + actBits);
        }
        if (!actSigned && actBits != 8) {
            throw new InvalidParameter("actSigned", "must be true for " + actBits + "-bit activations: only 8-bit ones may be unsigned (uint8)");
        }
        if (mx == null && weightBits != 2 && weightBits != 4 && weightBits != 8) {
            throw new InvalidParameter("weightBits", "must be 2, 4 or 8, got " + weightBits);
        }
        if (dataflow == null) {
            throw new InvalidParameter("dataflow", "must be ws or os, got null");
        }
        requireIn("peStages", peStages, 1, MAX_PE_STAGES);
        if (requant != null && bias) {
            throw new InvalidParameter("bias", "cannot be combined with requant: the quant beat carries the bias");
        }
        if (group != null) {
            if (dataflow != Dataflow.WS) {
                throw new InvalidParameter("group", "needs the weight-stationary dataflow (ws): the output-stationary one has no K folds to scale");
            }
            if (bias || requant != null) {
                throw new InvalidParameter("group", "cannot be combined with " + (bias ? "bias" : "requant")
                        + ": grouped engines return floats (fold a bias into the consumer)");
            }
            if (group.size() % rows != 0) {
                throw new InvalidParameter("group", "must be a multiple of rows (" + rows + ") so that no K fold straddles two groups, got "
                        + group.size());
            }
        }
        int needed = mx != null ? mx.wordBits()
                : requiredAccBits(group == null ? maxK : Math.min(maxK, group.size()), peActBits(actBits, actSigned), weightBits, bias);
        if (mx != null && accBits != 0 && accBits != needed) {
            throw new InvalidParameter("accBits", "must be 0 (derived) for MX operands, whose block sums need " + needed + " bits, got " + accBits);
        }
        if (accBits == 0) {
            accBits = needed;
        } else if (accBits < needed || accBits > 64) {
            throw new InvalidParameter("accBits", "must be 0 (derived) or in " + needed + "..64, got " + accBits + ": a sum of up to "
                    + (group == null ? maxK : Math.min(maxK, group.size())) + " " + new IntFormat(actBits, actSigned) + " x int" + weightBits + " products" + (bias ? " plus an int32 bias" : "")
                    + " needs " + needed + " bits");
        }
    }

    /** An engine of integer operands. */
    public SystolicConfig(int rows, int cols, int maxM, int maxK, int maxN, int actBits, boolean actSigned, int weightBits,
                          int accBits, boolean bias, Dataflow dataflow, boolean packed, int peStages, TfliteRounding requant,
                          GroupScale group) {
        this(rows, cols, maxM, maxK, maxN, actBits, actSigned, weightBits, accBits, bias, dataflow, packed, peStages, requant, group, null);
    }

    /** An engine without group scales. */
    public SystolicConfig(int rows, int cols, int maxM, int maxK, int maxN, int actBits, boolean actSigned, int weightBits,
                          int accBits, boolean bias, Dataflow dataflow, boolean packed, int peStages, TfliteRounding requant) {
        this(rows, cols, maxM, maxK, maxN, actBits, actSigned, weightBits, accBits, bias, dataflow, packed, peStages, requant, null);
    }

    /** What an MX x MX engine cannot have: the other operand formats, and what its PE does not (yet) offer. */
    private static void requireMx(MxBlocks mx, int rows, int actBits, int weightBits, boolean bias, Dataflow dataflow, boolean packed, int peStages,
                                  TfliteRounding requant, GroupScale group) {
        if (actBits != mx.act().bits() || weightBits != mx.weight().bits()) {
            throw new InvalidParameter(actBits != mx.act().bits() ? "actBits" : "weightBits", "must be the MX element's code width ("
                    + (actBits != mx.act().bits() ? mx.act().bits() : mx.weight().bits()) + "), got "
                    + (actBits != mx.act().bits() ? actBits : weightBits));
        }
        if (dataflow != Dataflow.WS) {
            throw new InvalidParameter("dataflow", "must be ws for MX operands: the output-stationary engine has no K folds to scale");
        }
        if (group != null) {
            throw new InvalidParameter("group", "cannot be combined with MX operands: their E8M0 scales are per block of " + Mx.BLOCK_SIZE);
        }
        if (bias || requant != null) {
            throw new InvalidParameter(bias ? "bias" : "requant", "cannot be combined with MX operands: MX engines return floats");
        }
        if (packed) {
            throw new InvalidParameter("packed", "is for integer operands: an MX PE multiplies significands and adds exponents");
        }
        if (peStages != 1) {
            throw new InvalidParameter("peStages", "must be 1 for MX operands (their PE has one register stage), got " + peStages);
        }
        if (Mx.BLOCK_SIZE % rows != 0) {
            throw new InvalidParameter("rows", "must divide the MX block (" + Mx.BLOCK_SIZE + ") so that no K fold straddles two blocks, got " + rows);
        }
    }

    /** A weight-stationary int8 x int8 engine with a derived accumulator width. */
    public static SystolicConfig int8(int rows, int cols, int maxM, int maxK, int maxN, boolean bias) {
        return new SystolicConfig(rows, cols, maxM, maxK, maxN, 8, true, 8, 0, bias, Dataflow.WS, false, 1, null);
    }

    /** An output-stationary int8 x int8 engine with a derived accumulator width. */
    public static SystolicConfig int8Os(int rows, int cols, int maxM, int maxK, int maxN) {
        return new SystolicConfig(rows, cols, maxM, maxK, maxN, 8, true, 8, 0, false, Dataflow.OS, false, 1, null);
    }

    /** The same engine with other activation and weight types (accumulator width derived again). */
    public SystolicConfig withTypes(int actBits, boolean actSigned, int weightBits) {
        return new SystolicConfig(rows, cols, maxM, maxK, maxN, actBits, actSigned, weightBits, 0, bias, dataflow, packed, peStages, requant, group, mx);
    }

    /** The same engine with packed multipliers. */
    public SystolicConfig withPacking() {
        return new SystolicConfig(rows, cols, maxM, maxK, maxN, actBits, actSigned, weightBits, accBits, bias, dataflow, true, peStages, requant, group, mx);
    }

    /** The same engine with {@code peStages} register stages per PE. */
    public SystolicConfig withPeStages(int peStages) {
        return new SystolicConfig(rows, cols, maxM, maxK, maxN, actBits, actSigned, weightBits, accBits, bias, dataflow, packed, peStages, requant, group, mx);
    }

    /** The same engine with an explicit accumulator width (checked: the sums must fit). */
    public SystolicConfig withAccBits(int accBits) {
        return new SystolicConfig(rows, cols, maxM, maxK, maxN, actBits, actSigned, weightBits, accBits, bias, dataflow, packed, peStages, requant, group, mx);
    }

    /**
     * The same engine with an int8 requantizing output stage. Its quant beat carries the per-column
     * bias, so an engine with a separate bias stream is rejected (build it with bias = false).
     */
    public SystolicConfig withRequant(TfliteRounding mode) {
        return new SystolicConfig(rows, cols, maxM, maxK, maxN, actBits, actSigned, weightBits, accBits, bias, dataflow, packed, peStages, mode, group, mx);
    }

    /**
     * The same engine with per-group weight scales (accumulator width derived again, for one group).
     */
    public SystolicConfig withGroups(GroupScale g) {
        return new SystolicConfig(rows, cols, maxM, maxK, maxN, actBits, actSigned, weightBits, 0, bias, dataflow, packed, peStages, requant, g, mx);
    }

    /** The same engine with MX operands (their code widths, a derived word width). */
    public SystolicConfig withMx(MxBlocks m) {
        return new SystolicConfig(rows, cols, maxM, maxK, maxN, m.act().bits(), true, m.weight().bits(), 0, bias, dataflow, packed, peStages,
                requant, group, m);
    }

    /** Bits of a result lane: the accumulator, 8 after requantization, the float format with group scales or MX operands. */
    public int outBits() {
        return group != null ? group.result().bits() : mx != null ? mx.result().bits() : requant == null ? accBits : REQUANT_OUT_BITS;
    }

    /** Rows of K sharing a scale: the group size, the MX block, or 0 for integer engines without scales. */
    public int groupSize() { return group != null ? group.size() : mx != null ? Mx.BLOCK_SIZE : 0; }

    /** Whether results are floats: group partial sums scaled, or MX block sums. */
    public boolean scaled() { return groupSize() > 0; }

    /** Groups (or MX blocks) of K in the largest GEMM (1 without scales). */
    public int maxGroups() { return scaled() ? (maxK + groupSize() - 1) / groupSize() : 1; }

    /** With group scales or MX operands, the width of the exact fixed-point accumulator of scaled group sums. */
    public int groupAccBits() { return group != null ? group.accumulatorBits(accBits, maxGroups()) : mx.accumulatorBits(maxGroups()); }

    /** Bits of a scale lane: the group scale format's, or E8M0's 8. */
    public int scaleBits() { return group != null ? group.scale().bits() : 8; }

    /** Columns of PEs: one per column, or one per {@link #columnsPerPe} columns when packed. */
    public int gridCols() { return (cols + columnsPerPe() - 1) / columnsPerPe(); }

    /** Columns sharing one PE and its multiplier: 1, or when packed as many as {@link PackedMultiply} fits in a DSP48E2. */
    public int columnsPerPe() { return packed ? PackedMultiply.products(peActBits(), weightBits) : 1; }

    /** The activation format on the act stream (MX: unsigned element codes). */
    public IntFormat actFormat() { return mx != null ? IntFormat.unsigned(actBits) : new IntFormat(actBits, actSigned); }

    /** The weight format on the wgt stream (MX: unsigned element codes). */
    public IntFormat weightFormat() { return mx != null ? IntFormat.unsigned(weightBits) : IntFormat.signed(weightBits); }

    /**
     * Cycles from a PE's activation input to the add of its product: the product register (from 2
     * stages) and the multiplied input register (3 stages). Every PE has the same delay, so the
     * array's skew is unchanged and the results leave this many cycles later.
     */
    public int productDelay() { return peStages - 1; }

    /** Cycles after a PE's activation input that its stationary weight is multiplied: 1 when the multiplier reads the input register. */
    public int weightReadDelay() { return peStages >= 3 ? 1 : 0; }

    /** Width of the signed activation inside the grid: uint8 minus its zero point needs 9 bits. */
    public int peActBits() { return peActBits(actBits, actSigned); }

    private static int peActBits(int actBits, boolean actSigned) {
        return actSigned ? actBits : actBits + 1;
    }

    /**
     * Bits of the smallest two's complement accumulator that holds every sum of maxK products of a
     * signed actBits and a signed weightBits value (plus an int32 bias): the largest sum is
     * maxK * (-2^(a-1)) * (-2^(w-1)), the smallest maxK * (-2^(a-1)) * (2^(w-1) - 1). (A uint8
     * activation minus its zero point is a 9-bit signed value here; its range is one short of
     * the 9-bit minimum, so the bound is safe, and it is exact for signed types.)
     */
    static int requiredAccBits(int maxK, int actBits, int weightBits, boolean bias) {
        long aMin = -(1L << (actBits - 1));
        long wMin = -(1L << (weightBits - 1));
        long wMax = (1L << (weightBits - 1)) - 1;
        long hi = maxK * (aMin * wMin) + (bias ? Integer.MAX_VALUE : 0);
        long lo = maxK * (aMin * wMax) + (bias ? Integer.MIN_VALUE : 0);
        return Math.max(64 - Long.numberOfLeadingZeros(hi), 64 - Long.numberOfLeadingZeros(~lo)) + 1;
    }

    /** Folds of the K dimension for a runtime K: ceil(K / R). */
    public int kFolds(int k) { return (k + rows - 1) / rows; }

    /** Folds of the M dimension for a runtime M (output-stationary tiles): ceil(M / R). */
    public int mFolds(int m) { return (m + rows - 1) / rows; }

    /** Folds of the N dimension for a runtime N: ceil(N / C). */
    public int nFolds(int n) { return (n + cols - 1) / cols; }

    /** Checks a runtime GEMM shape against the maxima. */
    public void requireShape(int m, int k, int n) {
        requireIn("M", m, 1, maxM);
        requireIn("K", k, 1, maxK);
        requireIn("N", n, 1, maxN);
    }

    /** A short name stating the parameters, used for the Verilog module name. */
    public String shortName() {
        return dataflow.cliName() + "_" + rows + "x" + cols + "_" + (actSigned ? "s" : "u") + actBits + "xs" + weightBits + "_acc" + accBits + "_m" + maxM + "k" + maxK + "n" + maxN
                + (bias ? "_bias" : "") + (packed ? "_packed" : "") + (peStages > 1 ? "_p" + peStages : "")
                + (requant == null ? "" : requant == TfliteRounding.DOUBLE_ROUNDING ? "_rqdbl" : "_rqsgl")
                + (group == null ? "" : "_" + group.shortName()) + (mx == null ? "" : "_" + mx.shortName());
    }

    private static void requireIn(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new InvalidParameter(name, "must be in " + min + ".." + max + ", got " + v);
        }
    }
}

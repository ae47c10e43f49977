package dev.qforge.generators.attention;

import dev.qforge.generators.InvalidParameter;
import dev.qforge.numerics.IntegerOnlineSoftmax;
import dev.qforge.numerics.IntegerTransformer;
import dev.qforge.numerics.OnlineSoftmax;
import dev.qforge.numerics.Rounded;

/**
 * One attention head engine's generation-time parameters and every register width derived from
 * them (see {@link AttentionGolden} for the arithmetic the widths hold exactly).
 *
 * @param headDim   d, elements of a query, key and value row (16..256, a multiple of lanes)
 * @param maxSeq    L, rows the K/V cache holds (1..65536)
 * @param lanes     P, multipliers of the Q.K^T dot product and of the P.V update, each
 * @param scoreScale the real value of one unit of the int32 score q.k (S_q S_k / sqrt(d)); the
 *                   logits are score * scoreScale
 * @param heads     H, query heads (1..16), a multiple of kvHeads: each K/V head serves H / G of them (a
 *                  GQA group), and each of its cached rows is read once for the whole group
 * @param kv        the cache's format: int8 as it arrives, or int4 KIVI-style ({@link Int4Kv})
 * @param kvGroup   int4: rows sharing a key channel's exponent (1..maxSeq); ignored for int8
 * @param softmax   the streaming softmax's exponential: base-2 (Softermax) or I-BERT's i-exp
 * @param kvHeads   G, K/V heads (1..16), each with its own cache, all read in the same cycles
 */
public record AttentionConfig(int headDim, int maxSeq, int lanes, double scoreScale, int heads, Kv kv, int kvGroup, Softmax softmax,
                              int kvHeads) {
    /** Fraction bits of the base-2 exponent (a 2^8-entry table), as OnlineSoftmax's defaults. */
    public static final int FRAC_BITS = 8;
    /** Fraction bits of a table entry 2^(f / 2^FRAC_BITS): every term is below 2^(TABLE_BITS + 1). */
    public static final int TABLE_BITS = 16;
    public static final int MAX_HEAD_DIM = 256;
    public static final int MAX_SEQ = 1 << 16;
    public static final int MAX_HEADS = 16;
    /** Rows of an int4 key group unless stated (KIVI's usual 32). */
    public static final int DEFAULT_KV_GROUP = 32;
    private static final double LOG2_E = 1.4426950408889634;

    /** Bits of an I-BERT polynomial value z at most: the engine multiplies it by a 31-bit constant, so S must not be tiny. */
    public static final int MAX_IBERT_POLY_BITS = 40;

    /** The streaming softmax's exponential. */
    public enum Softmax {
        /** Softermax: the score scaled to base 2 in fixed point, a 2^8-entry table ({@link OnlineSoftmax}). */
        BASE2,
        /** I-BERT's i-exp with the running maximum in multiples of its x0 ({@link IntegerOnlineSoftmax}). */
        IBERT;

        public String optionName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The K/V cache's element format. */
    public enum Kv {
        INT8, INT4;

        public String optionName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public AttentionConfig {
        check(headDim >= 16 && headDim <= MAX_HEAD_DIM, "head-dim", "must be in 16.." + MAX_HEAD_DIM + ", got " + headDim);
        check(maxSeq >= 1 && maxSeq <= MAX_SEQ, "max-seq", "must be in 1.." + MAX_SEQ + ", got " + maxSeq);
        check(lanes >= 1 && lanes <= headDim && headDim % lanes == 0, "lanes",
                "must divide head-dim " + headDim + " (a query row is head-dim / lanes beats), got " + lanes);
        check(heads >= 1 && heads <= MAX_HEADS, "heads", "must be in 1.." + MAX_HEADS + ", got " + heads);
        check(kvHeads >= 1 && kvHeads <= MAX_HEADS, "kv-heads", "must be in 1.." + MAX_HEADS + ", got " + kvHeads);
        // more K/V heads than query heads: the K/V count is the one at fault (--kv-heads 8 alone would blame heads 1)
        check(kvHeads <= heads, "kv-heads", "must be at most heads " + heads + " (each K/V head serves heads / kv-heads query heads), got "
                + kvHeads);
        check(heads % kvHeads == 0, "heads", "must be a multiple of kv-heads " + kvHeads + " (each K/V head serves heads / kv-heads "
                + "query heads), got " + heads);
        check(scoreScale > 0 && !Double.isInfinite(scoreScale), "score-scale", "must be finite and > 0, got " + scoreScale);
        check(kv != null, "kv", "must be int8 or int4");
        check(softmax != null, "softmax", "must be base2 or ibert");
        check(kv == Kv.INT8 || kvGroup >= 1 && kvGroup <= maxSeq, "kv-group",
                "must be in 1..max-seq " + maxSeq + " (rows sharing a key channel's exponent), got " + kvGroup);
        double readScale = Math.scalb(scoreScale, -Int4Kv.shift(kv));
        if (softmax == Softmax.BASE2) {
            // the scaled score u must stay in int32 for the largest |q.k| (TFLite's multiply throws beyond it);
            // fields are not assigned yet in a compact constructor, so the bound is computed from the arguments
            // (an int4 cache is read as 4 times its values: the largest |q.k| is d 128 896 / 4 in int8 units)
            long maxScore = (long) headDim * 128 * (Int4Kv.largest(kv) >> Int4Kv.shift(kv));
            double maxU = Math.scalb(maxScore * scoreScale * LOG2_E, FRAC_BITS);
            check(maxU < 0x1p31, "score-scale", "gives too large a scale: the largest score " + maxScore + " * score-scale * log2(e) * 2^"
                    + FRAC_BITS + " = " + maxU + " leaves int32; it must be below " + 0x1p31 / Math.scalb(maxScore * LOG2_E, FRAC_BITS));
            // below one half even the largest u rounds (half up) to 0: the engine would ignore q.k, its softmax uniform
            // (and u's rounding shift would pass the product's width: score-shift 32 at head-dim 64)
            check(maxU >= 0.5, "score-scale", "gives too small a scale: the largest score " + maxScore + " * score-scale * log2(e) * 2^"
                    + FRAC_BITS + " = " + maxU + " rounds to 0, so every logit would be 0 and the softmax uniform whatever q and k; "
                    + "score-scale must be at least " + 0.5 / Math.scalb(maxScore * LOG2_E, FRAC_BITS));
            base2Params(readScale); // its own range check
        } else {
            IntegerTransformer.SoftmaxParams p = ibertParams(readScale);
            check(p.requantShift() > 30, "score-scale", "gives too large a scale for --softmax ibert: the 16-bit exponentials' shift "
                    + p.requantShift() + " - 30 must be positive (S = " + readScale + " must be below about 2^8)");
            check(bitsFor(p.exp().cInt()) <= MAX_IBERT_POLY_BITS, "score-scale", "gives too small a scale for --softmax ibert: I-BERT's constant "
                    + "cInt = floor(1 / (a S^2)) = " + p.exp().cInt() + " (S = " + readScale + " per unit of the score as the engine reads it) "
                    + "needs more than " + MAX_IBERT_POLY_BITS + " bits; S must be at least about 2^-19");
        }
    }

    /** One K/V head serving every query head. */
    public AttentionConfig(int headDim, int maxSeq, int lanes, double scoreScale, int heads, Kv kv, int kvGroup, Softmax softmax) {
        this(headDim, maxSeq, lanes, scoreScale, heads, kv, kvGroup, softmax, 1);
    }

    /** An int8 or int4 cache with the base-2 softmax, one K/V head. */
    public AttentionConfig(int headDim, int maxSeq, int lanes, double scoreScale, int heads, Kv kv, int kvGroup) {
        this(headDim, maxSeq, lanes, scoreScale, heads, kv, kvGroup, Softmax.BASE2);
    }

    /** An int8 cache. */
    public AttentionConfig(int headDim, int maxSeq, int lanes, double scoreScale, int heads) {
        this(headDim, maxSeq, lanes, scoreScale, heads, Kv.INT8, DEFAULT_KV_GROUP);
    }

    /** One query head per K/V head, an int8 cache. */
    public AttentionConfig(int headDim, int maxSeq, int lanes, double scoreScale) {
        this(headDim, maxSeq, lanes, scoreScale, 1);
    }

    /** This engine with another softmax variant. */
    public AttentionConfig withSoftmax(Softmax other) {
        return new AttentionConfig(headDim, maxSeq, lanes, scoreScale, heads, kv, kvGroup, other, kvHeads);
    }

    private static void check(boolean ok, String parameter, String problem) {
        if (!ok) {
            throw new InvalidParameter(parameter, problem);
        }
    }

    private static OnlineSoftmax.Params base2Params(double scale) {
        try {
            // outputBits is not used: the engine normalizes the output accumulator, not the probabilities
            return OnlineSoftmax.Params.forInputScale(scale, FRAC_BITS, TABLE_BITS, 8);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameter("score-scale", "is out of range: " + e.getMessage());
        }
    }

    private static IntegerTransformer.SoftmaxParams ibertParams(double scale) {
        try {
            // outputBits is not used: the engine normalizes the output accumulator, not the probabilities
            return IntegerTransformer.SoftmaxParams.forInputScale(scale, 8);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameter("score-scale", "gives a scale out of range for --softmax ibert, whose score scale S (an int4 cache's: score-scale / 4) "
                    + "must be about 2^-19 .. 2^8: " + e.getMessage());
        }
    }

    /**
     * The base-2 softmax constants: the fixed-point multiplier of scoreScale log2(e) 2^8 and the exponent
     * table; an int4 cache holds 4 times the dequantized values, so its scores are scaled by scoreScale / 4.
     */
    public OnlineSoftmax.Params base2() {
        return base2Params(Math.scalb(scoreScale, -cacheShift()));
    }

    /** The I-BERT softmax constants for the score as the engine reads it (int4: scoreScale / 4, as {@link #base2()}). */
    public IntegerTransformer.SoftmaxParams ibert() {
        return ibertParams(Math.scalb(scoreScale, -cacheShift()));
    }

    /**
     * Bits of a term: base2's table entries are below 2^17; I-BERT's 16-bit exponentials are at most
     * 2^15 - 1 (a probability of one is 32767).
     */
    public int termBits() { return softmax == Softmax.BASE2 ? TABLE_BITS + 1 : 15; }

    /**
     * floor(log2) of the smallest term the running maximum's own score can have (the sum is never below
     * it): base2's table[0] = 2^16; ibert's exp16 at the lowest remainder -(c - 1).
     */
    public int minTermLog2() {
        if (softmax == Softmax.BASE2) {
            return TABLE_BITS;
        }
        IntegerTransformer.SoftmaxParams p = ibert();
        return Rounded.floorLog2(IntegerOnlineSoftmax.mantissa(1 - IntegerOnlineSoftmax.step(p), p));
    }

    /**
     * Bits of a score's integer exponent and of the running maximum, signed: base2's floor(u / 2^8) of an
     * int32 u; ibert's ceil(s / c) of a score of {@link #scoreBits()}.
     */
    public int exponentBits() {
        if (softmax == Softmax.BASE2) {
            return 32 - FRAC_BITS;
        }
        long largest = 1L << (scoreBits() - 1);
        return bitsFor(largest / IntegerOnlineSoftmax.step(ibert()) + 1) + 1;
    }

    /** Fraction bits of a cached element as the engine reads it: 0 for int8, 2 for int4 ({@link Int4Kv}). */
    public int cacheShift() { return Int4Kv.shift(kv); }

    /** Bits of a cached element as the engine reads it (int8, or an int4 code times 2^exponent, {@link Int4Kv}). */
    public int cacheBits() { return kv == Kv.INT8 ? 8 : Int4Kv.READ_BITS; }

    /** Words of a lane's int4 key cache: the rows of whole key groups. */
    public int groupedRows() { return kv == Kv.INT8 ? 0 : maxSeq / kvGroup * kvGroup; }

    /** Query heads per K/V head: H / G. */
    public int groupSize() { return heads / kvHeads; }

    /** Beats of a row: d / P. */
    public int chunks() { return headDim / lanes; }

    /** Cycles from a row's complete score (SCALE) to its MAX step: base2's scaled score; ibert's five stages. */
    public int exponentialLatency() { return softmax == Softmax.BASE2 ? 1 : 5; }

    /** Bits of the cache length 0..L. */
    public int lenBits() { return bitsFor(maxSeq); }

    /** The exact score q.k: d 2^14 needs 16 + log2(d) bits signed; 3 more for int4's keys up to 7 2^7 (x 4). */
    public int scoreBits() { return 16 + bitsFor(headDim - 1) + (cacheBits() - 8); }

    /** The running sum: up to L terms each below 2^termBits. */
    public int sumBits() { return termBits() + lenBits(); }

    /** An output accumulator: |o| <= 128 sum (int4: 896 sum) plus one LSB per floor rescale, signed. */
    public int accBits() { return sumBits() + 1 + cacheBits(); }

    /** The output's rounding shift: R, plus the cache's fraction bits. */
    public int outputShift() { return reciprocalShift() + cacheShift(); }

    /** The reciprocal's numerator 2^R: R = sumBits + 16 keeps 16 bits of r beyond the largest sum. */
    public int reciprocalShift() { return sumBits() + 16; }

    /** Bits of r = floor(2^R / sum) for sum >= 2^minTermLog2: r <= 2^(R - minTermLog2). */
    public int reciprocalBits() { return reciprocalShift() - minTermLog2() + 1; }

    /** Bits needed to hold 0..v. */
    static int bitsFor(long v) {
        return Math.max(1, 64 - Long.numberOfLeadingZeros(v));
    }
}

package dev.qforge.generators.systolic;

import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.IntFormat;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.TfliteRequant;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The golden model of {@link GemmEngine}: for a {@link Gemm} it builds the beats the user sends on
 * each input stream, in the order the engine documents, and the result beats the engine must
 * deliver, in order.
 */
public final class GemmGolden {
    private final SystolicConfig cfg;

    public GemmGolden(SystolicConfig cfg) {
        this.cfg = cfg;
    }

    /** The cfg beat: {m, k, n}, the zero point when activations are unsigned, {out_zp, act_min, act_max} with requant. */
    public long[] cfgBeat(Gemm g) {
        check(g);
        List<Long> beat = new ArrayList<>(List.of((long) g.m(), (long) g.k(), (long) g.n()));
        if (!cfg.actSigned()) {
            beat.add((long) g.zeroPoint());
        }
        if (cfg.requant() != null) {
            beat.addAll(List.of((long) g.requant().outZp(), (long) g.requant().actMin(), (long) g.requant().actMax()));
        }
        return beat.stream().mapToLong(Long::longValue).toArray();
    }

    /** With requant, the quant beats, one per N fold: the C biases, then the C multipliers, then the C shifts. */
    public List<long[]> quantBeats(Gemm g, Random junk) {
        check(g);
        List<long[]> beats = new ArrayList<>();
        if (cfg.requant() == null) {
            return beats;
        }
        int cols = cfg.cols();
        for (int n0 = 0; n0 < g.n(); n0 += cols) {
            long[] beat = new long[3 * cols];
            for (int c = 0; c < cols; c++) {
                boolean in = n0 + c < g.n();
                beat[c] = in ? (g.bias() == null ? 0 : g.bias()[n0 + c]) : pad(junk, IntFormat.INT32);
                beat[cols + c] = in ? g.requant().mult()[n0 + c] : pad(junk, IntFormat.INT32);
                beat[2 * cols + c] = in ? g.requant().shift()[n0 + c] : pad(junk, IntFormat.signed(6));
            }
            beats.add(beat);
        }
        return beats;
    }

    /**
     * With group scales (MX: B's block scales), the scale beats: per N fold, per group of K, one
     * beat whose lane c is the scale of column n0 + c (bits of the scale format, or E8M0; lanes
     * past N junk).
     */
    public List<long[]> scaleBeats(Gemm g, Random junk) {
        check(g);
        List<long[]> beats = new ArrayList<>();
        if (!cfg.scaled()) {
            return beats;
        }
        IntFormat bits = IntFormat.unsigned(cfg.scaleBits());
        for (int n0 = 0; n0 < g.n(); n0 += cfg.cols()) {
            for (long[] groupScales : g.scales()) {
                long[] beat = new long[cfg.cols()];
                for (int c = 0; c < cfg.cols(); c++) {
                    beat[c] = n0 + c < g.n() ? groupScales[n0 + c] : pad(junk, bits);
                }
                beats.add(beat);
            }
        }
        return beats;
    }

    /** The bias beats, one per N fold (empty without bias). */
    public List<long[]> biasBeats(Gemm g, Random junk) {
        check(g);
        List<long[]> beats = new ArrayList<>();
        if (!cfg.bias()) {
            return beats;
        }
        for (int n0 = 0; n0 < g.n(); n0 += cfg.cols()) {
            long[] beat = new long[cfg.cols()];
            for (int c = 0; c < cfg.cols(); c++) {
                beat[c] = n0 + c < g.n() ? g.bias()[n0 + c] : pad(junk, IntFormat.INT32);
            }
            beats.add(beat);
        }
        return beats;
    }

    /**
     * The weight beats, one row of B's N slice each. Weight-stationary: per N fold, per K fold,
     * the rows of the B tile; output-stationary: per N fold, per M fold, all K rows.
     */
    public List<long[]> weightBeats(Gemm g, Random junk) {
        check(g);
        IntFormat w = cfg.weightFormat();
        List<long[]> beats = new ArrayList<>();
        boolean ws = cfg.dataflow() == Dataflow.WS;
        for (int n0 = 0; n0 < g.n(); n0 += cfg.cols()) {
            // fold f0 is a K fold sending its rows of B (ws), or an M fold sending all K rows (os)
            for (int f0 = 0; f0 < (ws ? g.k() : g.m()); f0 += cfg.rows()) {
                int kEnd = ws ? Math.min(g.k(), f0 + cfg.rows()) : g.k();
                for (int k = ws ? f0 : 0; k < kEnd; k++) {
                    long[] beat = new long[cfg.cols()];
                    for (int c = 0; c < cfg.cols(); c++) {
                        beat[c] = n0 + c < g.n() ? w.requireInRange(g.b()[k][n0 + c], "b[" + k + "][" + (n0 + c) + "]") : pad(junk, w);
                    }
                    beats.add(beat);
                }
            }
        }
        return beats;
    }

    /**
     * The activation beats. Weight-stationary: per N fold, per K fold, the M rows of A's K slice
     * (MX: and after the lanes the row's scale of the block holding the slice);
     * output-stationary: per N fold, per M fold, K beats, beat k holding column k of A's M slice.
     */
    public List<long[]> activationBeats(Gemm g, Random junk) {
        check(g);
        IntFormat a = cfg.actFormat();
        List<long[]> beats = new ArrayList<>();
        if (cfg.dataflow() == Dataflow.OS) {
            for (int n0 = 0; n0 < g.n(); n0 += cfg.cols()) {
                for (int m0 = 0; m0 < g.m(); m0 += cfg.rows()) {
                    for (int k = 0; k < g.k(); k++) {
                        long[] beat = new long[cfg.rows()];
                        for (int r = 0; r < cfg.rows(); r++) {
                            beat[r] = m0 + r < g.m() ? a.requireInRange(g.a()[m0 + r][k], "a[" + (m0 + r) + "][" + k + "]") : pad(junk, a);
                        }
                        beats.add(beat);
                    }
                }
            }
            return beats;
        }
        for (int n0 = 0; n0 < g.n(); n0 += cfg.cols()) {
            for (int k0 = 0; k0 < g.k(); k0 += cfg.rows()) {
                for (int m = 0; m < g.m(); m++) {
                    long[] beat = new long[cfg.rows() + (cfg.mx() != null ? 1 : 0)];
                    for (int r = 0; r < cfg.rows(); r++) {
                        beat[r] = k0 + r < g.k() ? a.requireInRange(g.a()[m][k0 + r], "a[" + m + "][" + (k0 + r) + "]") : pad(junk, a);
                    }
                    if (cfg.mx() != null) {
                        beat[cfg.rows()] = g.actScales()[m][k0 / Mx.BLOCK_SIZE];
                    }
                    beats.add(beat);
                }
            }
        }
        return beats;
    }

    /**
     * The result beats, per N fold the M rows of Y's N slice (in M folds of R rows when
     * output-stationary); lanes past N are 0, or with requant the requantized 0 of zero parameters
     * (the clamped output zero point).
     */
    public List<long[]> resultBeats(Gemm g) {
        check(g);
        List<long[]> beats = new ArrayList<>();
        for (int n0 = 0; n0 < g.n(); n0 += cfg.cols()) {
            for (int m = 0; m < g.m(); m++) {
                long[] beat = new long[cfg.cols()];
                for (int c = 0; c < cfg.cols(); c++) {
                    int n = n0 + c;
                    if (cfg.mx() != null) {
                        beat[c] = n < g.n() ? mxDot(g, m, n) : 0;
                    } else if (cfg.group() != null) {
                        beat[c] = n < g.n() ? scaledDot(g, m, n) : 0;
                    } else if (cfg.requant() == null) {
                        beat[c] = n < g.n() ? dot(g, m, n) + bias(g, n) : 0;
                    } else {
                        beat[c] = n < g.n() ? requantize(g, dot(g, m, n), bias(g, n), g.requant().mult()[n], g.requant().shift()[n])
                                : requantize(g, 0, 0, 0, 0);
                    }
                }
                beats.add(beat);
            }
        }
        return beats;
    }

    /**
     * TFLite's output stage, as the engine's Requantizer computes it: int32 wrap of acc + bias
     * (TFLite adds in int32), MultiplyByQuantizedMultiplier, output zero point, clamp, int8.
     */
    private int requantize(Gemm g, long acc, int bias, int mult, int shift) {
        Gemm.Requant r = g.requant();
        TfliteRequant.FullyConnectedParams p = new TfliteRequant.FullyConnectedParams(0, 0, r.outZp(), mult, shift, r.actMin(),
                r.actMax(), cfg.requant());
        return (int) IntFormat.INT8.saturate(TfliteRequant.requantize((int) (acc + bias), p));
    }

    /**
     * The grouped result as {@link GroupScale} defines it: per group the exact integer sum S times
     * the group's scale, summed exactly (in units of the accumulator's last bit), rounded once
     * into the result format; NaN and infinities as the scales make them.
     */
    private long scaledDot(Gemm g, int m, int n) {
        GroupScale gs = cfg.group();
        BinaryFloat f = gs.scale();
        BigInteger acc = BigInteger.ZERO;
        boolean nan = false;
        boolean plusInf = false;
        boolean minusInf = false;
        for (int grp = 0; grp < g.scales().length; grp++) {
            long sum = dot(g, m, n, grp * gs.size(), Math.min(g.k(), (grp + 1) * gs.size()));
            long s = g.scales()[grp][n];
            if (f.isInfinite(s)) {
                nan |= sum == 0;
                boolean negative = f.isNegative(s) != sum < 0;
                plusInf |= sum != 0 && !negative;
                minusInf |= sum != 0 && negative;
            } else if (!gs.inWindow(s)) {
                nan = true;
            } else {
                long scaled = sum * f.significand(s) * (f.isNegative(s) ? -1 : 1);
                int shift = f.significand(s) == 0 ? 0 : gs.exponent(s) - gs.low();
                acc = acc.add(BigInteger.valueOf(scaled).shiftLeft(shift));
            }
        }
        return rounded(gs.result(), nan, plusInf, minusInf, acc, gs.lsbExponent());
    }

    /**
     * The MX x MX result as {@link MxBlocks} defines it: per block the exact sum of element
     * products ({@link Mx#blockSum}) shifted by the block's combined scale exponent above the
     * window's bottom, summed exactly, rounded once into the result format; a NaN scale, a NaN
     * product or a nonzero block outside the window gives NaN, infinite products their infinity.
     */
    private long mxDot(Gemm g, int m, int n) {
        MxBlocks mx = cfg.mx();
        BigInteger acc = BigInteger.ZERO;
        boolean nan = false;
        boolean plusInf = false;
        boolean minusInf = false;
        for (int j = 0; j * Mx.BLOCK_SIZE < g.k(); j++) {
            int from = j * Mx.BLOCK_SIZE;
            int to = Math.min(g.k(), from + Mx.BLOCK_SIZE);
            int[] b = new int[to - from];
            for (int k = from; k < to; k++) {
                b[k - from] = g.b()[k][n];
            }
            Mx.BlockSum sum = Mx.blockSum(mx.act(), java.util.Arrays.copyOfRange(g.a()[m], from, to), mx.weight(), b);
            int xa = (int) g.actScales()[m][j];
            int xb = (int) g.scales()[j][n];
            int e = xa + xb - 2 * Mx.SCALE_BIAS;
            plusInf |= sum.plusInf();
            minusInf |= sum.minusInf();
            if (xa == Mx.SCALE_NAN || xb == Mx.SCALE_NAN || sum.nan()) {
                nan = true;
            } else if (e < mx.minExp() || e > mx.maxExp()) {
                nan |= sum.units().signum() != 0;
            } else {
                acc = acc.add(sum.units().shiftLeft(e - mx.minExp()));
            }
        }
        return rounded(mx.result(), nan, plusInf, minusInf, acc, mx.lsbExponent());
    }

    /** An exact sum acc * 2^lsbExponent rounded once into r, unless its flags make it NaN (NaN, or both infinities) or an infinity. */
    private static long rounded(BinaryFloat r, boolean nan, boolean plusInf, boolean minusInf, BigInteger acc, int lsbExponent) {
        if (nan || plusInf && minusInf) {
            return r.canonicalNaN();
        }
        if (plusInf || minusInf) {
            return r.infinity(minusInf);
        }
        return r.encode(acc, lsbExponent);
    }

    private static int bias(Gemm g, int n) {
        return g.bias() == null ? 0 : g.bias()[n];
    }

    /** sum_k (a[m][k] - zeroPoint) * b[k][n], exactly (the accumulator width is derived so it cannot overflow). */
    private static long dot(Gemm g, int m, int n) {
        return dot(g, m, n, 0, g.k());
    }

    /** The same sum over k in [from, to). */
    private static long dot(Gemm g, int m, int n, int from, int to) {
        long sum = 0;
        for (int k = from; k < to; k++) {
            sum += (long) (g.a()[m][k] - g.zeroPoint()) * g.b()[k][n];
        }
        return sum;
    }

    private void check(Gemm g) {
        cfg.requireShape(g.m(), g.k(), g.n());
        if (cfg.actSigned() ? g.zeroPoint() != 0 : !cfg.actFormat().contains(g.zeroPoint())) {
            throw new IllegalArgumentException("zeroPoint must be " + (cfg.actSigned() ? "0 for signed activations"
                    : "in " + cfg.actFormat() + " range [0, " + cfg.actFormat().max() + "]") + ", got " + g.zeroPoint());
        }
        if (cfg.scaled()) {
            requireScales(g);
        } else if (g.scales() != null) {
            throw new IllegalArgumentException("this engine has no group scales, but the GEMM has scales");
        }
        if (cfg.mx() != null) {
            requireActScales(g);
        } else if (g.actScales() != null) {
            throw new IllegalArgumentException("this engine has no MX activations, but the GEMM has activation scales");
        }
        if (cfg.requant() != null) {
            if (g.requant() == null) {
                throw new IllegalArgumentException("this engine requantizes; the GEMM needs requant parameters");
            }
        } else if (g.requant() != null) {
            throw new IllegalArgumentException("this engine does not requantize, but the GEMM has requant parameters");
        } else if (cfg.bias() != (g.bias() != null)) {
            throw new IllegalArgumentException("this engine " + (cfg.bias() ? "needs" : "has no") + " bias, but the GEMM has "
                    + (g.bias() != null ? "one" : "none"));
        }
    }

    private void requireScales(Gemm g) {
        int groups = (g.k() + cfg.groupSize() - 1) / cfg.groupSize();
        if (g.scales() == null || g.scales().length != groups) {
            throw new IllegalArgumentException("this engine scales groups of " + cfg.groupSize() + " rows of K: the GEMM needs "
                    + groups + " x N scales, got " + (g.scales() == null ? "none" : g.scales().length + " groups"));
        }
        IntFormat bits = IntFormat.unsigned(cfg.scaleBits());
        for (int grp = 0; grp < groups; grp++) {
            for (int n = 0; n < g.n(); n++) {
                bits.requireInRange(g.scales()[grp][n], "scales[" + grp + "][" + n + "]");
            }
        }
    }

    private void requireActScales(Gemm g) {
        int blocks = (g.k() + Mx.BLOCK_SIZE - 1) / Mx.BLOCK_SIZE;
        if (g.actScales() == null) {
            throw new IllegalArgumentException("this engine takes MX activations: the GEMM needs M x " + blocks + " activation scales");
        }
        for (int m = 0; m < g.m(); m++) {
            if (g.actScales()[m].length != blocks) {
                throw new IllegalArgumentException("actScales[" + m + "] must hold " + blocks + " block scales, got " + g.actScales()[m].length);
            }
            for (int j = 0; j < blocks; j++) {
                IntFormat.UINT8.requireInRange(g.actScales()[m][j], "actScales[" + m + "][" + j + "]");
            }
        }
    }

    private static long pad(Random junk, IntFormat f) {
        return junk == null ? 0 : f.min() + (long) (junk.nextDouble() * (f.max() - f.min() + 1));
    }
}

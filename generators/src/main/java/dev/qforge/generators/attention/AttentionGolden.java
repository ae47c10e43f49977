package dev.qforge.generators.attention;

import dev.qforge.numerics.IntegerOnlineSoftmax;
import dev.qforge.numerics.IntegerTransformer;
import dev.qforge.numerics.OnlineSoftmax;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What the attention engine computes, exactly, for a decode token and for each token of a prefill
 * request alike: one int8 query row against the int8 K/V rows cached so far, after appending this
 * token's K/V row. Per token, with n cached rows (this one included):
 * <ol>
 *   <li>s_j = q . k_j exact ({@link AttentionConfig#scoreBits()} bits; the hardware sums P products
 *       a cycle);</li>
 *   <li>the score's integer exponent e_j, by the softmax variant: base2, u_j = s_j scoreScale log2(e) 2^8
 *       by TFLite's single-rounding fixed-point multiply ({@link OnlineSoftmax#scaled}) and e_j = floor(u_j / 2^8);
 *       ibert, e_j = ceil(s_j / c) with I-BERT's c = -x0Int ({@link IntegerOnlineSoftmax#exponent});</li>
 *   <li>running maximum m = max(m, e_j) (m = e_0 at the first row); when it grows by k, the running
 *       sum and every output accumulator o_i are divided by 2^min(k, 63), floor
 *       ({@link OnlineSoftmax#rescale});</li>
 *   <li>p_j = w_j >> (m - e_j): base2, w_j = table[f] with f the fraction of u_j ({@link OnlineSoftmax#term}:
 *       17 bits); ibert, w_j = I-BERT's 16-bit exponential of the remainder s_j - e_j c
 *       ({@link IntegerOnlineSoftmax#term}: 15 bits); sum += p_j; o_i += p_j v_ji;</li>
 *   <li>r = floor(2^R / sum) ({@link OnlineSoftmax#reciprocal}, R = {@link AttentionConfig#reciprocalShift()});
 *       O_i = saturate_int8(round_half_up(o_i r / 2^R)) ({@link OnlineSoftmax#normalize}): the output is
 *       int8 in V's scale (softmax weights sum to one).</li>
 * </ol>
 * A token marked first starts a new sequence (the cache is emptied). A token that finds the
 * cache full (L rows) is answered against the L cached rows and its K/V row is dropped. With G K/V
 * heads (grouped-query attention) each has its own cache, and query head h attends over that of
 * K/V head h / (H / G), as above.
 *
 * <p>With an int4 cache ({@link Int4Kv}) the rows are read as 4 times their dequantized values: a value
 * row's groups of P elements are quantized as the row is appended; key rows wait as int8 (read as
 * 4 k) until their group of Lg rows is complete, then each channel of the group is quantized. Steps 2
 * and 5 then use scoreScale / 4 and R + 2.
 */
public final class AttentionGolden {
    private final AttentionConfig cfg;
    private final Exponential exponential;
    /** One cache per K/V head. */
    private final List<KvCache> caches = new ArrayList<>();

    /** One token's answer: d int8 outputs per query head, and whether its K/V row was dropped (cache full). */
    public record Output(int[][] o, boolean dropped) { }

    public AttentionGolden(AttentionConfig cfg) {
        this.cfg = cfg;
        this.exponential = exponential(cfg);
        for (int g = 0; g < cfg.kvHeads(); g++) {
            caches.add(new KvCache());
        }
    }

    /** Rows cached now. */
    public int length() { return caches.get(0).keys.size(); }

    /** The cached key rows of the only K/V head, oldest first. */
    public List<int[]> keys() { return keys(onlyKvHead()); }

    /** The cached value rows of the only K/V head, oldest first. */
    public List<int[]> values() { return values(onlyKvHead()); }

    /** The cached key rows of K/V head g, oldest first. */
    public List<int[]> keys(int g) { return Collections.unmodifiableList(caches.get(g).keys); }

    /** The cached value rows of K/V head g, oldest first. */
    public List<int[]> values(int g) { return Collections.unmodifiableList(caches.get(g).values); }

    private int onlyKvHead() {
        if (cfg.kvHeads() != 1) {
            throw new IllegalStateException("the engine has " + cfg.kvHeads() + " K/V heads: name one");
        }
        return 0;
    }

    /** One query head: appends k, v (unless full) and attends q over the cache; see the class comment. */
    public Output decode(boolean first, int[] q, int[] k, int[] v) {
        return decode(first, new int[][] {q}, k, v);
    }

    /** A GQA group over the only K/V head: appends k, v (unless full) and attends each head's query q[h] over the cache. */
    public Output decode(boolean first, int[][] q, int[] k, int[] v) {
        return decode(first, q, new int[][] {k}, new int[][] {v});
    }

    /**
     * H query heads over G K/V heads: appends k[g], v[g] to K/V head g's cache (unless full) and
     * attends query head h over the cache of K/V head h / (H / G).
     */
    public Output decode(boolean first, int[][] q, int[][] k, int[][] v) {
        if (q.length != cfg.heads() || k.length != cfg.kvHeads() || v.length != cfg.kvHeads()) {
            throw new IllegalArgumentException("the engine takes " + cfg.heads() + " query rows and " + cfg.kvHeads()
                    + " key and value rows a token, got " + q.length + ", " + k.length + " and " + v.length);
        }
        boolean dropped = !first && length() == cfg.maxSeq();
        for (int g = 0; g < caches.size(); g++) {
            KvCache cache = caches.get(g);
            if (first) {
                cache.clear();
            }
            if (!dropped) {
                cache.append(k[g], v[g]);
            }
        }
        int[][] o = new int[q.length][];
        for (int h = 0; h < q.length; h++) {
            KvCache cache = caches.get(h / cfg.groupSize());
            o[h] = attend(q[h], cache.readKeys, cache.readValues, cfg, exponential);
        }
        return new Output(o, dropped);
    }

    /**
     * A prefill request of T tokens (q[t][h], k[t], v[t]), as the engine runs it: token by token, each
     * appending its row before it attends, so query t sees cache rows 0..pos + t and no later row (the
     * causal mask; pos = rows cached before, 0 when first starts a new sequence).
     */
    public List<Output> prefill(boolean first, int[][][] q, int[][] k, int[][] v) {
        int[][][] kv = new int[k.length][][];
        int[][][] vv = new int[v.length][][];
        for (int t = 0; t < k.length; t++) {
            kv[t] = new int[][] {k[t]};
            vv[t] = new int[][] {v[t]};
        }
        return prefill(first, q, kv, vv);
    }

    /** A prefill request over G K/V heads: token t's query rows q[t][h], key and value rows k[t][g], v[t][g]. */
    public List<Output> prefill(boolean first, int[][][] q, int[][][] k, int[][][] v) {
        List<Output> out = new ArrayList<>();
        for (int t = 0; t < q.length; t++) {
            out.add(decode(first && t == 0, q[t], k[t], v[t]));
        }
        return out;
    }

    /** One K/V head's rows as they arrived and as the engine reads them (int4: 4 times the dequantized values). */
    private final class KvCache {
        private final List<int[]> keys = new ArrayList<>();
        private final List<int[]> values = new ArrayList<>();
        private final List<int[]> readKeys = new ArrayList<>();
        private final List<int[]> readValues = new ArrayList<>();

        void clear() {
            keys.clear();
            values.clear();
            readKeys.clear();
            readValues.clear();
        }

        void append(int[] k, int[] v) {
            keys.add(k.clone());
            values.add(v.clone());
            if (cfg.kv() == AttentionConfig.Kv.INT8) {
                readKeys.add(k.clone());
                readValues.add(v.clone());
                return;
            }
            int d = cfg.headDim();
            int p = cfg.lanes();
            int[] value = new int[d];
            for (int c = 0; c < d; c += p) {
                System.arraycopy(Int4Kv.read(Arrays.copyOfRange(v, c, c + p)), 0, value, c, p);
            }
            readValues.add(value);
            int[] key = new int[d];
            for (int i = 0; i < d; i++) {
                key[i] = k[i] << Int4Kv.shift(cfg.kv());
            }
            readKeys.add(key);
            int n = keys.size();
            int g = cfg.kvGroup();
            if (n % g == 0) { // a key group is complete: quantize each channel over its Lg rows
                for (int i = 0; i < d; i++) {
                    int[] channel = new int[g];
                    for (int j = 0; j < g; j++) {
                        channel[j] = keys.get(n - g + j)[i];
                    }
                    int[] read = Int4Kv.read(channel);
                    for (int j = 0; j < g; j++) {
                        readKeys.get(n - g + j)[i] = read[j];
                    }
                }
            }
        }
    }

    /** A score's integer exponent (step 2) and its term against a running maximum (step 4), by softmax variant. */
    interface Exponential {
        long exponent(long score);

        long term(long score, long max);
    }

    static Exponential exponential(AttentionConfig cfg) {
        if (cfg.softmax() == AttentionConfig.Softmax.BASE2) {
            OnlineSoftmax.Params sm = cfg.base2();
            return new Exponential() {
                @Override
                public long exponent(long score) {
                    return OnlineSoftmax.integerPart(OnlineSoftmax.scaled(Math.toIntExact(score), sm), sm);
                }

                @Override
                public long term(long score, long max) {
                    return OnlineSoftmax.term(OnlineSoftmax.scaled(Math.toIntExact(score), sm), max, sm);
                }
            };
        }
        IntegerTransformer.SoftmaxParams ib = cfg.ibert();
        return new Exponential() {
            @Override
            public long exponent(long score) {
                return IntegerOnlineSoftmax.exponent(score, ib);
            }

            @Override
            public long term(long score, long max) {
                return IntegerOnlineSoftmax.term(score, max, ib);
            }
        };
    }

    /** The integer attention of one query row over rows 0..n-1. */
    static int[] attend(int[] q, List<int[]> keys, List<int[]> values, AttentionConfig cfg, Exponential exponential) {
        int d = cfg.headDim();
        long max = 0;
        long sum = 0;
        long[] o = new long[d];
        for (int j = 0; j < keys.size(); j++) {
            long s = dot(q, keys.get(j));
            long e = exponential.exponent(s);
            if (j == 0 || e > max) {
                long k = e - max;
                sum = j == 0 ? 0 : OnlineSoftmax.rescale(sum, k);
                for (int i = 0; i < d; i++) {
                    o[i] = j == 0 ? 0 : OnlineSoftmax.rescale(o[i], k);
                }
                max = e;
            }
            long p = exponential.term(s, max);
            sum += p;
            int[] v = values.get(j);
            for (int i = 0; i < d; i++) {
                o[i] += p * v[i];
            }
        }
        long r = OnlineSoftmax.reciprocal(sum, cfg.reciprocalShift());
        int[] out = new int[d];
        for (int i = 0; i < d; i++) {
            out[i] = (int) Math.max(-128, Math.min(127, OnlineSoftmax.normalize(o[i], r, cfg.outputShift())));
        }
        return out;
    }

    /** The float64 reference: softmax(q.k_j scoreScale) . V, in V's LSBs, unrounded. */
    public static double[] reference(int[] q, List<int[]> keys, List<int[]> values, double scoreScale) {
        int n = keys.size();
        double[] logit = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            logit[j] = dot(q, keys.get(j)) * scoreScale;
            max = Math.max(max, logit[j]);
        }
        double total = 0;
        double[] w = new double[n];
        for (int j = 0; j < n; j++) {
            w[j] = Math.exp(logit[j] - max);
            total += w[j];
        }
        double[] out = new double[q.length];
        for (int j = 0; j < n; j++) {
            int[] v = values.get(j);
            for (int i = 0; i < out.length; i++) {
                out[i] += w[j] / total * v[i];
            }
        }
        return out;
    }

    static long dot(int[] a, int[] b) {
        long s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (long) a[i] * b[i];
        }
        return s;
    }
}

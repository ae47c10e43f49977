package dev.qforge.generators;

/**
 * The bytes one workload moves through a block's streams, element widths as stored (two int4
 * weights a byte), lanes past the matrix edges not counted, and its arithmetic intensity, beside
 * the same figures for a baseline (the int8 engine of the same shape), so a report shows what a
 * narrower weight format buys.
 *
 * @param workload        the workload, as {@link Performance#workload()}
 * @param weightBytes     weights (B) streamed for one workload; a dequant unit's codes
 * @param scaleBytes      weight scales streamed (0 without)
 * @param activationBytes activations (A) streamed, as often as the dataflow streams them
 * @param resultBytes     results delivered
 * @param totalBytes      all of them
 * @param opsPerWeightByte 2 x MACs per byte of weights and scales: the intensity that bounds a
 *                         weight-streaming (memory-bound, small-M) workload; 0 without weights
 * @param opsPerByte      2 x MACs per byte of all streams
 * @param baseline        what the baseline moves for the same workload (null for the baseline itself)
 * @param baselineName    the baseline, e.g. "int8 weights, int32 results"
 */
public record MemoryTraffic(String workload, long weightBytes, long scaleBytes, long activationBytes, long resultBytes,
                            long totalBytes, double opsPerWeightByte, double opsPerByte, MemoryTraffic baseline, String baselineName) {
    /** The figures of a workload of {@code macs} MACs moving these bytes. */
    public static MemoryTraffic of(String workload, long macs, long weightBits, long scaleBits, long activationBits, long resultBits,
                                   MemoryTraffic baseline, String baselineName) {
        long w = bytes(weightBits);
        long s = bytes(scaleBits);
        long a = bytes(activationBits);
        long r = bytes(resultBits);
        return new MemoryTraffic(workload, w, s, a, r, w + s + a + r, w + s == 0 ? 0 : round(2.0 * macs / (w + s)), round(2.0 * macs / (w + s + a + r)), baseline, baselineName);
    }

    private static long bytes(long bits) {
        return (bits + 7) / 8;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

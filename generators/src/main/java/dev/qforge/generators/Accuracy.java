package dev.qforge.generators;

/**
 * A block's output error against a float64 reference on a stated, seeded workload, in output LSBs
 * (|output - reference| with the reference unrounded), so a report shows what the integer
 * arithmetic costs.
 *
 * @param reference    what the block is compared with
 * @param workload     the inputs: distribution, seed, how many steps
 * @param maxErrorLsb  the largest error, rounded to 0.001 LSB
 * @param meanErrorLsb the mean error, rounded to 0.001 LSB
 * @param outputs      outputs compared
 */
public record Accuracy(String reference, String workload, double maxErrorLsb, double meanErrorLsb, long outputs) {
    /** Accumulates |output - reference| over outputs. */
    public static final class Tally {
        private double max;
        private double total;
        private long count;

        public void add(long output, double reference) {
            double e = Math.abs(output - reference);
            max = Math.max(max, e);
            total += e;
            count++;
        }

        public double max() { return max; }

        public double mean() { return count == 0 ? 0 : total / count; }

        public long count() { return count; }

        public Accuracy toAccuracy(String reference, String workload) {
            return new Accuracy(reference, workload, Math.round(max * 1000) / 1000.0, Math.round(mean() * 1000) / 1000.0, count);
        }
    }
}

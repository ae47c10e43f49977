package dev.qforge.testbenches.requant;

import dev.qforge.dsl.HwType;
import dev.qforge.generators.requant.Requantizer;
import dev.qforge.numerics.IntFormat;
import dev.qforge.numerics.TfliteRequant;
import dev.qforge.numerics.TfliteRounding;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The requantizer against {@link TfliteRequant#requantize}, bit for bit on every lane of every
 * valid output, with the pipeline modelled in Java: exactly {@code latency()} enabled cycles from
 * input to output, everything held while en is low. Stimulus mixes seeded random values over the
 * whole defined input space with the edges (INT32_MIN/MAX sums, shifts -31 and 30, ties, mult 0
 * and 2^31-1, extreme zero points, both clamp ends); cases numerics leaves undefined (it throws)
 * are drawn again. Some cycles break the clamp contract (bounds outside the output type, or
 * act_min > act_max): the output is then numerics' result saturated to the type.
 */
@Cosim
class RequantizerCosimTest {
    private static final int CYCLES = 20000;
    private static final int[] EDGE_SHIFTS = {-31, -30, -16, -1, 0, 1, 30};
    private static final int[] EDGE_MULTS = {0, 1, 1 << 30, (1 << 30) + 1, Integer.MAX_VALUE};

    /**
     * One configuration: parameters and its expected latency (one model each, from the cache).
     * Accumulators of 5, 32 and 64 bits: TFLite's int32 add sign-extends or wraps them.
     */
    private static final String CONFIGS = """
            4, 32,  8, true,  DOUBLE_ROUNDING, 18
            4, 32,  8, true,  SINGLE_ROUNDING, 13
            2,  5,  8, false, DOUBLE_ROUNDING, 25
            2,  5,  8, false, SINGLE_ROUNDING, 17
            1, 64, 16, true,  DOUBLE_ROUNDING, 13
            1, 64, 16, true,  SINGLE_ROUNDING, 10
            """;

    @ParameterizedTest(name = "l{0} acc{1} {3}{2} {4}")
    @CsvSource(textBlock = CONFIGS)
    void matchesNumericsOnEveryLaneEveryCycle(int lanes, int accBits, int outBits, boolean outSigned, TfliteRounding mode,
                                              int latency, CosimSession cosim) {
        Requantizer rq = new Requantizer(lanes, accBits, outBits, outSigned, mode);
        assertEquals(latency, rq.latency());
        long seed = 1000L * lanes + accBits + (mode == TfliteRounding.SINGLE_ROUNDING ? 1 : 0);
        Simulator sim = cosim.open(rq, seed);
        sim.reset();
        Stimulus stim = new Stimulus(new Random(seed), lanes, accBits, new IntFormat(outBits, outSigned), mode);
        Frames in = sim.frames(CYCLES);
        int[][] expected = new int[CYCLES][];
        boolean en = true;
        for (int t = 0; t < CYCLES; t++) {
            // en low in stretches of 8 cycles on average, about a sixth of all cycles
            en = en ? stim.rnd.nextInt(40) != 0 : stim.rnd.nextInt(8) == 0;
            in.set(t, "en", en ? 1 : 0);
            in.set(t, "in_valid", stim.rnd.nextInt(5) != 0 ? 1 : 0);
            expected[t] = stim.fill(in, t);
        }
        int checked = checkAgainstPipelineModel(sim, in, sim.run(in), expected, latency, lanes);
        assertTrue(checked > in.cycles() / 2, "only " + checked + " lane results were compared");
    }

    @ParameterizedTest(name = "l{0} acc{1} {3}{2} {4}")
    @CsvSource(textBlock = CONFIGS)
    void outValidFollowsInValidAfterExactlyLatencyCycles(int lanes, int accBits, int outBits, boolean outSigned,
                                                         TfliteRounding mode, int latency, CosimSession cosim) {
        Simulator sim = cosim.open(new Requantizer(lanes, accBits, outBits, outSigned, mode));
        sim.reset();
        Frames in = sim.frames(3 * latency);
        for (int t = 0; t < in.cycles(); t++) {
            in.set(t, "en", 1);
            in.set(t, "in_valid", t == 0 ? 1 : 0);
        }
        Frames out = sim.run(in);
        for (int t = 0; t < out.cycles(); t++) {
            assertEquals(t == latency ? 1 : 0, out.get(t, "out_valid"), "out_valid at cycle " + t);
        }
    }

    /**
     * SRDHM's one saturating case, INT32_MIN * INT32_MIN -> INT32_MAX, reached with mult = INT32_MIN
     * (outside the port contract, so requantize rejects it): checked against the numerics
     * primitives it is made of, for the right shifts that show the saturated value through the clamp.
     */
    @ParameterizedTest(name = "l{0} acc{1} {3}{2}")
    @CsvSource({"4, 32, 8, true", "2, 5, 8, false"})
    void srdhmSaturatesInt32MinSquared(int lanes, int accBits, int outBits, boolean outSigned, CosimSession cosim) {
        Requantizer rq = new Requantizer(lanes, accBits, outBits, outSigned, TfliteRounding.DOUBLE_ROUNDING);
        Simulator sim = cosim.open(rq);
        sim.reset();
        IntFormat format = new IntFormat(outBits, outSigned);
        int[] shifts = {0, -1, -24, -25, -30, -31, 1};
        Frames in = sim.frames(shifts.length + rq.latency());
        int[][] expected = new int[in.cycles()][];
        for (int t = 0; t < in.cycles(); t++) {
            in.set(t, "en", 1);
            in.set(t, "in_valid", t < shifts.length ? 1 : 0);
            in.set(t, "out_zp", 0);
            in.set(t, "act_min", format.min());
            in.set(t, "act_max", format.max());
            int shift = shifts[t % shifts.length];
            int x = Integer.MIN_VALUE >> Math.max(shift, 0); // x * 2^shift = INT32_MIN
            expected[t] = new int[lanes];
            for (int i = 0; i < lanes; i++) {
                in.set(t, "acc_" + i, 0);
                in.set(t, "bias_" + i, x);
                in.set(t, "mult_" + i, Integer.MIN_VALUE);
                in.set(t, "shift_" + i, shift);
                int srdhm = TfliteRequant.saturatingRoundingDoublingHighMul(x << Math.max(shift, 0), Integer.MIN_VALUE);
                long y = TfliteRequant.roundingDivideByPOT(srdhm, Math.max(-shift, 0));
                expected[t][i] = (int) Math.max(format.min(), Math.min(format.max(), y));
            }
        }
        assertEquals(1, expected[5][0], "INT32_MAX / 2^31 rounds to 1 (unsaturated INT32_MIN would give -1)");
        assertEquals(shifts.length * lanes, checkAgainstPipelineModel(sim, in, sim.run(in), expected, rq.latency(), lanes), "lane results compared");
    }

    /**
     * Replays the inputs through a Java model of the pipeline: {@code latency} stages that advance
     * together when en is high and are empty after reset; checks out_valid every cycle and the
     * lanes whenever it is high. Returns how many lane results it compared.
     */
    private static int checkAgainstPipelineModel(Simulator sim, Frames in, Frames out, int[][] expected, int latency, int lanes) {
        Deque<int[]> stages = new ArrayDeque<>(); // first = last stage; empty = not valid
        for (int s = 0; s < latency; s++) {
            stages.add(new int[0]);
        }
        int checked = 0;
        for (int t = 0; t < in.cycles(); t++) {
            int[] last = stages.peekFirst();
            boolean valid = last.length > 0;
            if (out.get(t, "out_valid") != (valid ? 1 : 0)) {
                throw sim.mismatch("out_valid", out.cycle(t), valid ? 1 : 0, out.get(t, "out_valid"), null);
            }
            for (int i = 0; valid && i < lanes; i++) {
                long actual = out.get(t, "out_" + i);
                if (actual != last[i]) {
                    throw sim.mismatch("out_" + i, out.cycle(t), last[i], actual, "lane inputs " + Arrays.toString(last));
                }
                checked++;
            }
            if (in.get(t, "en") == 1) {
                stages.pollFirst();
                stages.addLast(in.get(t, "in_valid") == 1 ? expected[t] : new int[0]);
            }
        }
        return checked;
    }

    /** Seeded random inputs inside the region numerics defines, and the results numerics gives. */
    private static final class Stimulus {
        final Random rnd;
        private final int lanes;
        private final HwType acc;
        private final IntFormat outFormat;
        private final TfliteRounding mode;

        Stimulus(Random rnd, int lanes, int accBits, IntFormat outFormat, TfliteRounding mode) {
            this.rnd = rnd;
            this.lanes = lanes;
            this.acc = HwType.sint(accBits);
            this.outFormat = outFormat;
            this.mode = mode;
        }

        /** Fills cycle t's data inputs and returns each lane's expected output. */
        int[] fill(Frames in, int t) {
            int zp = zeroPoint();
            int lo = (int) between(outFormat.min(), outFormat.max());
            int hi = (int) between(outFormat.min(), outFormat.max());
            switch (rnd.nextInt(8)) {
                case 0 -> { lo = (int) outFormat.min(); hi = (int) outFormat.max(); } // no activation
                case 1 -> { lo = (int) Math.max(outFormat.min(), Math.min(outFormat.max(), zp)); hi = (int) outFormat.max(); } // ReLU
                case 2 -> hi = lo; // a single value
                case 3 -> { lo = rnd.nextInt(1 << 16) + Short.MIN_VALUE; hi = rnd.nextInt(1 << 16) + Short.MIN_VALUE; } // off contract
                default -> { int a = Math.min(lo, hi); hi = Math.max(lo, hi); lo = a; }
            }
            in.set(t, "out_zp", zp);
            in.set(t, "act_min", lo);
            in.set(t, "act_max", hi);
            int[] expected = new int[lanes];
            for (int i = 0; i < lanes; i++) {
                expected[i] = (int) outFormat.saturate(lane(in, t, i, zp, lo, hi));
            }
            return expected;
        }

        private int lane(Frames in, int t, int i, int zp, int lo, int hi) {
            while (true) {
                boolean ties = rnd.nextInt(10) == 0; // x * 2^-k, x * 3 * 2^-k for small x: exact halves in both roundings
                int shift = ties ? -rnd.nextInt(4) : rnd.nextInt(4) == 0 ? EDGE_SHIFTS[rnd.nextInt(EDGE_SHIFTS.length)] : rnd.nextInt(62) - 31;
                int mult = ties ? (rnd.nextBoolean() ? 1 << 30 : 3 << 29) : switch (rnd.nextInt(5)) {
                    case 0 -> EDGE_MULTS[rnd.nextInt(EDGE_MULTS.length)];
                    case 1 -> rnd.nextInt(Integer.MAX_VALUE) + 1; // any multiplier, also unnormalised
                    default -> (1 << 30) + rnd.nextInt(1 << 30); // what quantizeMultiplier produces
                };
                int x = ties ? rnd.nextInt(41) - 20 : sum(shift, mult);
                long accValue = rnd.nextInt(3) == 0 ? (rnd.nextBoolean() ? acc.min() : acc.max()) : between(acc.min(), acc.max());
                int bias = x - (int) accValue; // TFLite's int32 add wraps: (int) acc + bias == x
                try {
                    int y = TfliteRequant.requantize(x, new TfliteRequant.FullyConnectedParams(0, 0, zp, mult, shift, lo, hi, mode));
                    in.set(t, "acc_" + i, accValue);
                    in.set(t, "bias_" + i, bias);
                    in.set(t, "mult_" + i, mult);
                    in.set(t, "shift_" + i, shift);
                    return y;
                } catch (ArithmeticException undefined) {
                    // x * 2^shift or the result leaves int32: TFLite leaves it undefined, draw again
                }
            }
        }

        /** x = acc + bias: mostly scaled to land near the output range, else anywhere, or an edge. */
        private int sum(int shift, int mult) {
            switch (rnd.nextInt(8)) {
                case 0:
                    return rnd.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE;
                case 1:
                    return rnd.nextInt();
                case 2:
                    return rnd.nextInt(41) - 20;
                default:
                    // the result is about x * mult * 2^(shift - 31); aim at |result| < 2^k
                    int k = rnd.nextInt(12);
                    int bits = Math.max(0, Math.min(31, k + 31 - shift - (32 - Integer.numberOfLeadingZeros(Math.max(mult, 1)))));
                    return (int) between(-(1L << bits), (1L << bits) - 1);
            }
        }

        private int zeroPoint() {
            return switch (rnd.nextInt(6)) {
                case 0 -> rnd.nextBoolean() ? Short.MIN_VALUE : Short.MAX_VALUE;
                case 1 -> (int) (rnd.nextBoolean() ? outFormat.min() : outFormat.max());
                default -> (int) between(outFormat.min(), outFormat.max());
            };
        }

        /** A random value in [lo, hi]; any long for the whole range (a 64-bit accumulator). */
        private long between(long lo, long hi) {
            if (lo == Long.MIN_VALUE && hi == Long.MAX_VALUE) {
                return rnd.nextLong();
            }
            return lo + (long) (rnd.nextDouble() * (hi - lo + 1));
        }
    }
}

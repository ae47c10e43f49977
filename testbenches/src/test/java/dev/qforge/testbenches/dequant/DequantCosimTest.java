package dev.qforge.testbenches.dequant;

import dev.qforge.generators.dequant.DequantConfig;
import dev.qforge.generators.dequant.DequantConfig.Scale;
import dev.qforge.generators.dequant.DequantCycleModel;
import dev.qforge.generators.dequant.DequantGolden;
import dev.qforge.generators.dequant.Dequantizer;
import dev.qforge.generators.dequant.Element;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.OutlierBfp;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every co-simulated dequant configuration ({@link #CONFIGS}: six Verilator models) against
 * {@link DequantGolden}, bit for bit on every lane of every output beat, and cycle for cycle
 * against a Java model of the stall-all pipeline ({@link DequantCycleModel#latency} stages that
 * advance when the last is empty or taken): in_ready, out_valid and the data are checked every
 * cycle, under random input bubbles and output back-pressure. Scale ports carry random junk on
 * the beats that must ignore them. Stimulus mixes uniformly random codes and scale bits (every
 * NaN, infinity, zero and subnormal pattern shows up) with scales whose products land near the
 * output format's limits (overflow to infinity, subnormals, flush to zero).
 */
@Cosim
class DequantCosimTest {
    private static final int CYCLES = 6000;

    /** Chosen so six models cover every code path: each scale kind, zero points, every output, held and per-beat scales. */
    static final List<DequantConfig> CONFIGS = List.of(
            new DequantConfig(Element.UINT4, 4, 32, Scale.BF16, 0, true, BinaryFloat.BF16, 8),
            new DequantConfig(Element.INT4, 4, 128, Scale.FP16, 0, false, BinaryFloat.FP32, 8),
            new DequantConfig(Element.INT2, 4, 2, Scale.S16, 8, true, null, 8),
            new DequantConfig(Element.MXFP8_E4M3, 4, 32, Scale.E8M0, 0, false, BinaryFloat.FP16, 8),
            new DequantConfig(Element.MXFP8_E5M2, 4, 32, Scale.E8M0, 0, false, BinaryFloat.BF16, 8),
            new DequantConfig(Element.MXFP4, 8, 32, Scale.E8M0, 0, false, null, 8));

    static List<DequantConfig> configs() {
        return CONFIGS;
    }

    /** One accepted beat: its codes, the scale and zero point of each of its groups, and the expected outputs. */
    record Beat(int[] codes, long[] scales, int[] zps, long[] lanes) { }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void matchesGoldenEveryCycleUnderBubblesAndBackPressure(DequantConfig cfg, CosimSession cosim) {
        long seed = 7919L * new Dequantizer(cfg).name().hashCode(); // the name states every parameter; a record's hash of enums changes per JVM
        Simulator sim = cosim.open(new Dequantizer(cfg), seed);
        sim.reset();
        drive(cfg, sim, seed, CYCLES);
    }

    /**
     * Runs {@code cycles} cycles of seeded random stimulus through a reset simulator and checks every
     * cycle against the golden and cycle models; returns the input and output frames.
     */
    static Frames[] drive(DequantConfig cfg, Simulator sim, long seed, int cycles) {
        Run run = drive(List.of(new Unit(cfg, UnaryOperator.identity())), sim, seed, cycles);
        return new Frames[] {run.in(), run.out()};
    }

    /** One dequant unit and the names of its data ports ({@link Dequantizer}'s own, or {@link DequantizerSet#port}). */
    record Unit(DequantConfig cfg, UnaryOperator<String> port) { }

    /** A run's frames and, per unit, every compared output beat. */
    record Run(Frames in, Frames out, List<List<Beat>> beats) { }

    /**
     * {@link #drive(DequantConfig, Simulator, long, int)} for units of one latency sharing
     * {@code in_valid} and {@code out_ready} ({@link DequantizerSet}), each with its own codes and scales.
     */
    static Run drive(List<Unit> units, Simulator sim, long seed, int cycles) {
        Random rnd = new Random(seed);
        Frames in = sim.frames(cycles);
        // the stimulus is decided ahead; which beats are taken follows from the model below
        long[][][] scaleOnPort = new long[units.size()][cycles][];
        int[][][] zpOnPort = new int[units.size()][cycles][];
        int[][][] codesOnPort = new int[units.size()][cycles][];
        OutlierBfp.Outliers[][][] outliersOnPort = new OutlierBfp.Outliers[units.size()][cycles][];
        int burst = 0;
        for (int t = 0; t < cycles; t++) {
            burst = burst > 0 ? burst - 1 : rnd.nextInt(4) == 0 ? 20 + rnd.nextInt(40) : 0;
            in.set(t, "in_valid", burst > 0 || rnd.nextInt(3) != 0 ? 1 : 0);
            in.set(t, "out_ready", t > cycles - 20 || rnd.nextInt(4) != 0 ? 1 : 0);
            for (int k = 0; k < units.size(); k++) {
                DequantConfig cfg = units.get(k).cfg();
                UnaryOperator<String> p = units.get(k).port();
                int s = cfg.scalesPerBeat();
                codesOnPort[k][t] = new int[cfg.lanes()];
                scaleOnPort[k][t] = new long[s];
                zpOnPort[k][t] = new int[s];
                BigInteger word = BigInteger.ZERO;
                for (int i = 0; i < cfg.lanes(); i++) {
                    codesOnPort[k][t][i] = code(cfg, rnd);
                    word = word.or(BigInteger.valueOf(codesOnPort[k][t][i]).shiftLeft(cfg.codeOffset(i)));
                }
                in.set(t, p.apply("in_codes"), word);
                outliersOnPort[k][t] = new OutlierBfp.Outliers[s];
                for (int j = 0; j < s && cfg.outliers() > 0; j++) {
                    outliersOnPort[k][t][j] = outliers(cfg, rnd);
                    in.set(t, p.apply("in_oscale_" + j), outliersOnPort[k][t][j].scale());
                    for (int slot = 0; slot < cfg.outliers(); slot++) {
                        in.set(t, p.apply("in_oidx_" + (j * cfg.outliers() + slot)), outliersOnPort[k][t][j].indices()[slot]);
                        in.set(t, p.apply("in_omant_" + (j * cfg.outliers() + slot)), outliersOnPort[k][t][j].mantissas()[slot]);
                    }
                }
                for (int j = 0; j < s; j++) {
                    scaleOnPort[k][t][j] = scale(cfg, rnd);
                    in.set(t, p.apply("in_scale_" + j), scaleOnPort[k][t][j]);
                    if (cfg.zeroPoint()) {
                        zpOnPort[k][t][j] = (int) cfg.integer().wrap(rnd.nextInt(1 << cfg.codeBits()));
                        in.set(t, p.apply("in_zp_" + j), zpOnPort[k][t][j]);
                    }
                }
            }
        }
        Frames out = sim.run(in);

        int latency = DequantCycleModel.latency(units.get(0).cfg());
        Beat[][] stages = new Beat[latency][]; // stages[latency - 1] drives the output, one beat per unit; null: empty
        long[][] held = new long[units.size()][];
        int[][] heldZp = new int[units.size()][];
        OutlierBfp.Outliers[][] heldOutliers = new OutlierBfp.Outliers[units.size()][];
        List<List<Beat>> compared = new ArrayList<>();
        units.forEach(u -> compared.add(new ArrayList<>()));
        long accepted = 0;
        for (int t = 0; t < cycles; t++) {
            Beat[] last = stages[latency - 1];
            check(sim, out, t, "out_valid", last != null ? 1 : 0, null);
            boolean adv = last == null || in.get(t, "out_ready") == 1;
            check(sim, out, t, "in_ready", adv ? 1 : 0, null);
            for (int k = 0; last != null && k < units.size(); k++) {
                DequantConfig cfg = units.get(k).cfg();
                UnaryOperator<String> p = units.get(k).port();
                Beat b = last[k];
                for (int i = 0; i < cfg.lanes(); i++) {
                    check(sim, out, t, p.apply("out_" + i), b.lanes()[i], "codes " + Arrays.toString(b.codes()) + " scales "
                            + Arrays.toString(b.scales()) + " zps " + Arrays.toString(b.zps()));
                }
                for (int j = 0; cfg.fixedHasExponent() && j < cfg.scalesPerBeat(); j++) {
                    check(sim, out, t, p.apply("out_exp_" + j), DequantGolden.fixedExponent(cfg, b.scales()[j]), null);
                    check(sim, out, t, p.apply("out_nan_" + j), DequantGolden.fixedNaN(cfg, b.scales()[j]) ? 1 : 0, null);
                }
                if (adv) {
                    compared.get(k).add(b);
                }
            }
            if (adv) {
                System.arraycopy(stages, 0, stages, 1, latency - 1);
                stages[0] = null;
                if (in.get(t, "in_valid") == 1) {
                    stages[0] = new Beat[units.size()];
                    for (int k = 0; k < units.size(); k++) {
                        DequantConfig cfg = units.get(k).cfg();
                        int beat = (int) (accepted % cfg.beatsPerGroup());
                        if (beat == 0) {
                            held[k] = scaleOnPort[k][t];
                            heldZp[k] = zpOnPort[k][t];
                            heldOutliers[k] = outliersOnPort[k][t];
                        }
                        stages[0][k] = expected(cfg, codesOnPort[k][t], held[k], heldZp[k], heldOutliers[k], beat);
                    }
                    accepted++;
                }
            }
        }
        assertTrue(compared.get(0).size() > cycles / 4, "only " + compared.get(0).size() + " beats were compared");
        return new Run(in, out, compared);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void oneBeatAppearsAfterExactlyLatencyCycles(DequantConfig cfg, CosimSession cosim) {
        Simulator sim = cosim.open(new Dequantizer(cfg));
        sim.reset();
        Frames in = sim.frames(12);
        for (int t = 0; t < in.cycles(); t++) {
            in.set(t, "in_valid", t == 0 ? 1 : 0);
            in.set(t, "out_ready", 1);
        }
        Frames out = sim.run(in);
        for (int t = 0; t < out.cycles(); t++) {
            assertEquals(t == DequantCycleModel.latency(cfg) ? 1 : 0, out.get(t, "out_valid"), "out_valid at cycle " + t);
        }
    }

    /** The beat's outputs; {@code beat} is its place in its group (0 when a beat holds whole groups). */
    private static Beat expected(DequantConfig cfg, int[] codes, long[] scales, int[] zps, OutlierBfp.Outliers[] outliers, int beat) {
        long[] lanes = new long[cfg.lanes()];
        for (int i = 0; i < lanes.length; i++) {
            int j = cfg.scaleIndex(i);
            lanes[i] = cfg.outliers() > 0
                    ? DequantGolden.outlierLane(cfg, (beat * cfg.lanes() + i) % cfg.groupSize(), codes[i], scales[j], outliers[j])
                    : DequantGolden.lane(cfg, codes[i], scales[j], zps[j]);
        }
        return new Beat(codes.clone(), scales, zps, lanes);
    }

    private static void check(Simulator sim, Frames out, int t, String port, long expected, String context) {
        long actual = out.get(t, port);
        if (actual != expected) {
            throw sim.mismatch(port, out.cycle(t), expected, actual, context);
        }
    }

    /** A random code, a third of the time one at the format's edges (zero, -0, the largest and smallest codes). */
    private static int code(DequantConfig cfg, Random rnd) {
        int bits = cfg.codeBits();
        if (rnd.nextInt(3) == 0) {
            int[] edges = {0, 1 << (bits - 1), (1 << (bits - 1)) - 1, (1 << bits) - 1, 1, (1 << (bits - 1)) + 1};
            return edges[rnd.nextInt(edges.length)];
        }
        return rnd.nextInt(1 << bits);
    }

    /**
     * A group's random outliers: an E8M0 scale drawn as the inliers' is, indices anywhere in the group
     * (a quarter of the time a slot repeats slot 0's, where the lower slot must win), mantissas a third
     * of the time at the 8-bit limits.
     */
    private static OutlierBfp.Outliers outliers(DequantConfig cfg, Random rnd) {
        int k = cfg.outliers();
        int[] idx = new int[k];
        int[] mant = new int[k];
        int[] edges = {-128, 127, 0, 1, -1};
        for (int t = 0; t < k; t++) {
            idx[t] = t > 0 && rnd.nextInt(4) == 0 ? idx[0] : rnd.nextInt(cfg.groupSize());
            mant[t] = rnd.nextInt(3) == 0 ? edges[rnd.nextInt(edges.length)] : rnd.nextInt(256) - 128;
        }
        return new OutlierBfp.Outliers((int) scale(cfg, rnd), idx, mant);
    }

    /** Random scale bits: uniformly any pattern, a special value (E8M0's NaN; a float's NaN, infinity, zero or subnormal), or one whose products land near the output's range limits. */
    private static long scale(DequantConfig cfg, Random rnd) {
        int choice = rnd.nextInt(4);
        return switch (cfg.scale()) {
            case E8M0 -> choice == 0 ? rnd.nextInt(256) : choice == 1 ? Mx.SCALE_NAN : Math.max(0, Math.min(Mx.SCALE_NAN - 1, nearLimits(cfg, rnd) + Mx.SCALE_BIAS));
            case S16 -> choice == 0 ? (rnd.nextBoolean() ? 0x8000 : 0x7FFF) : rnd.nextInt(1 << 16);
            case BF16, FP16 -> {
                BinaryFloat f = cfg.scale().binaryFloat();
                if (choice == 0) {
                    yield rnd.nextInt(1 << 16);
                }
                if (choice == 1) { // a NaN, an infinity, a zero or a subnormal, either sign
                    int top = (1 << f.exponentBits()) - 1;
                    int mantissa = rnd.nextInt(1 << f.mantissaBits());
                    yield (long) rnd.nextInt(2) << 15 | switch (rnd.nextInt(4)) {
                        case 0 -> (long) top << f.mantissaBits() | Math.max(1, mantissa);
                        case 1 -> (long) top << f.mantissaBits();
                        case 2 -> 0;
                        default -> mantissa;
                    };
                }
                int field = Math.max(0, Math.min((1 << f.exponentBits()) - 1, nearLimits(cfg, rnd) + f.bias()));
                yield (long) rnd.nextInt(2) << 15 | (long) field << f.mantissaBits() | rnd.nextInt(1 << f.mantissaBits());
            }
        };
    }

    /** An exponent near the output's overflow or subnormal edges (or the middle), relative to the element's own range. */
    private static int nearLimits(DequantConfig cfg, Random rnd) {
        BinaryFloat o = cfg.out() != null ? cfg.out() : BinaryFloat.FP16;
        int top = o.bias() - (cfg.element().isMx() ? cfg.element().mx().emax() : cfg.element().isBfp() ? 1 : cfg.codeBits());
        int bottom = o.minExponent() - cfg.minExponent();
        return switch (rnd.nextInt(3)) {
            case 0 -> top - 3 + rnd.nextInt(7);
            case 1 -> bottom - 6 + rnd.nextInt(12);
            default -> rnd.nextInt(21) - 10;
        };
    }
}

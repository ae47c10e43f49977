package dev.qforge.testbenches.dequant;

import dev.qforge.generators.dequant.DequantConfig;
import dev.qforge.generators.dequant.DequantConfig.Scale;
import dev.qforge.generators.dequant.DequantCycleModel;
import dev.qforge.generators.dequant.DequantGolden;
import dev.qforge.generators.dequant.Dequantizer;
import dev.qforge.generators.dequant.Element;
import dev.qforge.numerics.BinaryFloat;
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
            new DequantConfig(Element.UINT4, 4, 32, Scale.BF16, 0, true, BinaryFloat.BF16),
            new DequantConfig(Element.INT4, 4, 128, Scale.FP16, 0, false, BinaryFloat.FP32),
            new DequantConfig(Element.INT2, 4, 2, Scale.S16, 8, true, null),
            new DequantConfig(Element.MXFP8_E4M3, 4, 32, Scale.E8M0, 0, false, BinaryFloat.FP16),
            new DequantConfig(Element.MXFP8_E5M2, 4, 32, Scale.E8M0, 0, false, BinaryFloat.BF16),
            new DequantConfig(Element.MXFP4, 8, 32, Scale.E8M0, 0, false, null));

    static List<DequantConfig> configs() {
        return CONFIGS;
    }

    /** One accepted beat: its codes, the scale and zero point of each of its groups, and the expected outputs. */
    private record Beat(int[] codes, long[] scales, int[] zps, long[] lanes) { }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void matchesGoldenEveryCycleUnderBubblesAndBackPressure(DequantConfig cfg, CosimSession cosim) {
        Dequantizer dq = new Dequantizer(cfg);
        long seed = 7919L * cfg.hashCode();
        Simulator sim = cosim.open(dq, seed);
        sim.reset();
        Random rnd = new Random(seed);
        int s = cfg.scalesPerBeat();
        Frames in = sim.frames(CYCLES);
        List<Beat> offered = new ArrayList<>();
        // the stimulus is decided ahead; which beats are taken follows from the model below
        long[][] scaleOnPort = new long[CYCLES][s];
        int[][] zpOnPort = new int[CYCLES][s];
        int[][] codesOnPort = new int[CYCLES][cfg.lanes()];
        int burst = 0;
        for (int t = 0; t < CYCLES; t++) {
            burst = burst > 0 ? burst - 1 : rnd.nextInt(4) == 0 ? 20 + rnd.nextInt(40) : 0;
            in.set(t, "in_valid", burst > 0 || rnd.nextInt(3) != 0 ? 1 : 0);
            in.set(t, "out_ready", t > CYCLES - 20 || rnd.nextInt(4) != 0 ? 1 : 0);
            BigInteger word = BigInteger.ZERO;
            for (int i = 0; i < cfg.lanes(); i++) {
                codesOnPort[t][i] = code(cfg, rnd);
                word = word.or(BigInteger.valueOf(codesOnPort[t][i]).shiftLeft(i * cfg.element().bits()));
            }
            in.set(t, "in_codes", word);
            for (int j = 0; j < s; j++) {
                scaleOnPort[t][j] = scale(cfg, rnd);
                in.set(t, "in_scale_" + j, scaleOnPort[t][j]);
                if (cfg.zeroPoint()) {
                    zpOnPort[t][j] = (int) cfg.element().integer().wrap(rnd.nextInt(1 << cfg.element().bits()));
                    in.set(t, "in_zp_" + j, zpOnPort[t][j]);
                }
            }
        }
        Frames out = sim.run(in);

        int latency = DequantCycleModel.latency(cfg);
        Beat[] stages = new Beat[latency]; // stages[latency - 1] drives the output; null: empty
        long[] held = new long[s];
        int[] heldZp = new int[s];
        long accepted = 0;
        int compared = 0;
        for (int t = 0; t < CYCLES; t++) {
            Beat last = stages[latency - 1];
            check(sim, out, t, "out_valid", last != null ? 1 : 0, null);
            boolean adv = last == null || in.get(t, "out_ready") == 1;
            check(sim, out, t, "in_ready", adv ? 1 : 0, null);
            if (last != null) {
                for (int i = 0; i < cfg.lanes(); i++) {
                    check(sim, out, t, "out_" + i, last.lanes()[i], "codes " + Arrays.toString(last.codes()) + " scales "
                            + Arrays.toString(last.scales()) + " zps " + Arrays.toString(last.zps()));
                }
                for (int j = 0; cfg.fixedHasExponent() && j < s; j++) {
                    check(sim, out, t, "out_exp_" + j, DequantGolden.fixedExponent(cfg, last.scales()[j]), null);
                    check(sim, out, t, "out_nan_" + j, DequantGolden.fixedNaN(cfg, last.scales()[j]) ? 1 : 0, null);
                }
                compared += adv ? 1 : 0;
            }
            if (adv) {
                System.arraycopy(stages, 0, stages, 1, latency - 1);
                stages[0] = null;
                if (in.get(t, "in_valid") == 1) {
                    if (accepted % cfg.beatsPerGroup() == 0) {
                        held = scaleOnPort[t].clone();
                        heldZp = zpOnPort[t].clone();
                    }
                    accepted++;
                    stages[0] = expected(cfg, codesOnPort[t], held, heldZp);
                    offered.add(stages[0]);
                }
            }
        }
        assertTrue(compared > CYCLES / 4, "only " + compared + " beats were compared");
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

    private static Beat expected(DequantConfig cfg, int[] codes, long[] scales, int[] zps) {
        long[] lanes = new long[cfg.lanes()];
        for (int i = 0; i < lanes.length; i++) {
            int j = i / Math.min(cfg.lanes(), cfg.groupSize());
            lanes[i] = DequantGolden.lane(cfg, codes[i], scales[j], zps[j]);
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
        int bits = cfg.element().bits();
        if (rnd.nextInt(3) == 0) {
            int[] edges = {0, 1 << (bits - 1), (1 << (bits - 1)) - 1, (1 << bits) - 1, 1, (1 << (bits - 1)) + 1};
            return edges[rnd.nextInt(edges.length)];
        }
        return rnd.nextInt(1 << bits);
    }

    /** Random scale bits: uniformly any pattern, or one whose products land near the output's range limits. */
    private static long scale(DequantConfig cfg, Random rnd) {
        int choice = rnd.nextInt(4);
        return switch (cfg.scale()) {
            case E8M0 -> choice == 0 ? rnd.nextInt(256) : choice == 1 ? 0xFF : nearLimits(cfg, rnd) + 127;
            case S16 -> choice == 0 ? (rnd.nextBoolean() ? 0x8000 : 0x7FFF) : rnd.nextInt(1 << 16);
            case BF16, FP16 -> {
                BinaryFloat f = cfg.scale().binaryFloat();
                if (choice < 2) {
                    yield rnd.nextInt(1 << 16);
                }
                int field = Math.max(0, Math.min((1 << f.exponentBits()) - 1, nearLimits(cfg, rnd) + f.bias()));
                yield (long) rnd.nextInt(2) << 15 | (long) field << f.mantissaBits() | rnd.nextInt(1 << f.mantissaBits());
            }
        };
    }

    /** An exponent near the output's overflow or subnormal edges (or the middle), relative to the element's own range. */
    private static int nearLimits(DequantConfig cfg, Random rnd) {
        BinaryFloat o = cfg.out() != null ? cfg.out() : BinaryFloat.FP16;
        int top = o.bias() - (cfg.element().isMx() ? cfg.element().mx().emax() : cfg.element().bits());
        int bottom = o.minExponent() - cfg.element().minExponent();
        return switch (rnd.nextInt(3)) {
            case 0 -> top - 3 + rnd.nextInt(7);
            case 1 -> bottom - 6 + rnd.nextInt(12);
            default -> rnd.nextInt(21) - 10;
        };
    }
}

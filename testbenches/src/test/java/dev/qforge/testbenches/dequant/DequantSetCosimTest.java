package dev.qforge.testbenches.dequant;

import dev.qforge.generators.dequant.DequantConfig;
import dev.qforge.generators.dequant.DequantConfig.Scale;
import dev.qforge.generators.dequant.DequantGolden;
import dev.qforge.generators.dequant.Element;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.MxElementType;
import dev.qforge.numerics.PackOrder;
import dev.qforge.testbenches.dequant.DequantCosimTest.Beat;
import dev.qforge.testbenches.dequant.DequantCosimTest.Run;
import dev.qforge.testbenches.dequant.DequantCosimTest.Unit;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The formats and output kinds {@link DequantCosimTest}'s six models leave out, two Verilator models
 * more: a {@link DequantizerSet} of float-output units (every format into bf16, fp16 or fp32) and one
 * of fixed-output units (every format without NaN codes, under every scale kind), checked bit for bit
 * and cycle for cycle by {@link DequantCosimTest#drive(List, Simulator, long, int)} under bubbles and
 * back-pressure. Group sizes 2, 16, 32 and 128; held and per-beat scales. Each float unit is also
 * shown to have produced a NaN, an infinity, a subnormal and (where the format has one) -0, and each
 * fixed unit with a runtime exponent to have met a NaN or infinite scale (out_nan), so the edge
 * cases were exercised, not only allowed.
 */
@Cosim
class DequantSetCosimTest {
    private static final int CYCLES = 6000;

    /**
     * Float output: MXFP6 both ways, MXINT8, MXFP4, BFP at block 2 (per-beat scales), int2 and uint2 with group 128,
     * BFP with outliers (4-bit inliers and two outliers per block of 32 held over 8 beats; 6-bit inliers and one
     * outlier per block of 4, two blocks per beat).
     */
    static final List<DequantConfig> FLOAT = List.of(
            new DequantConfig(Element.MXFP6_E3M2, 2, 32, Scale.E8M0, 0, false, BinaryFloat.BF16, 8),
            new DequantConfig(Element.MXFP6_E2M3, 2, 32, Scale.E8M0, 0, false, BinaryFloat.FP16, 8),
            new DequantConfig(Element.MXINT8, 2, 32, Scale.E8M0, 0, false, BinaryFloat.FP32, 8),
            new DequantConfig(Element.MXFP4, 2, 32, Scale.E8M0, 0, false, BinaryFloat.FP16, 8),
            new DequantConfig(Element.BFP, 4, 2, Scale.E8M0, 0, false, BinaryFloat.FP32, 6),
            new DequantConfig(Element.INT2, 2, 32, Scale.BF16, 0, false, BinaryFloat.BF16, 8),
            new DequantConfig(Element.UINT2, 4, 128, Scale.FP16, 0, true, BinaryFloat.FP16, 8),
            new DequantConfig(Element.BFP_OUTLIER, 4, 32, Scale.E8M0, 0, false, BinaryFloat.FP16, 4, PackOrder.GPTQ, 2),
            new DequantConfig(Element.BFP_OUTLIER, 8, 4, Scale.E8M0, 0, false, BinaryFloat.BF16, 6, PackOrder.GPTQ, 1));

    /** Fixed output: the same formats (BFP at 12 bits, block 16), a bf16 and an fp16 scale, and uint4 with s16 scales per beat. */
    static final List<DequantConfig> FIXED = List.of(
            new DequantConfig(Element.MXFP6_E3M2, 2, 32, Scale.E8M0, 0, false, null, 8),
            new DequantConfig(Element.MXFP6_E2M3, 2, 32, Scale.E8M0, 0, false, null, 8),
            new DequantConfig(Element.MXINT8, 2, 32, Scale.E8M0, 0, false, null, 8),
            new DequantConfig(Element.BFP, 2, 16, Scale.E8M0, 0, false, null, 12),
            new DequantConfig(Element.INT4, 4, 32, Scale.BF16, 0, true, null, 8),
            new DequantConfig(Element.UINT2, 4, 128, Scale.FP16, 0, false, null, 8),
            new DequantConfig(Element.UINT4, 4, 2, Scale.S16, 15, true, null, 8));

    /**
     * Every (format, float output) pair the two sets above and {@link DequantCosimTest} leave out, so each
     * format is checked into each of bf16, fp16 and fp32; with them the group sizes not seen yet for a format
     * (bfp at 128 and 256, bfp_outlier at 128 with four outliers, int4 at 2, uint4 at 64) and s16 scales into
     * a float. One Verilator model.
     */
    static final List<DequantConfig> CROSS = List.of(
            new DequantConfig(Element.UINT4, 2, 64, Scale.BF16, 0, true, BinaryFloat.FP32, 8),
            new DequantConfig(Element.INT2, 1, 16, Scale.FP16, 0, false, BinaryFloat.FP32, 8),
            new DequantConfig(Element.UINT2, 2, 4, Scale.BF16, 0, false, BinaryFloat.FP32, 8),
            new DequantConfig(Element.MXFP8_E4M3, 1, 32, Scale.E8M0, 0, false, BinaryFloat.FP32, 8),
            new DequantConfig(Element.MXFP8_E5M2, 2, 32, Scale.E8M0, 0, false, BinaryFloat.FP32, 8),
            new DequantConfig(Element.MXFP6_E3M2, 1, 32, Scale.E8M0, 0, false, BinaryFloat.FP32, 8),
            new DequantConfig(Element.MXFP6_E2M3, 1, 32, Scale.E8M0, 0, false, BinaryFloat.FP32, 8),
            new DequantConfig(Element.MXFP4, 4, 32, Scale.E8M0, 0, false, BinaryFloat.FP32, 8),
            new DequantConfig(Element.BFP_OUTLIER, 2, 128, Scale.E8M0, 0, false, BinaryFloat.FP32, 8, PackOrder.GPTQ, 4),
            new DequantConfig(Element.INT4, 2, 2, Scale.FP16, 0, true, BinaryFloat.BF16, 8),
            new DequantConfig(Element.UINT4, 1, 32, Scale.S16, 3, true, BinaryFloat.BF16, 8),
            new DequantConfig(Element.UINT2, 2, 32, Scale.FP16, 0, true, BinaryFloat.BF16, 8),
            new DequantConfig(Element.MXFP8_E4M3, 2, 32, Scale.E8M0, 0, false, BinaryFloat.BF16, 8),
            new DequantConfig(Element.MXFP6_E2M3, 2, 32, Scale.E8M0, 0, false, BinaryFloat.BF16, 8),
            new DequantConfig(Element.MXINT8, 1, 32, Scale.E8M0, 0, false, BinaryFloat.BF16, 8),
            new DequantConfig(Element.MXFP4, 1, 32, Scale.E8M0, 0, false, BinaryFloat.BF16, 8),
            new DequantConfig(Element.BFP, 2, 128, Scale.E8M0, 0, false, BinaryFloat.BF16, 16),
            new DequantConfig(Element.INT4, 4, 128, Scale.BF16, 0, false, BinaryFloat.FP16, 8),
            new DequantConfig(Element.UINT4, 2, 2, Scale.S16, 12, false, BinaryFloat.FP16, 8),
            new DequantConfig(Element.INT2, 2, 8, Scale.BF16, 0, true, BinaryFloat.FP16, 8),
            new DequantConfig(Element.MXFP8_E5M2, 1, 32, Scale.E8M0, 0, false, BinaryFloat.FP16, 8),
            new DequantConfig(Element.MXFP6_E3M2, 2, 32, Scale.E8M0, 0, false, BinaryFloat.FP16, 8),
            new DequantConfig(Element.MXINT8, 2, 32, Scale.E8M0, 0, false, BinaryFloat.FP16, 8),
            new DequantConfig(Element.BFP, 1, 256, Scale.E8M0, 0, false, BinaryFloat.FP16, 3));

    static List<List<DequantConfig>> sets() {
        return List.of(FLOAT, FIXED);
    }

    /**
     * {@link #CROSS} bit for bit and cycle for cycle; which specials a pair can produce depends on it (an fp16
     * scale times an int2 never reaches fp32's subnormals), so each unit is only shown to have produced a NaN
     * (where its scale or codes have one) and a finite nonzero value.
     */
    @Test
    void everyFormatIntoEveryFloatMatchesGolden(CosimSession cosim) {
        long seed = 1299709L;
        Simulator sim = cosim.open(new DequantizerSet(CROSS), seed);
        sim.reset();
        Run run = DequantCosimTest.drive(units(CROSS), sim, seed, CYCLES);
        for (int k = 0; k < CROSS.size(); k++) {
            DequantConfig cfg = CROSS.get(k);
            BinaryFloat f = cfg.out();
            List<String> missing = new ArrayList<>(List.of("finite nonzero"));
            if (cfg.scale() != Scale.S16) {
                missing.add("NaN");
            }
            for (Beat b : run.beats().get(k)) {
                for (long v : b.lanes()) {
                    missing.remove(f.isNaN(v) ? "NaN" : !f.isInfinite(v) && (v & ~(1L << (f.bits() - 1))) != 0 ? "finite nonzero" : "");
                }
            }
            assertTrue(missing.isEmpty(), cfg + " never saw " + missing);
        }
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("sets")
    void everyUnitMatchesGoldenEveryCycleUnderBubblesAndBackPressure(List<DequantConfig> set, CosimSession cosim) {
        DequantizerSet dut = new DequantizerSet(set);
        long seed = 104729L * dut.name().hashCode(); // the name hashes every unit's parameters; a record's hash of enums changes per JVM
        Simulator sim = cosim.open(dut, seed);
        sim.reset();
        Run run = DequantCosimTest.drive(units(set), sim, seed, CYCLES);
        for (int k = 0; k < set.size(); k++) {
            DequantConfig cfg = set.get(k);
            List<String> missing = new ArrayList<>();
            if (cfg.out() != null) {
                missing.addAll(List.of("NaN", "infinity", "subnormal", "-0"));
                if (!hasNegativeZero(cfg)) {
                    missing.remove("-0");
                }
            } else if (cfg.fixedHasExponent()) {
                missing.add("a NaN or infinite scale");
            }
            BinaryFloat f = cfg.out();
            for (Beat b : run.beats().get(k)) {
                if (f != null) {
                    for (long v : b.lanes()) {
                        missing.remove(f.isNaN(v) ? "NaN" : f.isInfinite(v) ? "infinity"
                                : v == 1L << (f.bits() - 1) ? "-0" : v >> f.mantissaBits() == 0 && v != 0 ? "subnormal" : "");
                    }
                } else {
                    for (long scale : b.scales()) {
                        missing.remove(DequantGolden.fixedNaN(cfg, scale) ? "a NaN or infinite scale" : "");
                    }
                }
            }
            assertTrue(missing.isEmpty(), cfg + " never saw " + missing);
        }
    }

    /** The units of a {@link DequantizerSet} and their port names. */
    static List<Unit> units(List<DequantConfig> set) {
        return IntStream.range(0, set.size()).mapToObj(k -> new Unit(set.get(k), n -> DequantizerSet.port(k, n))).toList();
    }

    /** -0 needs a sign on a zero: a float element (not MXINT8, BFP or integers) or a float scale. */
    private static boolean hasNegativeZero(DequantConfig cfg) {
        return cfg.element().isMx() && cfg.element().mx() != MxElementType.INT8 || cfg.scale().binaryFloat() != null;
    }
}

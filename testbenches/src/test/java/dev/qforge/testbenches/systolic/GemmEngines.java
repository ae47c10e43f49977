package dev.qforge.testbenches.systolic;

import dev.qforge.generators.systolic.Dataflow;
import dev.qforge.generators.systolic.GroupScale;
import dev.qforge.generators.systolic.MxBlocks;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.MxElementType;
import dev.qforge.numerics.TfliteRounding;

import java.util.stream.Stream;

/**
 * The engine variants the tests build, one list for co-simulation, lint and synthesis. Each
 * co-simulated variant is one Verilator model serving every GEMM shape, so the list is short
 * and each entry covers much: together they hold every activation x weight type pair (12), both
 * dataflows, packed (2, 4 and 5 columns per PE, and a last PE with fewer) and unpacked, 1..3 PE stages (both dataflows, packed and unpacked), bias,
 * requant in both roundings on both dataflows (packed, with int2/int4/uint8 types, a 5-bit and
 * an explicit 64-bit accumulator), and an explicit 48-bit accumulator.
 */
final class GemmEngines {
    /** Weight-stationary uint8 x int4 with bias and 3 PE stages (also replayed in Icarus). */
    static final SystolicConfig WS_UINT8_BIAS_P3 = SystolicConfig.int8(3, 2, 16, 16, 16, true).withTypes(8, false, 4).withPeStages(3);
    /** Output-stationary packed uint8 x int8 with single-rounding requant and 2 PE stages (also replayed in Icarus). */
    static final SystolicConfig OS_PACKED_REQUANT_P2 = SystolicConfig.int8Os(2, 3, 16, 16, 16).withTypes(8, false, 8).withPacking()
            .withPeStages(2).withRequant(TfliteRounding.SINGLE_ROUNDING);

    /** Grouped W4A8, 4 x 3, groups of 8 (a small group: K folds inside and across groups), bf16 scales, fp32 results (also replayed in Icarus). */
    static final SystolicConfig W4A8_G8 = SystolicConfig.int8(4, 3, 8, 40, 8, false).withTypes(8, true, 4)
            .withGroups(GroupScale.of(8, BinaryFloat.BF16, BinaryFloat.FP32));

    /** MX: MXFP8 E4M3 x MXFP4, 4 x 3 (8 K folds per block), fp32 results (also replayed in Icarus). */
    static final SystolicConfig MX_E4M3_FP4 = SystolicConfig.int8(4, 3, 8, 80, 8, false)
            .withMx(new MxBlocks(MxElementType.FP8_E4M3, MxElementType.FP4_E2M1, -32, 15, BinaryFloat.FP32));

    private GemmEngines() { }

    /**
     * The grouped (mixed-precision) variants: W4A8 and W2A8 (int8 and uint8 activations), groups
     * of 2, 4, 8, 32 and 128 (one K fold per group, several, a group larger than the largest K,
     * a single K fold), bf16 and fp16 scales, fp32 and bf16 results, packed and unpacked, 1..3 PE
     * stages, the default window and the widest (2^-126 .. 2^127: a 280-bit accumulator).
     */
    static Stream<SystolicConfig> grouped() {
        return Stream.of(
                W4A8_G8,
                SystolicConfig.int8(2, 4, 8, 13, 9, false).withTypes(8, false, 2).withPacking().withPeStages(2)
                        .withGroups(GroupScale.of(2, BinaryFloat.FP16, BinaryFloat.BF16)),
                SystolicConfig.int8(1, 1, 4, 9, 3, false).withTypes(8, true, 4).withPeStages(3)
                        .withGroups(new GroupScale(4, BinaryFloat.BF16, GroupScale.MIN_EXP, GroupScale.MAX_EXP, BinaryFloat.FP32)),
                SystolicConfig.int8(8, 4, 8, 100, 8, false).withTypes(8, true, 4).withPacking()
                        .withGroups(GroupScale.of(32, BinaryFloat.BF16, BinaryFloat.FP32)),
                SystolicConfig.int8(4, 2, 4, 300, 4, false).withTypes(8, true, 2)
                        .withGroups(GroupScale.of(128, BinaryFloat.BF16, BinaryFloat.BF16)),
                SystolicConfig.int8(4, 2, 4, 4, 4, false).withTypes(8, true, 4)
                        .withGroups(GroupScale.of(4, BinaryFloat.BF16, BinaryFloat.FP32)));
    }

    /**
     * The MX x MX variants: every element type on at least one side (E4M3, E5M2 and E2M3, MXINT8
     * activations; E2M1, E5M2, E3M2, MXINT8 weights), K folds inside a block (R = 2, 4, 8) and one
     * per block (R = 32), fp32 and bf16 results, the default window and a narrow one.
     */
    static Stream<SystolicConfig> mx() {
        return Stream.of(
                MX_E4M3_FP4,
                SystolicConfig.int8(8, 2, 4, 70, 5, false).withMx(new MxBlocks(MxElementType.FP8_E5M2, MxElementType.FP8_E5M2, -32, 15,
                        BinaryFloat.BF16)),
                SystolicConfig.int8(32, 2, 3, 64, 3, false).withMx(new MxBlocks(MxElementType.INT8, MxElementType.FP6_E3M2, -24, 8,
                        BinaryFloat.FP32)),
                SystolicConfig.int8(2, 5, 5, 40, 11, false).withMx(new MxBlocks(MxElementType.FP6_E2M3, MxElementType.INT8, -32, 15,
                        BinaryFloat.FP32)));
    }

    /** The co-simulated variants (R, C in {1, 2, 3, 4, 7, 8, 16}). */
    static Stream<SystolicConfig> cosimulated() {
        return Stream.of(
                SystolicConfig.int8(1, 1, 8, 9, 8, true).withTypes(2, true, 4),
                SystolicConfig.int8(2, 3, 16, 16, 16, false).withPacking().withPeStages(2),
                WS_UINT8_BIAS_P3,
                SystolicConfig.int8(4, 4, 32, 64, 32, true).withTypes(8, true, 4).withAccBits(48),
                // four int4 x int4 columns per PE: one full packed PE and one of three columns
                SystolicConfig.int8(8, 7, 32, 64, 32, false).withTypes(4, true, 4).withPacking().withPeStages(3),
                SystolicConfig.int8(16, 16, 32, 64, 64, true),
                SystolicConfig.int8(4, 4, 32, 64, 32, false).withTypes(4, true, 8).withPacking().withAccBits(64).withPeStages(2)
                        .withRequant(TfliteRounding.DOUBLE_ROUNDING),
                // K <= 3 of int2 x int2: a 5-bit accumulator into the requantizer
                SystolicConfig.int8(2, 1, 8, 3, 8, false).withTypes(2, true, 2).withRequant(TfliteRounding.SINGLE_ROUNDING),
                SystolicConfig.int8Os(1, 1, 8, 9, 8).withTypes(2, true, 8),
                // five int4 x int2 columns per PE: one full packed PE and one of two columns
                SystolicConfig.int8Os(3, 7, 16, 16, 16).withTypes(4, true, 2).withPacking().withPeStages(3),
                new SystolicConfig(3, 2, 16, 16, 16, 8, false, 2, 0, true, Dataflow.OS, false, 2, null),
                SystolicConfig.int8Os(4, 4, 32, 64, 32).withTypes(8, true, 2).withPeStages(3).withRequant(TfliteRounding.DOUBLE_ROUNDING),
                OS_PACKED_REQUANT_P2,
                SystolicConfig.int8Os(16, 16, 40, 64, 40));
    }

    /**
     * The largest grid edge, 256: 256 rows weight-stationary, 256 columns output-stationary (int2
     * and small maxima, so each elaborates and lints in about half a minute: the skew triangle
     * alone is 33k registers).
     */
    static Stream<SystolicConfig> rangeLimits() {
        return Stream.of(SystolicConfig.int8(256, 1, 4, 4, 4, false).withTypes(2, true, 2),
                SystolicConfig.int8Os(1, 256, 4, 4, 256).withTypes(2, true, 2));
    }
}

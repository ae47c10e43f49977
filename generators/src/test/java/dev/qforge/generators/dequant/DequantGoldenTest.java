package dev.qforge.generators.dequant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qforge.generators.dequant.DequantConfig.Scale;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.MxElementType;
import dev.qforge.numerics.OutlierBfp;
import dev.qforge.numerics.PackOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dequant golden model against published references: the OCP MX v1.0 element tables (section
 * 5.3, written out), every element code and E8M0 scale as ml_dtypes decodes it, and GPTQ's
 * dequantization (q - z) * scale as torch computes it in fp16 and bf16 on a GPTQ-packed int4
 * matrix and AutoAWQ's dequantize_gemm on an AWQ-packed one (scripts/dequant/make_vectors.py), plus
 * the fixed-output and special-case rules.
 */
class DequantGoldenTest {
    private static JsonNode vectors() {
        try (InputStream in = DequantGoldenTest.class.getResourceAsStream("/dequant/vectors.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double parse(String s) {
        return s.equals("nan") ? Double.NaN : s.equals("inf") ? Double.POSITIVE_INFINITY
                : s.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(s);
    }

    /** OCP MX v1.0 tables 2-4: max normal and min subnormal (MXINT8: its step) of each element type. */
    @ParameterizedTest
    @CsvSource({"FP8_E4M3, 448, 0x1p-9", "FP8_E5M2, 57344, 0x1p-16", "FP6_E3M2, 28, 0.0625", "FP6_E2M3, 7.5, 0.125",
            "FP4_E2M1, 6, 0.5", "INT8, 1.984375, 0.015625"})
    void ocpElementLimits(MxElementType el, double maxNormal, double minSubnormal) {
        int top = (1 << (el.bits() - 1)) - 1; // largest positive code
        double max = 0;
        for (int c = 0; c <= top; c++) {
            double v = el.decode(c);
            if (Double.isFinite(v)) {
                max = Math.max(max, v);
            }
        }
        assertEquals(maxNormal, max);
        assertEquals(minSubnormal, el.decode(1));
    }

    @Test
    void mxElementsAndScalesDecodeAsMlDtypes() {
        JsonNode v = vectors();
        for (MxElementType t : new MxElementType[] {MxElementType.FP8_E4M3, MxElementType.FP8_E5M2, MxElementType.FP6_E3M2,
                MxElementType.FP6_E2M3, MxElementType.FP4_E2M1}) {
            JsonNode table = v.get("mx_elements").get(t.name());
            assertEquals(1 << t.bits(), table.size());
            for (int c = 0; c < table.size(); c++) {
                double expected = parse(table.get(c).asText());
                double actual = t.decode(c);
                assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), t + " code " + c);
            }
        }
        JsonNode e8m0 = v.get("e8m0");
        for (int b = 0; b < 256; b++) {
            assertEquals(Double.doubleToLongBits(parse(e8m0.get(b).asText())), Double.doubleToLongBits(Mx.scaleValue(b)), "e8m0 " + b);
        }
    }

    /** Where a checkpoint keeps W[row][col]'s code and zero point: each unpacked from its packed word. */
    private interface Layout {
        int code(JsonNode v, int row, int col);

        int zeroPoint(JsonNode v, int row, int col);
    }

    /** Every W[row][col] of a checkpoint's vectors: the golden lane of its code, zero point and scale equals the reference. */
    private static void assertDequantizesAs(JsonNode v, PackOrder order, BinaryFloat f, String scalesKey, String outKey, Layout layout) {
        int group = v.get("group").asInt();
        DequantConfig cfg = new DequantConfig(Element.UINT4, 8, group, f == BinaryFloat.FP16 ? Scale.FP16 : Scale.BF16, 0, true, f, 8,
                order, 0);
        for (int row = 0; row < v.get("k").asInt(); row++) {
            for (int col = 0; col < v.get("n").asInt(); col++) {
                long scale = v.get(scalesKey).get(row / group).get(col).asLong() & 0xFFFF;
                assertEquals(v.get(outKey).get(row).get(col).asLong(),
                        DequantGolden.lane(cfg, layout.code(v, row, col), scale, layout.zeroPoint(v, row, col)), "W[" + row + "][" + col + "]");
            }
        }
    }

    /** GPTQ's layout: qweight[K / 8][N], row 8i + j of a column in field j of word i; qzeros[K / group] packs the columns. */
    @ParameterizedTest
    @CsvSource({"FP16, scales_fp16, dequant_fp16", "BF16, scales_bf16, dequant_bf16"})
    void gptqPackedInt4DequantizesAsTorch(BinaryFloat f, String scalesKey, String outKey) {
        assertDequantizesAs(vectors().get("gptq"), PackOrder.GPTQ, f, scalesKey, outKey, new Layout() {
            public int code(JsonNode v, int row, int col) {
                return DequantGolden.unpack(BigInteger.valueOf(v.get("qweight").get(row / 8).get(col).asLong()), 4, row % 8);
            }

            public int zeroPoint(JsonNode v, int row, int col) {
                return DequantGolden.unpack(BigInteger.valueOf(v.get("qzeros").get(row / v.get("group").asInt()).asLong()), 4, col);
            }
        });
    }

    /**
     * AutoAWQ's layout: qweight[K][N / 8] with 8 columns per word in order_map [0, 2, 4, 6, 1, 3, 5, 7],
     * qzeros[K / group][N / 8] the same, scales[K / group][N]; W[k][n] as AutoAWQ's dequantize_gemm
     * returns it, from the AWQ-order config's view: lane = column within its word, its own scale and zero.
     */
    @ParameterizedTest
    @CsvSource({"FP16, scales_fp16, dequant_fp16", "BF16, scales_bf16, dequant_bf16"})
    void awqPackedInt4DequantizesAsAutoAwq(BinaryFloat f, String scalesKey, String outKey) {
        assertDequantizesAs(vectors().get("awq"), PackOrder.AWQ, f, scalesKey, outKey, new Layout() {
            public int code(JsonNode v, int row, int col) {
                return PackOrder.AWQ.unpack(v.get("qweight").get(row).get(col / 8).asLong(), col, 4);
            }

            public int zeroPoint(JsonNode v, int row, int col) {
                return PackOrder.AWQ.unpack(v.get("qzeros").get(row / v.get("group").asInt()).get(col / 8).asLong(), col, 4);
            }
        });
    }

    @Test
    void specialCasesFollowIeee() {
        DequantConfig bf = new DequantConfig(Element.INT4, 8, 32, Scale.BF16, 0, false, BinaryFloat.BF16, 8);
        assertEquals(0x8000, DequantGolden.lane(bf, 0, 0xBF80, 0), "0 * -1 = -0");
        assertEquals(0x7FC0, DequantGolden.lane(bf, 0, 0x7F80, 0), "0 * inf = NaN");
        assertEquals(0xFF80, DequantGolden.lane(bf, 0xF, 0x7F80, 0), "-1 * inf = -inf");
        assertEquals(0x7F80, DequantGolden.lane(bf, 7, 0x7F7F, 0), "7 * max bf16 overflows");
        DequantConfig mx = new DequantConfig(Element.MXFP4, 8, 32, Scale.E8M0, 0, false, BinaryFloat.FP16, 8);
        assertEquals(0x7E00, DequantGolden.lane(mx, 1, Mx.SCALE_NAN, 0), "the NaN scale");
        assertEquals(0x8000, DequantGolden.lane(mx, 8, 127, 0), "-0 element stays -0");
        assertEquals(0x0001, DequantGolden.lane(mx, 1, 127 - 23, 0), "0.5 * 2^-23 = 2^-24, fp16's smallest subnormal");
        assertEquals(0x0000, DequantGolden.lane(mx, 1, 127 - 24, 0), "2^-25: a tie, to even (0)");
        assertEquals(0x7C00, DequantGolden.lane(mx, 7, 127 + 14, 0), "6 * 2^14 overflows fp16");
    }

    /** BFP (numerics Bfp): an n-bit mantissa m of a block with exponent X is m * 2^(X - (n - 2)). */
    @Test
    void bfpMantissasScaleByTheirBlockExponent() {
        DequantConfig bfp4 = new DequantConfig(Element.BFP, 4, 16, Scale.E8M0, 0, false, BinaryFloat.BF16, 4);
        assertEquals(0x3FE0, DequantGolden.lane(bfp4, 0b0111, 127, 0), "7 * 2^-2 = 1.75");
        assertEquals(0xC000, DequantGolden.lane(bfp4, 0b1000, 127, 0), "-8 * 2^-2 = -2");
        assertEquals(0x4160, DequantGolden.lane(bfp4, 0b0111, 130, 0), "7 * 2^1 = 14");
        assertEquals(0x7FC0, DequantGolden.lane(bfp4, 0b0001, Mx.SCALE_NAN, 0), "the NaN exponent");
        DequantConfig bfp12 = new DequantConfig(Element.BFP, 4, 16, Scale.E8M0, 0, false, null, 12);
        assertEquals(-2048, DequantGolden.lane(bfp12, 0x800, 127, 0));
        assertEquals(-10, DequantGolden.fixedExponent(bfp12, 127));
    }

    /** BFP with outliers (numerics OutlierBfp): slot outliers o * 2^(Xo - 133), the rest n-bit inliers m * 2^(Y - 127 - (n - 2)). */
    @Test
    void bfpOutliersReplaceTheirLanes() {
        DequantConfig cfg = new DequantConfig(Element.BFP_OUTLIER, 4, 32, Scale.E8M0, 0, false, BinaryFloat.BF16, 4, PackOrder.GPTQ, 2);
        OutlierBfp.Outliers o = new OutlierBfp.Outliers(127 + 6, new int[] {5, 5}, new int[] {100, -3});
        assertEquals(0x42C8, DequantGolden.outlierLane(cfg, 5, 0b0111, 127, o), "slot 0 wins: 100 * 2^(6 - 6) = 100");
        assertEquals(0x3FE0, DequantGolden.outlierLane(cfg, 4, 0b0111, 127, o), "an inlier: 7 * 2^-2 = 1.75");
        assertEquals(0xC000, DequantGolden.outlierLane(cfg, 31, 0b1000, 127, o), "-8 * 2^-2 = -2");
        assertEquals(0x7FC0, DequantGolden.outlierLane(cfg, 5, 0, 127, new OutlierBfp.Outliers(Mx.SCALE_NAN, new int[] {5, 0},
                new int[] {1, 1})), "the outliers' NaN scale");
        assertEquals(0xFF80, DequantGolden.outlierLane(cfg, 0, 0, 127, new OutlierBfp.Outliers(254, new int[] {0, 1},
                new int[] {-128, 1})), "-128 * 2^-6 * 2^127 = -2^128 overflows bf16");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DequantGolden.lane(cfg, 0, 127, 0));
        assertTrue(e.getMessage().contains("outlierLane"));
    }

    @Test
    void fixedOutputIsExactIntegerTimesExponent() {
        DequantConfig mx = new DequantConfig(Element.MXFP4, 8, 32, Scale.E8M0, 0, false, null, 8);
        assertEquals(12, DequantGolden.lane(mx, 7, 130, 0), "6 = 12 * 2^-1");
        assertEquals(-1, DequantGolden.fixedExponent(mx, 127));
        assertEquals(2, DequantGolden.fixedExponent(mx, 130));
        assertTrue(DequantGolden.fixedNaN(mx, Mx.SCALE_NAN));
        DequantConfig s16 = new DequantConfig(Element.INT2, 4, 2, Scale.S16, 8, true, null, 8);
        assertEquals(-3 * -32768L, DequantGolden.lane(s16, 2, 0x8000, 1), "(-2 - 1) * -128.0 = 384 = 98304 / 2^8");
    }
}

package dev.qforge.conformance;

import dev.qforge.conformance.ConformanceVectors.OnnxCase;
import dev.qforge.conformance.ConformanceVectors.TfliteCase;
import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmGolden;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.numerics.IntFormat;
import dev.qforge.numerics.Onnx;
import dev.qforge.numerics.TfliteRequant;
import dev.qforge.numerics.TfliteRequant.FullyConnectedParams;
import dev.qforge.numerics.TfliteRounding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The golden models against the frameworks' own outputs ({@link ConformanceVectors}), every element:
 * TFLite 2.21 int8 FullyConnected through numerics and through the GEMM engine's golden model (the
 * input zero point folded into the bias), and ONNX MatMulInteger / QLinearMatMul from onnxruntime.
 */
class FrameworkConformanceTest {
    /** The engine the TFLite vectors run on: int8 x int8, requant in the default (TFLite 2.21) rounding. */
    static final SystolicConfig TFLITE_ENGINE = SystolicConfig.int8(8, 8, 64, 64, 16, false).withRequant(TfliteRounding.DEFAULT);

    static List<TfliteCase> tflite() {
        return ConformanceVectors.tflite();
    }

    static Stream<OnnxCase> onnx() {
        return ConformanceVectors.onnx().stream();
    }

    @Test
    void theVectorsCoverWhatTheIssueAsksFor() {
        List<TfliteCase> cases = tflite();
        assertTrue(cases.stream().anyMatch(TfliteCase::perChannel) && cases.stream().anyMatch(c -> !c.perChannel()));
        assertTrue(cases.stream().anyMatch(c -> c.inputZeroPoint() == 0));
        assertTrue(cases.stream().anyMatch(c -> c.inputZeroPoint() == -128));
        assertTrue(cases.stream().anyMatch(c -> c.inputZeroPoint() > 0));
        assertEquals(List.of("NONE", "RELU", "RELU6"), cases.stream().map(TfliteCase::activation).distinct().sorted().toList());
        assertTrue(cases.stream().allMatch(c -> c.tieRows() > 0), "every model has rows where the two roundings differ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tflite")
    void numericsFullyConnectedIsTflite(TfliteCase c) {
        assertArrayEquals(c.output(), fullyConnected(c, TfliteRounding.DEFAULT), c.name());
    }

    /** The tie rows tell the two roundings apart: on each, the legacy gemmlowp rounding misses TFLite's output somewhere. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("tflite")
    void gemmlowpRoundingMissesTfliteOnEveryTieRow(TfliteCase c) {
        int[] dbl = fullyConnected(c, TfliteRounding.DOUBLE_ROUNDING);
        for (int r = c.m() - c.tieRows(); r < c.m(); r++) {
            boolean differs = false;
            for (int o = 0; o < c.n(); o++) {
                differs |= c.output()[r * c.n() + o] != dbl[r * c.n() + o];
            }
            assertTrue(differs, "tie row " + r + " of " + c.name() + " must tell gemmlowp's rounding from TFLite's");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tflite")
    void gemmEngineGoldenIsTflite(TfliteCase c) {
        Gemm g = Gemm.tfliteFullyConnected(c.inputRows(), c.inputZeroPoint(), c.filter(), c.bias(), c.requant());
        assertResultBeats(TFLITE_ENGINE, g, c.outputRows(), c.name());
    }

    /** Folding a zero point into the bias wraps in int32 like TFLite's accumulator: extreme values still give TFLite's sum. */
    @Test
    void foldingWrapsInInt32() {
        int[] filter = {127, 127, 127, -128};
        int[] folded = TfliteRequant.foldInputZeroPoint(new int[] {Integer.MAX_VALUE}, filter, 1, -128);
        // MAX + 128 * 253 wraps; adding the product sum of input -128 everywhere wraps back to MAX + 0
        assertEquals(Integer.MAX_VALUE + 128 * 253, folded[0]);
        long productSum = -128L * 253;
        assertEquals(Integer.MAX_VALUE, (int) (productSum + folded[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("onnx")
    void onnxNumericsIsOnnxruntime(OnnxCase c) {
        IntFormat a = format(c.aType());
        IntFormat b = format(c.bType());
        int[] y = c.op().equals("MatMulInteger")
                ? Onnx.matMulInteger(c.a(), c.m(), c.aZeroPoint(), a, c.b(), c.n(), c.bZeroPoint(), b)
                : Onnx.qLinearMatMul(c.a(), c.m(), new float[] {c.aScale()}, c.aZeroPoint(), a, c.b(), c.n(), new float[] {c.bScale()},
                        c.bZeroPoint(), b, c.yScale(), c.yZeroPoint(), format(c.yType()));
        assertArrayEquals(c.y(), y, c.name());
    }

    /** MatMulInteger with int8 B and no B zero point runs on an engine (uint8 zero point at runtime, int8 one folded into a bias). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("onnx")
    void onnxMatMulIntegerOnTheEngineGolden(OnnxCase c) {
        if (!c.op().equals("MatMulInteger") || !c.bType().equals("int8") || c.bZeroPoint().length != 1 || c.bZeroPoint()[0] != 0) {
            return;
        }
        Gemm g = Gemm.onnxMatMulInteger(c.aRows(), c.aZeroPoint(), c.aType().equals("int8"), c.bRows(), c.bZeroPoint());
        SystolicConfig cfg = SystolicConfig.int8(4, 4, 16, 64, 16, g.bias() != null).withTypes(8, c.aType().equals("int8"), 8);
        assertResultBeats(cfg, g, c.yRows(), c.name());
    }

    /** The golden model's result beats (per N fold, one row of C lanes each) hold the framework's y, every element. */
    private static void assertResultBeats(SystolicConfig cfg, Gemm g, int[][] y, String name) {
        List<long[]> beats = new GemmGolden(cfg).resultBeats(g);
        for (int n0 = 0, beat = 0; n0 < g.n(); n0 += cfg.cols()) {
            for (int m = 0; m < g.m(); m++, beat++) {
                for (int col = 0; col < cfg.cols() && n0 + col < g.n(); col++) {
                    assertEquals(y[m][n0 + col], beats.get(beat)[col], name + " y[" + m + "][" + (n0 + col) + "]");
                }
            }
        }
    }

    @Test
    void aMatMulIntegerBZeroPointIsRefusedByName() {
        OnnxCase c = onnx().filter(o -> o.name().equals("mmi_s8_s8_bzp_per_column")).findFirst().orElseThrow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.onnxMatMulInteger(c.aRows(), c.aZeroPoint(), true, c.bRows(), c.bZeroPoint()));
        assertEquals("MatMulInteger's b_zero_point must be 0 on a GEMM engine (it subtracts no weight zero point), got [1, -2, 0, 5, -9, 4]",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.onnxMatMulInteger(c.aRows(), new int[] {1, 2, 3, 4, 5}, true, c.bRows(), new int[] {0}));
        assertEquals("MatMulInteger's a_zero_point must be one value (per tensor) on a GEMM engine, got 5 values", e.getMessage());
    }

    private static int[] fullyConnected(TfliteCase c, TfliteRounding rounding) {
        // TFLite's per-channel multipliers: one output channel at a time (the input offset is the negated zero point)
        int[] out = new int[c.m() * c.n()];
        for (int o = 0; o < c.n(); o++) {
            FullyConnectedParams po = new FullyConnectedParams(-c.inputZeroPoint(), 0, c.outputZeroPoint(), c.multiplier()[o], c.shift()[o],
                    c.actMin(), c.actMax(), rounding);
            int[] filterRow = Arrays.copyOfRange(c.weights(), o * c.k(), (o + 1) * c.k());
            int[] column = TfliteRequant.fullyConnected(po, c.input(), c.m(), filterRow, 1, new int[] {c.bias()[o]});
            for (int m = 0; m < c.m(); m++) {
                out[m * c.n() + o] = column[m];
            }
        }
        return out;
    }

    private static IntFormat format(String type) {
        return switch (type) {
            case "int8" -> IntFormat.INT8;
            case "uint8" -> IntFormat.UINT8;
            default -> throw new IllegalArgumentException("unexpected ONNX type " + type);
        };
    }
}

package dev.qforge.generators.systolic;

import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.numerics.BinaryFloat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Grouped engines: the golden model on worked examples, the options and their errors. */
class GroupScaleTest {
    private static final SystolicConfig W4A8 = SystolicConfig.int8(2, 2, 4, 64, 4, false).withTypes(8, true, 4)
            .withGroups(GroupScale.of(2, BinaryFloat.BF16, BinaryFloat.FP32));

    private static long[] results(SystolicConfig cfg, Gemm g) {
        return new GemmGolden(cfg).resultBeats(g).get(0);
    }

    /** Hand-computed: a = (1, 2, 3, 4), b = 1: S = 3 and 7; scales 0.5 and -0.25: 1.5 - 1.75 = -0.25 = fp32 0xBE800000. */
    @Test
    void twoGroupsScaledAndSummed() {
        Gemm g = new Gemm(new int[][] {{1, 2, 3, 4}}, new int[][] {{1}, {1}, {1}, {1}}, null)
                .withScales(new long[][] {{0x3F00}, {0xBE80}}); // bf16 0.5, -0.25
        assertEquals(0xBE800000L, results(W4A8, g)[0]);
    }

    /**
     * Exact accumulation, rounded once: 2^15 * 4, 2^-32 * 4, -2^15 * 4 is exactly 2^-30 (fp32
     * 0x30800000); an fp32 running sum gives 0.
     */
    @Test
    void cancellationKeepsTheSmallTerm() {
        Gemm g = new Gemm(new int[][] {{2, 2, 2, 2, 2, 2}}, new int[][] {{1}, {1}, {1}, {1}, {1}, {1}}, null)
                .withScales(new long[][] {{0x4700}, {0x2F80}, {0xC700}}); // bf16 2^15, 2^-32, -2^15
        assertEquals(0x30800000L, results(W4A8, g)[0]);
        float fp32 = (float) 131072.0 + (float) 0x1p-30;
        assertEquals(0.0f, fp32 - 131072.0f);
    }

    /** One rounding into bf16 (8 significant bits), hand-computed; exactly half-way cases go to even. */
    @ParameterizedTest
    @CsvSource({
            // S0, scale0 (bf16), S1, scale1, expected bf16 result
            "7, 0x3F01, 3, 0x3580, 0x4062",   // 3.52734375 + 3 * 2^-20 = 225.75.. quanta of 2^-6: 226, 3.53125
            "1, 0x3F80, 1, 0x3B80, 0x3F80",   // 1 + 2^-8: a tie, to even 1.0
            "1, 0x3F81, 1, 0x3B80, 0x3F82",   // (1 + 2^-7) + 2^-8: a tie, to even 1 + 2^-6
            "-1, 0x3F81, -1, 0x3B80, 0xBF82"})
    void oneRoundToNearestEven(int s0, String scale0, int s1, String scale1, String expected) {
        SystolicConfig cfg = SystolicConfig.int8(2, 1, 1, 4, 1, false).withTypes(8, true, 4)
                .withGroups(GroupScale.of(2, BinaryFloat.BF16, BinaryFloat.BF16));
        Gemm g = new Gemm(new int[][] {{s0, 0, s1, 0}}, new int[][] {{1}, {1}, {1}, {1}}, null)
                .withScales(new long[][] {{Long.decode(scale0)}, {Long.decode(scale1)}});
        assertEquals(Long.decode(expected), results(cfg, g)[0]);
    }

    /** NaN scale, a scale below or above the window (2^-33, 2^16), Inf with S = 0, +Inf and -Inf: canonical NaN; Inf: +-Inf. */
    @ParameterizedTest
    @CsvSource({"0x7FC0, 0x3F80, 1, 0x7FC00000", "0x2F00, 0x3F80, 1, 0x7FC00000", "0x4780, 0x3F80, 1, 0x7FC00000",
            "0x7F80, 0x3F80, 0, 0x7FC00000", "0x7F80, 0xFF80, 1, 0x7FC00000", "0x7F80, 0x3F80, 1, 0x7F800000",
            "0x7F80, 0x3F80, -1, 0xFF800000", "0xFF80, 0x3F80, 1, 0xFF800000", "0x8000, 0x3F80, 1, 0x3F800000"})
    void specialScales(String scale0, String scale1, int s0, String expected) {
        Gemm g = new Gemm(new int[][] {{s0, 0, 1, 0}}, new int[][] {{1}, {1}, {1}, {1}}, null)
                .withScales(new long[][] {{Long.decode(scale0)}, {Long.decode(scale1)}});
        assertEquals(Long.decode(expected), results(W4A8, g)[0]);
    }

    @Test
    void optionsReachTheConfigAndBack() {
        SystolicConfig cfg = SystolicOptions.parse(Map.of("rows", "16", "cols", "16", "weight", "int4", "group", "128", "scale", "fp16",
                "scale-min-exp", "-20", "scale-max-exp", "4", "result", "bf16"));
        assertEquals(new GroupScale(128, BinaryFloat.FP16, -20, 4, BinaryFloat.BF16), cfg.group());
        assertEquals(-14, cfg.group().low()); // clipped to fp16's smallest normal exponent
        assertEquals(cfg, SystolicOptions.parse(SystolicOptions.of(cfg)));
        assertEquals(SystolicOptions.DEFAULTS.keySet(), SystolicOptions.of(cfg).keySet());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "group=96|group",
            "group=4;rows=8|group",
            "group=8;rows=4;dataflow=os|group",
            "group=8;rows=4;bias=true|group",
            "group=8;rows=4;requant=tflite|group",
            "scale=fp16|scale",
            "result=bf16|result",
            "group=8;rows=4;scale-min-exp=10;scale-max-exp=5|scale-max-exp",
            "group=8;rows=4;scale=fp16;scale-min-exp=16|scale-min-exp"})
    void badOptionsNameTheOption(String given, String option) {
        Map<String, String> o = new java.util.HashMap<>();
        for (String kv : given.split(";")) {
            o.put(kv.split("=")[0], kv.split("=")[1]);
        }
        InvalidOption e = assertThrows(InvalidOption.class, () -> SystolicOptions.parse(o));
        assertEquals(option, e.option(), e.getMessage());
    }

    /** An empty exponent window names the bound that left the scale format's exponents, or the inverted pair. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            fp16 | 100 | 127 | scale-min-exp must be at most FP16's largest exponent 15, got 100
            fp16 | -32 | -20 | scale-max-exp must be at least FP16's smallest normal exponent -14, got -20
            bf16 | 10  | 5   | scale-max-exp must be >= scale-min-exp (10), got 5
            """)
    void anEmptyWindowNamesTheBoundAtFault(String scale, String minExp, String maxExp, String message) {
        InvalidOption e = assertThrows(InvalidOption.class, () -> SystolicOptions.parse(Map.of("weight", "int4", "group", "128", "scale", scale,
                "scale-min-exp", minExp, "scale-max-exp", maxExp)));
        assertEquals(message, e.getMessage());
    }

    /** A group's sum needs only the bits of one group: int8 x int4 over 128 is 19 bits; the accumulator adds the significand, window and groups. */
    @Test
    void widthsFollowTheGroup() {
        SystolicConfig cfg = SystolicConfig.int8(16, 16, 256, 4096, 256, false).withTypes(8, true, 4)
                .withGroups(GroupScale.of(128, BinaryFloat.BF16, BinaryFloat.FP32));
        assertEquals(19, cfg.accBits());
        assertEquals(32, cfg.maxGroups());
        assertEquals(19 + 8 + 47 + 5, cfg.groupAccBits());
        assertEquals(List.of(-32, 15, -39), List.of(cfg.group().low(), cfg.group().high(), cfg.group().lsbExponent()));
    }
}

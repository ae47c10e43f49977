package dev.qforge.generators.quantize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qforge.generators.quantize.QuantizeConfig.Format;
import dev.qforge.generators.quantize.QuantizeConfig.Input;
import dev.qforge.numerics.MxElementType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The golden model against ml_dtypes' conversions (committed vectors) and hand-worked blocks. */
class QuantizeGoldenTest {
    /**
     * Every block of scripts/quantize/make_vectors.py (random binades, +-0 blocks, subnormal inputs,
     * the binary32 top, ties, saturation, NaN and infinity) in every format: scale and codes equal.
     */
    @Test
    void matchesTheMlDtypesVectors() throws IOException {
        JsonNode root;
        try (InputStream in = QuantizeGoldenTest.class.getResourceAsStream("/quantize/vectors.json")) {
            root = new ObjectMapper().readTree(in);
        }
        Map<String, Integer> perFormat = new HashMap<>();
        for (JsonNode v : root.get("vectors")) {
            String name = v.get("format").asText();
            Map<String, String> options = name.startsWith("bfp")
                    ? Map.of("format", "bfp", "mantissa", name.substring(3)) : Map.of("format", name);
            QuantizeConfig cfg = QuantizeOptions.parse(options);
            long[] input = new long[root.get("block").asInt()];
            int[] codes = new int[input.length];
            for (int i = 0; i < input.length; i++) {
                input[i] = Long.parseLong(v.get("input").get(i).asText(), 16);
                codes[i] = v.get("codes").get(i).asInt();
            }
            QuantizeGolden.Block b = new QuantizeGolden(cfg).quantize(input);
            String where = name + " block " + perFormat.getOrDefault(name, 0);
            assertEquals(v.get("scale").asInt(), b.scale(), where);
            assertArrayEquals(codes, b.codes(), where);
            perFormat.merge(name, 1, Integer::sum);
        }
        assertEquals(Map.of("mxfp8_e4m3", 12, "mxfp8_e5m2", 12, "mxfp6_e3m2", 12, "mxfp6_e2m3", 12, "mxfp4_e2m1", 12,
                "mxint8", 12, "bfp4", 12, "bfp12", 12), perFormat);
    }

    /** Blocks worked by hand from OCP MX v1.0 section 6 and the element tables of section 5.3. */
    @Test
    void handWorkedBlocks() {
        QuantizeGolden e4m3 = golden(Format.mx(MxElementType.FP8_E4M3));
        // max 1.0: X = 0 - 8, scale 119; 1.0 / 2^-8 = 256 = 1.0 * 2^8: exponent field 15, code 0x78;
        // 1/512 / 2^-8 = 0.5 = 2^-1: field 6, code 0x30; -3/256 -> -3 = -1.5 * 2^1: 0x80 | 8 << 3 | 4
        long[] x = block(1.0f, 1.0f / 512, -3.0f / 256);
        QuantizeGolden.Block b = e4m3.quantize(x);
        assertEquals(119, b.scale());
        assertArrayEquals(new int[] {0x78, 0x30, 0xC4}, Arrays.copyOf(b.codes(), 3));
        // all zero: 2^-126 stands in for the maximum, X = -126 - 8 clamps to -127: scale 0, codes keep the sign of -0
        long[] zeros = block(0f, -0f);
        assertEquals(0, e4m3.quantize(zeros).scale());
        assertArrayEquals(new int[] {0x00, 0x80}, Arrays.copyOf(e4m3.quantize(zeros).codes(), 2));
        // MXINT8: the same zero block has X = -126 (emax 0): scale 1
        assertEquals(1, golden(Format.mx(MxElementType.INT8)).quantize(zeros).scale());
        // a NaN anywhere: scale 0xFF, every code 0
        QuantizeGolden.Block nan = e4m3.quantize(block(1.0f, Float.NaN));
        assertEquals(0xFF, nan.scale());
        assertArrayEquals(new int[32], nan.codes());
        // FP4 E2M1, max 6.0 = 1.5 * 2^2: X = 0, scale 127; 5.0 is a tie between 4 and 6 -> 4 (even mantissa), code 0x6;
        // 2.5 between 2 and 3 -> 2 (0x4); -0.25 between 0 and 0.5 -> -0 (0x8)
        QuantizeGolden.Block fp4 = golden(Format.mx(MxElementType.FP4_E2M1)).quantize(block(6.0f, 5.0f, 2.5f, -0.25f));
        assertEquals(127, fp4.scale());
        assertArrayEquals(new int[] {0x7, 0x6, 0x4, 0x8}, Arrays.copyOf(fp4.codes(), 4));
        // E4M3 saturation: max 1.9999999 * 2^8 -> X = 0, scale 127; 511.99997 rounds to 512 > 448: saturates to 0x7E
        QuantizeGolden.Block sat = e4m3.quantize(block(Math.nextDown(512.0f)));
        assertEquals(127, sat.scale());
        assertEquals(0x7E, sat.codes()[0]);
    }

    @Test
    void bf16InputsAreTheTopHalfOfBinary32() {
        QuantizeConfig bf16 = new QuantizeConfig(Format.mx(MxElementType.FP8_E5M2), 32, 8, Input.BF16);
        QuantizeConfig fp32 = new QuantizeConfig(Format.mx(MxElementType.FP8_E5M2), 32, 8, Input.FP32);
        long[] hi = new long[32];
        long[] full = new long[32];
        for (int i = 0; i < 32; i++) {
            hi[i] = (0x3F80 + 37L * i) & 0xFFFF;
            full[i] = hi[i] << 16;
        }
        QuantizeGolden.Block a = new QuantizeGolden(bf16).quantize(hi);
        QuantizeGolden.Block b = new QuantizeGolden(fp32).quantize(full);
        assertEquals(b.scale(), a.scale());
        assertArrayEquals(b.codes(), a.codes());
    }

    private static QuantizeGolden golden(Format f) {
        return new QuantizeGolden(new QuantizeConfig(f, 32, 8, Input.FP32));
    }

    /** A block of 32 binary32 patterns: the values given, then zeros. */
    private static long[] block(float... values) {
        long[] b = new long[32];
        for (int i = 0; i < values.length; i++) {
            b[i] = Float.floatToRawIntBits(values[i]) & 0xFFFFFFFFL;
        }
        return b;
    }
}

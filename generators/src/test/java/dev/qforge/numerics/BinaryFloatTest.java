package dev.qforge.numerics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BinaryFloat} against published behaviour: ml_dtypes (bf16) and numpy (fp16, fp32)
 * roundings committed by scripts/dequant/make_vectors.py, Java's own double -> float narrowing
 * (JLS 5.1.3: IEEE 754 round to nearest) on random doubles, the IEEE 754 format limits written
 * out, and every 16-bit pattern decoding and encoding back to itself.
 */
class BinaryFloatTest {
    static JsonNode vectors() {
        try (InputStream in = BinaryFloatTest.class.getResourceAsStream("/dequant/vectors.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value the script wrote: Python's repr, or "nan". */
    static double parse(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    @Test
    void roundsAsMlDtypesAndNumpyDo() {
        JsonNode v = vectors();
        int rows = 0;
        for (JsonNode r : v.get("rne16")) {
            double x = parse(r.get("in").asText());
            for (BinaryFloat f : new BinaryFloat[] {BinaryFloat.BF16, BinaryFloat.FP16}) {
                long expected = r.get(f == BinaryFloat.BF16 ? "bf16" : "fp16").asLong();
                if (f.isNaN(expected)) {
                    assertTrue(Double.isNaN(x), "NaN only from NaN");
                    assertEquals(f.canonicalNaN(), f.encode(x));
                } else {
                    assertEquals(expected, f.encode(x), f + " of " + x);
                }
            }
            rows++;
        }
        for (JsonNode r : v.get("rne32")) {
            double x = parse(r.get("in").asText());
            assertEquals(r.get("fp32").asLong(), BinaryFloat.FP32.encode(x), "fp32 of " + x);
            rows++;
        }
        assertTrue(rows > 800, rows + " rows");
    }

    @Test
    void fp32MatchesJavaNarrowingOnRandomDoubles() {
        Random rnd = new Random(32);
        for (int i = 0; i < 200_000; i++) {
            double x = Double.longBitsToDouble(rnd.nextLong());
            if (i % 2 == 0) {
                x = Math.scalb((double) (rnd.nextLong() >> rnd.nextInt(64)), rnd.nextInt(300) - 200); // near float's range
            }
            if (Double.isNaN(x)) {
                continue;
            }
            assertEquals(Float.floatToRawIntBits((float) x) & 0xFFFFFFFFL, BinaryFloat.FP32.encode(x), "fp32 of " + x);
        }
    }

    @Test
    void limitsAreIeee754s() {
        assertEquals(65504.0, BinaryFloat.FP16.maxFinite());
        assertEquals(0x1p-24, BinaryFloat.FP16.decode(1));
        assertEquals(0x1p-14, BinaryFloat.FP16.decode(0x0400));
        assertEquals(0x1.FEp127, BinaryFloat.BF16.maxFinite());
        assertEquals(0x1p-133, BinaryFloat.BF16.decode(1));
        assertEquals(Float.MAX_VALUE, BinaryFloat.FP32.maxFinite());
        assertEquals(0x7E00, BinaryFloat.FP16.canonicalNaN());
        assertEquals(0x7FC0, BinaryFloat.BF16.canonicalNaN());
        assertEquals(0x7FC00000L, BinaryFloat.FP32.canonicalNaN());
        // 65520 is halfway between 65504 and 65536 = 2^16: ties to even goes up, so overflow
        assertEquals(0x7C00, BinaryFloat.FP16.encode(65520));
        assertEquals(0x7BFF, BinaryFloat.FP16.encode(65519.99));
        assertEquals(0xFC00, BinaryFloat.FP16.encode(-1e6));
        assertEquals(0x8000, BinaryFloat.FP16.encode(-0x1p-26)); // below half the smallest subnormal: -0
        assertEquals(0x0001, BinaryFloat.FP16.encode(0x1.8p-25)); // above half: the smallest subnormal
        assertEquals(0x0000, BinaryFloat.FP16.encode(0x1p-25)); // a tie: to even (0)
    }

    @ParameterizedTest
    @EnumSource(value = BinaryFloat.class, names = {"BF16", "FP16"})
    void every16BitPatternRoundTrips(BinaryFloat f) {
        for (long bits = 0; bits < 1 << 16; bits++) {
            long back = f.encode(f.decode(bits));
            assertEquals(f.isNaN(bits) ? f.canonicalNaN() : bits, back, f + " 0x" + Long.toHexString(bits));
        }
    }
}

package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A null argument is named by the entry point it is given to, not met as a bare NullPointerException inside numerics. */
class NullArgumentsTest {
    private static void assertNamed(String message, Executable call) {
        assertEquals(message, assertThrows(NullPointerException.class, call).getMessage());
    }

    @Test
    void eachNullArgumentIsNamed() {
        double[] w = {0.5, -1, 2, 0.25};
        IntFormat f = IntFormat.INT4;
        Rounding r = Rounding.HALF_EVEN;
        assertNamed("rounding must not be null", () -> f.quantize(1.5, null, 0));

        assertNamed("w must not be null", () -> GroupedQuant.quantize(null, 1, 4, 2, f, r));
        assertNamed("format must not be null", () -> GroupedQuant.quantize(w, 1, 4, 2, null, r));
        assertNamed("rounding must not be null", () -> GroupedQuant.quantize(w, 1, 4, 2, f, null));
        assertNamed("w must not be null", () -> GroupedQuant.quantize(null, 1, 4, 2, new double[] {1, 1}, new int[2], f, r));
        assertNamed("scales must not be null", () -> GroupedQuant.quantize(w, 1, 4, 2, null, new int[2], f, r));
        assertNamed("zeroPoints must not be null", () -> GroupedQuant.quantize(w, 1, 4, 2, new double[] {1, 1}, null, f, r));
        assertNamed("format must not be null", () -> GroupedQuant.quantize(w, 1, 4, 2, new double[] {1, 1}, new int[2], null, r));

        assertNamed("type must not be null", () -> Mx.quantize(w, null, Mx.BLOCK_SIZE));
        assertNamed("type must not be null", () -> new Mx.Blocks(null, Mx.BLOCK_SIZE, new int[1], new int[4]));

        assertNamed("shape must not be null", () -> Onnx.quantizeLinear(new float[] {1}, null, new float[] {1}, null, 0, 0, IntFormat.INT8));
        assertNamed("shape must not be null", () -> Onnx.dequantizeLinear(new int[] {1}, null, new float[] {1}, null, 0, 0, IntFormat.INT8));

        assertNamed("outliers must not be null", () -> OutlierBfp.element(4, 0, 1, 127, null));
    }
}

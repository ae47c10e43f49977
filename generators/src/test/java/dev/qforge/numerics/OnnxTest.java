package dev.qforge.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Issue 4 reference vectors for the ONNX operators (from the ONNX operator test cases). */
class OnnxTest {
    @Test
    void qLinearMatMulUint8() {
        int[] a = {208, 236, 0, 238, 3, 214, 255, 29};
        int[] b = {152, 51, 244, 60, 26, 255, 0, 127, 246, 127, 254, 247};
        int[] y = Onnx.qLinearMatMul(a, 2, new float[] {0.0066f}, new int[] {113}, b, 3, new float[] {0.00705f},
                new int[] {114}, 0.0107f, 118, IntFormat.UINT8);
        assertArrayEquals(new int[] {168, 115, 255, 1, 66, 151}, y);
    }

    @Test
    void matMulInteger() {
        int[] a = {11, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0};
        int[] b = {1, 4, 2, 5, 3, 6};
        int[] y = Onnx.matMulInteger(a, 4, new int[] {12}, b, 2, new int[] {0});
        assertArrayEquals(new int[] {-38, -83, -44, -98, -50, -113, -56, -128}, y);
    }

    @Test
    void matMulIntegerPerRowAndColumnZeroPoints() {
        // a = [[1,2],[3,4]] with row zero points [1,2]; b = [[1,0],[0,1]] with column zero points [0,1]
        int[] y = Onnx.matMulInteger(new int[] {1, 2, 3, 4}, 2, new int[] {1, 2}, new int[] {1, 0, 0, 1}, 2, new int[] {0, 1});
        // (a - za) = [[0,1],[1,2]], (b - zb) = [[1,-1],[0,0]]
        assertArrayEquals(new int[] {0, 0, 1, -1}, y);
    }

    @Test
    void quantizeLinearPerTensorUint8() {
        float[] x = {0, 2, 3, 1000, -254, -1000};
        int[] y = Onnx.quantizeLinear(x, new int[] {6}, new float[] {2}, new int[] {128}, 1, 0, IntFormat.UINT8);
        assertArrayEquals(new int[] {128, 129, 130, 255, 1, 0}, y);
    }

    @Test
    void quantizeLinearBlockedAxis1() {
        float[] x = {6, 12, 50, 5, 1, 8, 4, 5, 0, 20, 10, 4};
        float[] scale = {1.5f, 2.5f, 3.0f, 4.9f, 5.1f, 6.9f};
        int[] zp = {0, 1, 1, 0, 2, 3};
        int[] y = Onnx.quantizeLinear(x, new int[] {3, 4}, scale, zp, 1, 2, IntFormat.UINT8);
        assertArrayEquals(new int[] {4, 8, 21, 3, 1, 4, 1, 1, 2, 6, 4, 4}, y);
    }

    @Test
    void quantizeLinearInt4PerAxis0() {
        float[] x = {0, 2.5f, 4.8f, 8.6f, -30, -20, 6, 9, 12, 15, 16, 40};
        int[] y = Onnx.quantizeLinear(x, new int[] {3, 4}, new float[] {2, 3, 4}, new int[] {1, 1, 1}, 0, 0, IntFormat.INT4);
        assertArrayEquals(new int[] {1, 2, 3, 5, -8, -6, 3, 4, 4, 5, 5, 7}, y);
    }

    @Test
    void quantizeLinearRoundsHalfToEven() {
        float[] x = {1, 3, 5, -1, -3};
        int[] y = Onnx.quantizeLinear(x, new int[] {5}, new float[] {2}, null, 0, 0, IntFormat.INT8);
        assertArrayEquals(new int[] {0, 2, 2, 0, -2}, y);
    }

    @Test
    void dequantizeLinear() {
        assertArrayEquals(new float[] {-256, -250, 0, 254},
                Onnx.dequantizeLinear(new int[] {0, 3, 128, 255}, new int[] {4}, new float[] {2}, new int[] {128}, 0, 0, IntFormat.UINT8));
        assertArrayEquals(new float[] {-2, 0, 12, -10, -18},
                Onnx.dequantizeLinear(new int[] {0, 1, 7, -4, -8}, new int[] {5}, new float[] {2}, new int[] {1}, 0, 0, IntFormat.INT4));
    }

    @Test
    void badArgumentsNameTheArgument() {
        assertThrows(IllegalArgumentException.class,
                () -> Onnx.quantizeLinear(new float[4], new int[] {2, 2}, new float[] {1, 1, 1}, null, 1, 0, IntFormat.INT8));
        assertThrows(IllegalArgumentException.class,
                () -> Onnx.quantizeLinear(new float[4], new int[] {2, 2}, new float[] {1}, new int[] {300}, 0, 0, IntFormat.UINT8));
        assertThrows(IllegalArgumentException.class,
                () -> Onnx.dequantizeLinear(new int[] {8}, new int[] {1}, new float[] {1}, null, 0, 0, IntFormat.INT4));
        assertThrows(IllegalArgumentException.class,
                () -> Onnx.quantizeLinear(new float[] {Float.NaN}, new int[] {1}, new float[] {1}, null, 0, 0, IntFormat.INT8));
    }
}

package dev.qforge.conformance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qforge.generators.systolic.Gemm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The reference vectors of the real frameworks under {@code src/test/resources/conformance}, made
 * by {@code scripts/conformance/make_vectors.py}: TFLite 2.21 int8 FullyConnected layers run in the
 * TFLite interpreter, and ONNX MatMulInteger / QLinearMatMul graphs run in onnxruntime. Every
 * expected value here is the framework's output; nothing is computed by qforge.
 */
public final class ConformanceVectors {
    private ConformanceVectors() { }

    /**
     * One converted Keras Dense layer: its int8 tensors and parameters as the TFLite interpreter
     * reports them (multiplier and shift per output channel as QuantizeMultiplier makes them), the
     * rows fed to it (random rows first, then rows where single and double rounding differ) and
     * the interpreter's outputs.
     */
    public record TfliteCase(String name, String activation, boolean perChannel, int m, int k, int n, int inputZeroPoint,
                             int outputZeroPoint, int actMin, int actMax, int[] multiplier, int[] shift, int tieRows,
                             int[] input, int[] weights, int[] bias, int[] output) {
        /** M x K int8 input rows. */
        public int[][] inputRows() { return rows(input, m, k); }

        /** N x K int8 filter, TFLite's layout. */
        public int[][] filter() { return rows(weights, n, k); }

        /** M x N int8 outputs of the TFLite interpreter. */
        public int[][] outputRows() { return rows(output, m, n); }

        /** The per-column requantization parameters as a GEMM engine takes them. */
        public Gemm.Requant requant() { return new Gemm.Requant(multiplier, shift, outputZeroPoint, actMin, actMax); }

        @Override
        public String toString() { return name; }
    }

    /**
     * One ONNX graph: MatMulInteger (int32 {@code y}) or QLinearMatMul (quantized {@code y} with its
     * scale and zero point); A is M x K, B is K x N, row-major, of types aType / bType (int8, uint8).
     */
    public record OnnxCase(String op, String name, int m, int k, int n, String aType, String bType, int[] aZeroPoint,
                           int[] bZeroPoint, int[] a, int[] b, float aScale, float bScale, float yScale, int yZeroPoint,
                           String yType, int[] y) {
        public int[][] aRows() { return rows(a, m, k); }

        public int[][] bRows() { return rows(b, k, n); }

        public int[][] yRows() { return rows(y, m, n); }

        @Override
        public String toString() { return name; }
    }

    private record TfliteFile(Object generator, List<TfliteCase> cases) { }

    private record OnnxFile(Object generator, List<OnnxCase> cases) { }

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Every TFLite case. */
    public static List<TfliteCase> tflite() {
        return read("tflite_fully_connected.json", TfliteFile.class).cases();
    }

    /** Every ONNX case. */
    public static List<OnnxCase> onnx() {
        return read("onnx_matmul.json", OnnxFile.class).cases();
    }

    private static <T> T read(String name, Class<T> type) {
        try (InputStream in = ConformanceVectors.class.getResourceAsStream("/conformance/" + name)) {
            if (in == null) {
                throw new IllegalStateException("conformance/" + name + " is not on the test classpath");
            }
            return JSON.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[][] rows(int[] flat, int rows, int cols) {
        if (flat.length != rows * cols) {
            throw new IllegalStateException("expected " + rows + " x " + cols + " values, got " + flat.length);
        }
        int[][] r = new int[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, r[i], 0, cols);
        }
        return r;
    }
}

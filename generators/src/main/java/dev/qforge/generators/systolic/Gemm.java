package dev.qforge.generators.systolic;

import dev.qforge.numerics.MxElementType;
import dev.qforge.numerics.TfliteRequant;

import java.util.Arrays;
import java.util.Random;

/**
 * One GEMM transaction: Y = (A - zeroPoint) x B (+ bias), A of M x K and B of K x N int values,
 * bias of N values or null; the zero point applies to unsigned activations (0 otherwise). With
 * {@code requant}, each Y element is then requantized to int8 with its column's parameters. With
 * {@code scales} (ceil(K / group) x N bit patterns of the engine's {@link GroupScale} format),
 * each group's partial sum is scaled first (see {@link GroupScale}). For an MX x MX engine
 * ({@link MxBlocks}) a and b hold element codes, {@code scales} the E8M0 scales of B's blocks
 * (ceil(K / 32) x N) and {@code actScales} those of A's blocks (M x ceil(K / 32)).
 */
public record Gemm(int[][] a, int[][] b, int[] bias, int zeroPoint, Requant requant, long[][] scales, long[][] actScales) {
    /**
     * TFLite requantization parameters: per output column a multiplier and shift, for the whole
     * GEMM the output zero point and the clamp bounds (int8 values).
     */
    public record Requant(int[] mult, int[] shift, int outZp, int actMin, int actMax) { }

    public Gemm(int[][] a, int[][] b, int[] bias) {
        this(a, b, bias, 0, null, null, null);
    }

    public Gemm(int[][] a, int[][] b, int[] bias, int zeroPoint) {
        this(a, b, bias, zeroPoint, null, null, null);
    }

    public Gemm(int[][] a, int[][] b, int[] bias, int zeroPoint, Requant requant) {
        this(a, b, bias, zeroPoint, requant, null, null);
    }

    /** An MX x MX GEMM: codes a (M x K) and b (K x N), B's block scales (blocks x N) and A's (M x blocks). */
    public static Gemm mx(int[][] a, int[][] b, long[][] scales, long[][] actScales) {
        return new Gemm(a, b, null, 0, null, scales, actScales);
    }

    /** This GEMM with requantization parameters. */
    public Gemm withRequant(Requant r) {
        return new Gemm(a, b, bias, zeroPoint, r, scales, actScales);
    }

    /** This GEMM with group scales: scales[g][n] scales rows g * group .. g * group + group - 1 of column n. */
    public Gemm withScales(long[][] s) {
        return new Gemm(a, b, bias, zeroPoint, requant, s, actScales);
    }

    /** This GEMM with A's MX block scales: actScales[m][j] scales A[m][32 j .. 32 j + 31]. */
    public Gemm withActScales(long[][] s) {
        return new Gemm(a, b, bias, zeroPoint, requant, scales, s);
    }

    public Gemm {
        if (a.length == 0 || a[0].length == 0 || b.length != a[0].length || b[0].length == 0) {
            throw new IllegalArgumentException("a must be M x K and b K x N with M, K, N >= 1, got a " + a.length + " x "
                    + (a.length == 0 ? 0 : a[0].length) + " and b " + b.length + " x " + (b.length == 0 ? 0 : b[0].length));
        }
        if (bias != null && bias.length != b[0].length) {
            throw new IllegalArgumentException("bias must have N = " + b[0].length + " values, got " + bias.length);
        }
        if (scales != null && (scales.length == 0 || Arrays.stream(scales).anyMatch(r -> r.length != b[0].length))) {
            throw new IllegalArgumentException("scales must be groups x N = " + b[0].length + " values per group");
        }
        if (actScales != null && actScales.length != a.length) {
            throw new IllegalArgumentException("actScales must have M = " + a.length + " rows of block scales, got " + actScales.length);
        }
        if (requant != null && (requant.mult().length != b[0].length || requant.shift().length != b[0].length)) {
            throw new IllegalArgumentException("requant needs N = " + b[0].length + " multipliers and shifts, got "
                    + requant.mult().length + " and " + requant.shift().length);
        }
    }

    /**
     * A TFLite int8 FullyConnected layer (acc = sum_d filter[o][d] * (input[b][d] - inputZeroPoint)
     * + bias[o], then requantized) as a GEMM for an engine with int8 activations and requant
     * ({@code requant=tflite} computes what TFLite 2.21 does): A = input, B = filter transposed, and
     * the input zero point folded into the bias ({@link TfliteRequant#foldInputZeroPoint}, exact in
     * int32 as TFLite's accumulator), so the engine needs no activation zero point.
     *
     * @param input  M x depth int8 values (one row per batch)
     * @param filter outputDepth x depth int8 values, TFLite's layout
     * @param bias   outputDepth int32 values, or null
     */
    public static Gemm tfliteFullyConnected(int[][] input, int inputZeroPoint, int[][] filter, int[] bias, Requant requant) {
        int[] flat = Arrays.stream(filter).flatMapToInt(Arrays::stream).toArray();
        int[] folded = TfliteRequant.foldInputZeroPoint(bias, flat, filter.length, inputZeroPoint);
        return new Gemm(input, transpose(filter), folded, 0, requant);
    }

    /**
     * An ONNX MatMulInteger, (A - aZeroPoint) x (B - bZeroPoint) in int32, as a GEMM for an engine
     * without requant: unsigned activations keep their zero point (the engine subtracts it at
     * runtime), a signed activation zero point is folded into a bias (the engine then needs
     * {@code bias}). A B zero point would need a correction per row and column, which the engine
     * does not make: anything but 0 is refused by name, as is a per-row A zero point.
     *
     * @param aZeroPoint one value (per tensor)
     * @param bZeroPoint one value or one per column, all 0
     * @param aSigned    whether A holds int8 (else uint8) values
     */
    public static Gemm onnxMatMulInteger(int[][] a, int[] aZeroPoint, boolean aSigned, int[][] b, int[] bZeroPoint) {
        for (int zb : bZeroPoint) {
            if (zb != 0) {
                throw new IllegalArgumentException("MatMulInteger's b_zero_point must be 0 on a GEMM engine (it subtracts no weight "
                        + "zero point), got " + Arrays.toString(bZeroPoint));
            }
        }
        if (aZeroPoint.length != 1) {
            throw new IllegalArgumentException("MatMulInteger's a_zero_point must be one value (per tensor) on a GEMM engine, got "
                    + aZeroPoint.length + " values");
        }
        if (!aSigned || aZeroPoint[0] == 0) {
            return new Gemm(a, b, null, aSigned ? 0 : aZeroPoint[0]);
        }
        int[][] bt = transpose(b);
        int[] flat = Arrays.stream(bt).flatMapToInt(Arrays::stream).toArray();
        return new Gemm(a, b, TfliteRequant.foldInputZeroPoint(null, flat, bt.length, aZeroPoint[0]), 0);
    }

    private static int[][] transpose(int[][] x) {
        int[][] t = new int[x[0].length][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                t[j][i] = x[i][j];
            }
        }
        return t;
    }

    public int m() { return a.length; }
    public int k() { return b.length; }
    public int n() { return b[0].length; }

    /** A GEMM with every value of a and b equal to the given ones (directed edge cases). */
    public static Gemm filled(int m, int k, int n, int aValue, int bValue, int[] bias, int zeroPoint) {
        int[][] a = new int[m][k];
        int[][] b = new int[k][n];
        for (int[] r : a) {
            Arrays.fill(r, aValue);
        }
        for (int[] r : b) {
            Arrays.fill(r, bValue);
        }
        return new Gemm(a, b, bias, zeroPoint, null);
    }

    /** Random finite codes of MX element type t (NaN and infinity codes drawn again): random MX operands, for the golden-model tests and the co-simulation. */
    public static int[][] randomMxCodes(MxElementType t, Random rnd, int rows, int cols) {
        int[][] x = new int[rows][cols];
        for (int[] row : x) {
            for (int j = 0; j < cols; j++) {
                int c;
                do {
                    c = rnd.nextInt(1 << t.bits());
                } while (t.isNaN(c) || t.isInfinite(c));
                row[j] = c;
            }
        }
        return x;
    }

    @Override
    public String toString() {
        return "GEMM M=" + m() + " K=" + k() + " N=" + n() + (bias != null ? " +bias" : "") + (zeroPoint != 0 ? " zp=" + zeroPoint : "")
                + (requant != null ? " requant(zp=" + requant.outZp() + " [" + requant.actMin() + ", " + requant.actMax() + "])" : "")
                + (scales != null ? " scaled" : "") + (actScales != null ? " mx" : "");
    }
}

package dev.qforge.generators.systolic;

import java.util.Arrays;

/**
 * One GEMM transaction: Y = (A - zeroPoint) x B (+ bias), A of M x K and B of K x N int values,
 * bias of N values or null; the zero point applies to unsigned activations (0 otherwise). With
 * {@code requant}, each Y element is then requantized to int8 with its column's parameters.
 */
public record Gemm(int[][] a, int[][] b, int[] bias, int zeroPoint, Requant requant) {
    /**
     * TFLite requantization parameters: per output column a multiplier and shift, for the whole
     * GEMM the output zero point and the clamp bounds (int8 values).
     */
    public record Requant(int[] mult, int[] shift, int outZp, int actMin, int actMax) { }

    public Gemm(int[][] a, int[][] b, int[] bias) {
        this(a, b, bias, 0, null);
    }

    public Gemm(int[][] a, int[][] b, int[] bias, int zeroPoint) {
        this(a, b, bias, zeroPoint, null);
    }

    /** This GEMM with requantization parameters. */
    public Gemm withRequant(Requant r) {
        return new Gemm(a, b, bias, zeroPoint, r);
    }

    public Gemm {
        if (a.length == 0 || a[0].length == 0 || b.length != a[0].length || b[0].length == 0) {
            throw new IllegalArgumentException("a must be M x K and b K x N with M, K, N >= 1, got a " + a.length + " x "
                    + (a.length == 0 ? 0 : a[0].length) + " and b " + b.length + " x " + (b.length == 0 ? 0 : b[0].length));
        }
        if (bias != null && bias.length != b[0].length) {
            throw new IllegalArgumentException("bias must have N = " + b[0].length + " values, got " + bias.length);
        }
        if (requant != null && (requant.mult().length != b[0].length || requant.shift().length != b[0].length)) {
            throw new IllegalArgumentException("requant needs N = " + b[0].length + " multipliers and shifts, got "
                    + requant.mult().length + " and " + requant.shift().length);
        }
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

    @Override
    public String toString() {
        return "GEMM M=" + m() + " K=" + k() + " N=" + n() + (bias != null ? " +bias" : "") + (zeroPoint != 0 ? " zp=" + zeroPoint : "")
                + (requant != null ? " requant(zp=" + requant.outZp() + " [" + requant.actMin() + ", " + requant.actMax() + "])" : "");
    }
}

package dev.qforge.numerics;

/** Checked array sizes: a product of dimensions that does not fit a Java array is a bad argument, not a wrapped int. */
final class Sizes {
    private Sizes() {
    }

    /**
     * a * b, for dimensions a, b >= 0.
     *
     * @param what names the product in the message, e.g. "m * n"
     * @throws IllegalArgumentException if a * b exceeds Integer.MAX_VALUE
     */
    static int product(int a, int b, String what) {
        long p = (long) a * b;
        if (p > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " = " + a + " * " + b + " = " + p
                    + " exceeds the largest array length " + Integer.MAX_VALUE);
        }
        return (int) p;
    }

    /** ceil(a / b) for a >= 0 and b > 0, without the overflow of (a + b - 1) / b near 2^31. */
    static int ceilDiv(int a, int b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }
}

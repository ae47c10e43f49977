package com.example.fir;

import dev.qforge.dsl.Rounding;
import dev.qforge.numerics.FixedPoint;
import dev.qforge.numerics.IntFormat;

/** What {@link Fir} computes, sample by sample, with the rounding and saturation rules of qforge's numerics. */
public final class FirGolden {
    private FirGolden() {
    }

    /** The outputs for the samples x (the filter starts from all-zero history). */
    public static long[] filter(long[] x, int outBits, int fracBits, Rounding rounding, int... taps) {
        long[] y = new long[x.length];
        for (int n = 0; n < x.length; n++) {
            long acc = 0;
            for (int k = 0; k < taps.length && k <= n; k++) {
                acc += taps[k] * x[n - k];
            }
            y[n] = FixedPoint.rescale(acc, fracBits, 0, IntFormat.signed(outBits), rounding, IntFormat.Overflow.SATURATE);
        }
        return y;
    }
}

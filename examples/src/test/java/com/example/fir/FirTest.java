package com.example.fir;

import dev.qforge.dsl.Rounding;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The FIR's RTL in Verilator against its golden model, every output sample bit for bit. */
@Cosim
class FirTest {
    /** A 5-tap low-pass filter, gain 1 (the taps sum to 2^14), whose negative taps overshoot into saturation. */
    static final int[] TAPS = {-1024, 4096, 10240, 4096, -1024};

    static Fir fir() {
        return new Fir(12, 12, 14, Rounding.HALF_EVEN, TAPS);
    }

    /** Hand-computed: 5/2 rounds to 2 (ties to even), 34799/16 and -36863/16 saturate to 2047 and -2048. */
    @Test
    void roundsTiesToEvenAndSaturates(CosimSession cosim) {
        long[] x = {-40, 0, 0, 0, 0, 2047, 2047, 2047, 2047, 2047, 2047, -2048, -2048, -2048, -2048, -2048, -2048};
        long[] y = {2, -10, -25, -10, 2, -128, 384, 1663, 2047, 2047, 2047, 2047, 1279, -1280, -2048, -2048, -2048};
        assertArrayEquals(y, FirGolden.filter(x, 12, 14, Rounding.HALF_EVEN, TAPS));
        Simulator sim = cosim.open(fir());
        sim.reset();
        StreamResult r = sim.transact(new StreamRun().send("in", x).receive("out", y.length));
        r.expectData("out", y);
        assertEquals(x.length + 1, r.cycles(), "one sample per cycle, one cycle of latency");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void randomSamplesUnderBubblesAndBackPressure(long seed, CosimSession cosim) {
        Random rnd = new Random(seed);
        long[] x = new long[3000];
        for (int i = 0; i < x.length; i++) {
            // runs of full-scale samples drive the output into saturation
            x[i] = rnd.nextInt(4) == 0 ? (rnd.nextBoolean() ? 2047 : -2048) : rnd.nextInt(4096) - 2048;
        }
        Simulator sim = cosim.open(fir(), seed);
        sim.reset();
        StreamResult r = sim.transact(new StreamRun().send("in", x).bubbles("in", 0.3).receive("out", x.length).stalls("out", 0.3));
        r.expectData("out", FirGolden.filter(x, 12, 14, Rounding.HALF_EVEN, TAPS));
    }
}

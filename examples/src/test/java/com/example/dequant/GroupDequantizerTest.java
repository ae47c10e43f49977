package com.example.dequant;

import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dequantizer's RTL in Verilator against its golden model, every field of every beat bit for bit. */
@Cosim
class GroupDequantizerTest {
    static final int LANES = 8;
    static final int GROUP = 32;          // 4 codes beats per group
    static final int SCALE_BITS = 16;
    static final int SCALE_FRAC = 12;     // scales in [-8, 8)

    static GroupDequantizer dequantizer() {
        return new GroupDequantizer(LANES, GROUP, SCALE_BITS, SCALE_FRAC);
    }

    static List<long[]> golden(long[] scales, long[] codes) {
        return GroupDequantizerGolden.dequantize(scales, codes, LANES, GROUP, SCALE_BITS, SCALE_FRAC);
    }

    /** Codes -8, 7, -1, 0, 1, 2, -7, 3 (lane 0 in the low nibble) times the most negative and the most positive scale, by hand. */
    @Test
    void extremeCodesTimesExtremeScales(CosimSession cosim) {
        long word = 0x39210F78L;
        long[] scales = {-32768, 32767};
        long[] codes = {word, word, word, word, word, word, word, word};
        List<long[]> expected = List.of(
                new long[] {262144, -229376, 32768, 0, -32768, -65536, 229376, -98304, 0},
                new long[] {262144, -229376, 32768, 0, -32768, -65536, 229376, -98304, 0},
                new long[] {262144, -229376, 32768, 0, -32768, -65536, 229376, -98304, 0},
                new long[] {262144, -229376, 32768, 0, -32768, -65536, 229376, -98304, 1},
                new long[] {-262136, 229369, -32767, 0, 32767, 65534, -229369, 98301, 0},
                new long[] {-262136, 229369, -32767, 0, 32767, 65534, -229369, 98301, 0},
                new long[] {-262136, 229369, -32767, 0, 32767, 65534, -229369, 98301, 0},
                new long[] {-262136, 229369, -32767, 0, 32767, 65534, -229369, 98301, 1});
        List<long[]> golden = golden(scales, codes);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), golden.get(i), "golden beat " + i);
        }
        Simulator sim = cosim.open(dequantizer());
        sim.reset();
        StreamResult r = sim.transact(new StreamRun().send("scale", scales).send("codes", codes).receive("out", codes.length));
        r.expectBeats("out", expected);
    }

    /** A group's last codes beat and the next group's scale move on the same cycle: one codes beat per cycle throughout. */
    @Test
    void oneBeatPerCycleAcrossGroups(CosimSession cosim) {
        Random rnd = new Random(11);
        long[] scales = LongStream.range(0, 10).map(g -> rnd.nextInt(1 << 16) - (1 << 15)).toArray();
        long[] codes = LongStream.range(0, 40).map(b -> rnd.nextInt() & 0xffff_ffffL).toArray();
        Simulator sim = cosim.open(dequantizer());
        sim.reset();
        long start = sim.cycle();
        StreamResult r = sim.transact(new StreamRun().send("scale", scales).send("codes", codes).receive("out", codes.length));
        r.expectBeats("out", golden(scales, codes));
        assertArrayEquals(LongStream.range(start + 1, start + 41).toArray(), r.cycles("codes"), "codes from the cycle after the first scale, no gap");
        assertArrayEquals(LongStream.range(start + 2, start + 42).toArray(), r.cycles("out"));
        assertEquals(42, r.cycles());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void randomGroupsUnderBubblesAndBackPressure(long seed, CosimSession cosim) {
        Random rnd = new Random(seed);
        int groups = 300;
        long[] scales = LongStream.range(0, groups).map(g -> rnd.nextInt(1 << 16) - (1 << 15)).toArray();
        long[] codes = LongStream.range(0, groups * GROUP / LANES).map(b -> rnd.nextInt() & 0xffff_ffffL).toArray();
        Simulator sim = cosim.open(dequantizer(), seed);
        sim.reset();
        StreamResult r = sim.transact(new StreamRun().send("scale", scales).bubbles("scale", 0.5).send("codes", codes).bubbles("codes", 0.3)
                .receive("out", codes.length).stalls("out", 0.3));
        r.expectBeats("out", golden(scales, codes));
    }
}

package dev.qforge.testbenches.dequant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qforge.generators.dequant.DequantConfig;
import dev.qforge.generators.dequant.DequantConfig.Scale;
import dev.qforge.generators.dequant.Dequantizer;
import dev.qforge.generators.dequant.Element;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.PackOrder;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The AWQ order in hardware (one Verilator model: uint4, eight lanes = one AutoAWQ qweight word per
 * beat, a fp16 scale and zero point per lane held for groups of 32 beats, fp16 out): the real
 * AutoAWQ-packed matrix of the reference vectors (scripts/dequant/make_vectors.py) streamed through it,
 * each output equal to the weight AutoAWQ's dequantize_gemm returns; and the seeded random stimulus of
 * {@link DequantCosimTest#drive} checked every cycle against the golden and cycle models.
 */
@Cosim
class DequantAwqCosimTest {
    static final DequantConfig AWQ = new DequantConfig(Element.UINT4, 8, 32, Scale.FP16, 0, true, BinaryFloat.FP16, 8, PackOrder.AWQ, 0);

    @Test
    void autoAwqCheckpointDequantizesAsAutoAwqUnderBubblesAndBackPressure(CosimSession cosim) throws IOException {
        JsonNode a;
        try (InputStream in = DequantAwqCosimTest.class.getResourceAsStream("/dequant/vectors.json")) { // generators' test jar
            a = new ObjectMapper().readTree(in).get("awq");
        }
        int k = a.get("k").asInt();
        int words = a.get("n").asInt() / 8;
        assertEquals(AWQ.groupSize(), a.get("group").asInt());
        Simulator sim = cosim.open(new Dequantizer(AWQ), 11);
        sim.reset();
        Random rnd = new Random(11);
        // beat b: word column b / k of qweight row b % k; groups of 32 rows follow each other
        int beats = words * k;
        Deque<long[]> expected = new ArrayDeque<>();
        int next = 0;
        int seen = 0;
        for (int cycle = 0; seen < beats; cycle++) {
            if (cycle > 20 * beats) {
                throw new AssertionError("only " + seen + " of " + beats + " beats came out in " + cycle + " cycles");
            }
            boolean valid = next < beats && rnd.nextInt(4) != 0;
            boolean ready = rnd.nextInt(3) != 0;
            int word = next / k;
            int row = next % k;
            if (valid) {
                sim.poke("in_codes", a.get("qweight").get(row).get(word).asLong());
                long zeros = a.get("qzeros").get(row / AWQ.groupSize()).get(word).asLong();
                for (int i = 0; i < 8; i++) {
                    // the scale and zero ports are read on a group's first beat only: junk on the others
                    boolean first = row % AWQ.groupSize() == 0;
                    sim.poke("in_scale_" + i, first ? a.get("scales_fp16").get(row / AWQ.groupSize()).get(8 * word + i).asLong()
                            : rnd.nextInt(1 << 16));
                    sim.poke("in_zp_" + i, first ? PackOrder.AWQ.unpack(zeros, i, 4) : rnd.nextInt(16));
                }
            }
            sim.poke("in_valid", valid ? 1 : 0);
            sim.poke("out_ready", ready ? 1 : 0);
            if (valid && sim.peek("in_ready") == 1) {
                long[] w = new long[8];
                for (int i = 0; i < 8; i++) {
                    w[i] = a.get("dequant_fp16").get(row).get(8 * word + i).asLong();
                }
                expected.add(w);
                next++;
            }
            if (ready && sim.peek("out_valid") == 1) {
                long[] w = expected.poll();
                for (int i = 0; i < 8; i++) {
                    long actual = sim.peek("out_" + i);
                    if (actual != w[i]) {
                        throw sim.mismatch("out_" + i, sim.cycle(), w[i], actual, "W[" + (seen % k) + "][" + (8 * (seen / k) + i) + "]");
                    }
                }
                seen++;
            }
            sim.step();
        }
    }

    @Test
    void matchesGoldenEveryCycleUnderBubblesAndBackPressure(CosimSession cosim) {
        Simulator sim = cosim.open(new Dequantizer(AWQ), 23);
        sim.reset();
        DequantCosimTest.drive(AWQ, sim, 23, 6000);
    }
}

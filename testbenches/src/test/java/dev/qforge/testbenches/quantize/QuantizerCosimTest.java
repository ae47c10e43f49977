package dev.qforge.testbenches.quantize;

import dev.qforge.dsl.Module;
import dev.qforge.generators.quantize.QuantizeConfig;
import dev.qforge.generators.quantize.QuantizeConfig.Format;
import dev.qforge.generators.quantize.QuantizeConfig.Input;
import dev.qforge.generators.quantize.QuantizeCycleModel;
import dev.qforge.generators.quantize.QuantizeGolden;
import dev.qforge.generators.quantize.QuantizeStimulus;
import dev.qforge.generators.quantize.Quantizer;
import dev.qforge.numerics.MxElementType;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The quantize units against {@link QuantizeGolden}, bit for bit on every lane, scale and last flag
 * of every beat, under input bubbles and output back-pressure; the cycle model's latency and
 * initiation interval exactly; two blocks held while the output stalls. Three Verilator models
 * ({@link QuantizerSet}s) cover every output format: MXFP8 at 8 lanes from fp32, MXINT8, MXFP6 and
 * MXFP4 at one lane (32 beats per block) from bf16, and BFP of 3, 8 and 16 bits in a block of 4
 * taken in one beat.
 */
@Cosim
class QuantizerCosimTest {
    private static final int BLOCKS = 400;

    /** A unit under test: quantizers of one block size, lane count and input format sharing the input stream. */
    record Unit(String name, List<QuantizeConfig> cfgs) {
        Module module() {
            return new QuantizerSet(cfgs);
        }

        QuantizeConfig first() {
            return cfgs.get(0);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Unit> units() {
        return List.of(
                unit(32, 8, Input.FP32, Format.mx(MxElementType.FP8_E4M3), Format.mx(MxElementType.FP8_E5M2)),
                unit(32, 1, Input.BF16, Format.mx(MxElementType.INT8), Format.mx(MxElementType.FP6_E3M2),
                        Format.mx(MxElementType.FP6_E2M3), Format.mx(MxElementType.FP4_E2M1)),
                unit(4, 4, Input.FP32, Format.bfp(3), Format.bfp(8), Format.bfp(16)));
    }

    private static Unit unit(int block, int lanes, Input input, Format... formats) {
        List<QuantizeConfig> cfgs = Arrays.stream(formats).map(f -> new QuantizeConfig(f, block, lanes, input)).toList();
        return new Unit(new QuantizerSet(cfgs).name(), cfgs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void randomAndEdgeBlocksUnderBubblesAndBackPressureMatchTheGolden(Unit u, CosimSession cosim) {
        long seed = u.name().hashCode();
        Simulator sim = cosim.open(u.module(), seed);
        sim.reset();
        Traffic t = traffic(u, seed, BLOCKS);
        StreamResult r = sim.transact(new StreamRun().sendBeats("in", t.in).receive("out", t.out.size())
                .bubbles("in", 0.3).stalls("out", 0.3).seed(seed));
        r.expectBeats("out", t.out, i -> t.describe(i));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void latencyAndInitiationIntervalAreTheCycleModels(Unit u, CosimSession cosim) {
        QuantizeCycleModel model = new QuantizeCycleModel(u.first());
        Simulator sim = cosim.open(u.module());
        sim.reset();
        long start = sim.cycle();
        int blocks = 5;
        Traffic t = traffic(u, 7, blocks);
        StreamResult r = sim.transact(new StreamRun().sendBeats("in", t.in).receive("out", t.out.size()));
        r.expectBeats("out", t.out, i -> t.describe(i));
        long[] in = r.cycles("in");
        long[] out = r.cycles("out");
        assertArrayEquals(LongStream.range(start, start + in.length).toArray(), in, "one input beat per cycle");
        assertArrayEquals(LongStream.range(start + model.latency(), start + model.latency() + out.length).toArray(), out,
                "first code " + model.latency() + " cycles after the first input beat, then one beat per cycle");
        assertEquals(model.firstInToLastOut(blocks), out[out.length - 1] - in[0]);
        assertEquals(u.first().beatsPerBlock(), model.initiationInterval());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void holdsTwoBlocksWhileTheOutputStalls(Unit u, CosimSession cosim) {
        Simulator sim = cosim.open(u.module());
        sim.reset();
        int beats = u.first().beatsPerBlock();
        Traffic t = traffic(u, 11, 3);
        StreamResult r = sim.transact(new StreamRun().sendBeats("in", t.in).maxCycles(8 * beats + 8));
        // both buffers fill and the output register holds the first beat; a one-beat block leaves its buffer with it
        int held = beats == 1 ? 3 : 2 * beats;
        assertEquals(held, r.cycles("in").length, "beats taken before in_ready stays low");
        r = sim.transact(new StreamRun().sendBeats("in", t.in.subList(held, t.in.size())).receive("out", t.out.size()));
        r.expectBeats("out", t.out, i -> t.describe(i));
    }

    /** Input beats and the expected output beats of {@code blocks} stimulus blocks. */
    static Traffic traffic(Unit u, long seed, int blocks) {
        QuantizeConfig c = u.first();
        QuantizeStimulus stim = new QuantizeStimulus(seed, c.input(), c.blockSize());
        Traffic t = new Traffic(c.beatsPerBlock());
        for (int b = 0; b < blocks; b++) {
            long[] block = stim.block();
            List<QuantizeGolden.Block> golden = u.cfgs().stream().map(cfg -> new QuantizeGolden(cfg).quantize(block)).toList();
            t.blocks.add(block);
            for (int j = 0; j < c.beatsPerBlock(); j++) {
                t.in.add(Arrays.copyOfRange(block, j * c.lanes(), (j + 1) * c.lanes()));
                List<Long> beat = new ArrayList<>();
                for (QuantizeGolden.Block g : golden) {
                    beat.add((long) g.scale());
                    beat.add(j == c.beatsPerBlock() - 1 ? 1L : 0L);
                    for (int i = 0; i < c.lanes(); i++) {
                        beat.add((long) g.codes()[j * c.lanes() + i]);
                    }
                }
                t.out.add(beat.stream().mapToLong(Long::longValue).toArray());
            }
        }
        return t;
    }

    static final class Traffic {
        final int beatsPerBlock;
        final List<long[]> blocks = new ArrayList<>();
        final List<long[]> in = new ArrayList<>();
        final List<long[]> out = new ArrayList<>();

        Traffic(int beatsPerBlock) {
            this.beatsPerBlock = beatsPerBlock;
        }

        String describe(int beat) {
            long[] block = blocks.get(beat / beatsPerBlock);
            StringBuilder s = new StringBuilder("block " + beat / beatsPerBlock + " inputs");
            for (long x : block) {
                s.append(' ').append(Long.toHexString(x));
            }
            return s.toString();
        }
    }
}

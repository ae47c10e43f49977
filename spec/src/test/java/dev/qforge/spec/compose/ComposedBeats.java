package dev.qforge.spec.compose;

import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.testbenches.systolic.GemmRunner;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a co-simulation of a spec's composed top sends on each top-level input stream and expects
 * on each top-level output, gathered block by block from the blocks' golden models under the
 * names the top brings each block stream out as. A block stream connected to another block is no
 * top-level stream: its beats are the other block's, and {@link #chained} checks that they are.
 */
final class ComposedBeats {
    private final CheckedSpec spec;
    private final Map<String, List<long[]>> sent = new LinkedHashMap<>();
    private final Map<String, List<long[]>> expected = new LinkedHashMap<>();
    private final Map<String, List<String>> origin = new LinkedHashMap<>();

    ComposedBeats(CheckedSpec spec) {
        this.spec = spec;
    }

    /** The systolic config of block {@code name}. */
    SystolicConfig engine(String name) {
        return ((GemmEngineBlock) spec.blocks().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow().info()).config();
    }

    /** The top-level stream that brings out {@code block.stream}; null when the stream is connected to another block. */
    String topStream(String block, String stream) {
        return ((ComposedTop) spec.design().top()).exports().stream().filter(e -> e.stream() && e.block().equals(block) && e.port().equals(stream))
                .map(ComposedTop.Export::top).findFirst().orElse(null);
    }

    private String required(String block, String stream) {
        String top = topStream(block, stream);
        assertTrue(top != null, block + "." + stream + " is connected to another block: the top has no stream of it to drive or watch");
        return top;
    }

    /** Beats sent on {@code block.stream}, which must be brought out. */
    ComposedBeats send(String block, String stream, List<long[]> beats) {
        sent.computeIfAbsent(required(block, stream), k -> new ArrayList<>()).addAll(beats);
        return this;
    }

    /** Beats expected from {@code block.stream}, which must be brought out, each with where it comes from. */
    ComposedBeats expect(String block, String stream, List<long[]> beats, List<String> from) {
        String top = required(block, stream);
        expected.computeIfAbsent(top, k -> new ArrayList<>()).addAll(beats);
        origin.computeIfAbsent(top, k -> new ArrayList<>()).addAll(from);
        return this;
    }

    /**
     * The GEMMs on engine {@code block}, back to back, from its golden model: each of its streams
     * brought out is sent or expected; the beats of the others are returned for {@link #chained}.
     */
    GemmRunner.Beats gemms(String block, List<Gemm> gemms, Random junk) {
        GemmRunner.Beats b = GemmRunner.beats(engine(block), gemms, junk);
        b.inputs().forEach((stream, beats) -> {
            if (topStream(block, stream) != null) {
                send(block, stream, beats);
            }
        });
        if (topStream(block, "out") != null) {
            expect(block, "out", b.expected(), b.origin());
        }
        return b;
    }

    /** The beats a consumer takes on a stream fed by another block are the beats that block produces there. */
    static void chained(String connection, List<long[]> produced, List<long[]> taken) {
        assertEquals(produced.size(), taken.size(), connection + ": beats produced and taken");
        for (int i = 0; i < produced.size(); i++) {
            assertArrayEquals(produced.get(i), taken.get(i), connection + ": beat " + i);
        }
    }

    /**
     * One transaction: every input stream with {@code bubbles} probability of an idle cycle, every
     * output with {@code stalls} of back-pressure; every beat must arrive and equal its golden one.
     */
    void run(Simulator sim, double bubbles, double stalls) {
        StreamRun run = new StreamRun();
        sent.forEach((s, beats) -> run.sendBeats(s, beats).bubbles(s, bubbles));
        expected.forEach((s, beats) -> run.receive(s, beats.size()).stalls(s, stalls));
        StreamResult r = sim.transact(run);
        expected.forEach((s, beats) -> r.expectBeats(s, beats, origin.get(s)::get));
        assertTrue(r.complete(), "every beat moved");
    }

    /** Y of a GEMM of M rows and N columns from its result beats on an engine of {@code cols} columns (per N fold, M rows). */
    static int[][] rows(List<long[]> beats, int m, int n, int cols) {
        int[][] y = new int[m][n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                y[i][j] = (int) beats.get(j / cols * m + i)[j % cols];
            }
        }
        return y;
    }

    /** {@code g} with {@code a} as its activations. */
    static Gemm withActivations(Gemm g, int[][] a) {
        return new Gemm(a, g.b(), g.bias(), g.zeroPoint(), g.requant(), g.scales(), g.actScales());
    }
}

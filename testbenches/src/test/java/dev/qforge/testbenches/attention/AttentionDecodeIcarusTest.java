package dev.qforge.testbenches.attention;

import dev.qforge.generators.attention.AttentionConfig;
import dev.qforge.generators.attention.AttentionConfig.Kv;
import dev.qforge.generators.attention.AttentionConfig.Softmax;
import dev.qforge.generators.attention.AttentionDecode;
import dev.qforge.testbenches.icarus.IcarusCrossCheck;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A second simulator: a recorded decode run (bubbles, back-pressure, a full cache) replayed in Icarus agrees with Verilator
 * every cycle, for the base-2 softmax over an int4 cache and the I-BERT softmax with two K/V heads.
 */
@Cosim(tools = {"verilator", "iverilog"})
class AttentionDecodeIcarusTest {
    /** Two of the co-simulated models, shared. */
    static Stream<AttentionConfig> configs() {
        return Stream.of(AttentionDecodeCosimTest.config(16, 16, 16, 2, Kv.INT4, 4, Softmax.BASE2),
                AttentionDecodeCosimTest.config(16, 16, 16, 4, Kv.INT8, 1, Softmax.IBERT, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void icarusAgreesWithVerilator(AttentionConfig cfg, CosimSession cosim) {
        Simulator sim = cosim.open(new AttentionDecode(cfg), 5);
        IcarusCrossCheck check = IcarusCrossCheck.record(sim).reset();
        Random rnd = new Random(5);
        List<AttentionDecodeCosimTest.Token> tokens = new ArrayList<>();
        for (int t = 0; t < cfg.maxSeq() + 4; t++) {
            tokens.add(AttentionDecodeCosimTest.token(rnd, cfg, t == 0 || t == 3));
        }
        // a restart at token 3, then 16 more rows: the cache fills and the last token is dropped
        check.add(sim.transact(new StreamRun().sendBeats("in", AttentionDecodeCosimTest.inBeats(cfg, tokens)).bubbles("in", 0.3)
                .receive("out", tokens.size() * cfg.chunks()).stalls("out", 0.3).record()))
                .assertIcarusAgrees(Path.of("target", "cosim-icarus", cfg.softmax().optionName()));
    }
}

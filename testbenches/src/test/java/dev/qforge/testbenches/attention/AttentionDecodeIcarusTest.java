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
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A second simulator: a recorded decode run (int4 cache, bubbles, back-pressure, a full cache) replayed in Icarus agrees with Verilator every cycle. */
@Cosim(tools = {"verilator", "iverilog"})
class AttentionDecodeIcarusTest {
    @Test
    void icarusAgreesWithVerilator(CosimSession cosim) {
        AttentionConfig cfg = AttentionDecodeCosimTest.config(16, 16, 16, 2, Kv.INT4, 4, Softmax.BASE2); // the co-simulated model, shared
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
                .assertIcarusAgrees(Path.of("target", "cosim-icarus"));
    }
}

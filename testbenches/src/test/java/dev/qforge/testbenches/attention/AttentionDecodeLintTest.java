package dev.qforge.testbenches.attention;

import dev.qforge.dsl.Design;
import dev.qforge.generators.attention.AttentionConfig;
import dev.qforge.generators.attention.AttentionConfig.Kv;
import dev.qforge.generators.attention.AttentionConfig.Softmax;
import dev.qforge.generators.attention.AttentionDecode;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.lint.HdlLint;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

/**
 * Small decode engines lint silently (several beats a row; one beat a row, a one-row cache and a
 * GQA group of two heads; int4 caches with one beat and several beats a row, key groups of 1 row and
 * of several; the I-BERT softmax over int8 and int4; two K/V heads of two query heads each over int8 and
 * int4) and synthesise without latches.
 */
@Cosim(tools = {"verilator", "yosys"})
class AttentionDecodeLintTest {
    @ParameterizedTest(name = "d{0} L{1} P{2} H{3} {4} G{5} {6} kv-heads {7}")
    @CsvSource({"16, 16, 4, 1, INT8, 1, BASE2, 1", "16, 1, 16, 2, INT8, 1, BASE2, 1", "16, 5, 16, 1, INT4, 1, BASE2, 1",
            "32, 12, 8, 1, INT4, 5, BASE2, 1", "16, 16, 4, 2, INT8, 1, IBERT, 1", "32, 12, 8, 1, INT4, 5, IBERT, 1",
            "16, 8, 8, 4, INT8, 1, BASE2, 2", "16, 8, 8, 4, INT4, 4, IBERT, 2"})
    void verilatorLintIsSilent(int d, int maxSeq, int lanes, int heads, Kv kv, int kvGroup, Softmax softmax, int kvHeads, @TempDir Path dir) {
        HdlLint.assertVerilatorSilent(Design.elaborate(new AttentionDecode(new AttentionConfig(d, maxSeq, lanes, 1e-3, heads, kv, kvGroup,
                softmax, kvHeads))), dir);
    }

    /** One lane only: Yosys spends minutes on the wide output multipliers of every lane. */
    @ParameterizedTest(name = "{0} {1} kv-heads {2}")
    @CsvSource({"INT8, BASE2, 1", "INT4, BASE2, 1", "INT8, IBERT, 1", "INT4, IBERT, 2"})
    void yosysSynthesisHasNoLatch(Kv kv, Softmax softmax, int kvHeads, @TempDir Path dir) {
        HdlLint.assertYosysClean(Design.elaborate(new AttentionDecode(new AttentionConfig(16, 2, 1, 1e-3, kvHeads, kv, 2, softmax, kvHeads))), dir);
    }
}

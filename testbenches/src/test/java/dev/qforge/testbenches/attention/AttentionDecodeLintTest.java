package dev.qforge.testbenches.attention;

import dev.qforge.dsl.Design;
import dev.qforge.generators.attention.AttentionConfig;
import dev.qforge.generators.attention.AttentionDecode;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.lint.HdlLint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

/**
 * Small decode engines lint silently (several beats a row; one beat a row, a one-row cache and a
 * GQA group of two heads) and synthesise without latches.
 */
@Cosim(tools = {"verilator", "yosys"})
class AttentionDecodeLintTest {
    @ParameterizedTest(name = "d{0} L{1} P{2} H{3}")
    @CsvSource({"16, 16, 4, 1", "16, 1, 16, 2"})
    void verilatorLintIsSilent(int d, int maxSeq, int lanes, int heads, @TempDir Path dir) {
        HdlLint.assertVerilatorSilent(Design.elaborate(new AttentionDecode(new AttentionConfig(d, maxSeq, lanes, 1e-3, heads))), dir);
    }

    /** One lane only: Yosys spends minutes on the wide output multipliers of every lane. */
    @Test
    void yosysSynthesisHasNoLatch(@TempDir Path dir) {
        HdlLint.assertYosysClean(Design.elaborate(new AttentionDecode(new AttentionConfig(16, 2, 1, 1e-3))), dir);
    }
}

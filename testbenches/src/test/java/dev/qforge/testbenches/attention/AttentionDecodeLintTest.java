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
 * Small decode engines lint silently (several beats a row, and one beat a row with a one-row
 * cache) and synthesise without latches.
 */
@Cosim(tools = {"verilator", "yosys"})
class AttentionDecodeLintTest {
    private static final String CONFIGS = """
            16, 16,  4
            16,  1, 16
            """;

    @ParameterizedTest(name = "d{0} L{1} P{2}")
    @CsvSource(textBlock = CONFIGS)
    void verilatorLintIsSilent(int d, int maxSeq, int lanes, @TempDir Path dir) {
        HdlLint.assertVerilatorSilent(Design.elaborate(engine(d, maxSeq, lanes)), dir);
    }

    /** One lane only: Yosys spends minutes on the wide output multipliers of every lane. */
    @Test
    void yosysSynthesisHasNoLatch(@TempDir Path dir) {
        HdlLint.assertYosysClean(Design.elaborate(engine(16, 2, 1)), dir);
    }

    private static AttentionDecode engine(int d, int maxSeq, int lanes) {
        return new AttentionDecode(new AttentionConfig(d, maxSeq, lanes, 1e-3));
    }
}

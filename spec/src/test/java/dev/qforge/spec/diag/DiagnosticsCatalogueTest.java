package dev.qforge.spec.diag;

import dev.qforge.spec.Spec;
import dev.qforge.spec.check.Checker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalogue of mistakes: each bad spec under {@code diagnostics/} is reported exactly as its
 * {@code .expected} file says (every message, location, quoted line and caret, in one run). Files
 * whose name contains "build" are checked as a build, the others as {@code qforge check}.
 */
class DiagnosticsCatalogueTest {
    static Stream<String> specs() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(folder())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".qf")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void reportsExactly(String file) throws Exception {
        Path spec = folder().resolve(file);
        String expected = Files.readString(folder().resolve(file.replace(".qf", ".expected")));
        Checker.Mode mode = file.contains("build") ? Checker.Mode.BUILD : Checker.Mode.CHECK;
        SpecException e = assertThrows(SpecException.class, () -> Spec.check("diagnostics/" + file, Files.readString(spec), mode));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void coversAtLeast25DistinctMistakes() throws Exception {
        List<String> messages = specs().map(f -> {
            try {
                return Files.readString(folder().resolve(f.replace(".qf", ".expected"))).lines().findFirst().orElseThrow()
                        .replaceAll("^[^ ]+ error: ", "");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).distinct().toList();
        assertTrue(messages.size() >= 25, messages.size() + " distinct first messages");
    }

    private static Path folder() throws URISyntaxException {
        return Path.of(DiagnosticsCatalogueTest.class.getResource("/diagnostics").toURI());
    }
}

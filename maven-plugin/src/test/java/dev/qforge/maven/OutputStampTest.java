package dev.qforge.maven;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The up-to-date check of generate-rtl: same inputs and every written file present. */
class OutputStampTest {
    private static final List<String> FILES = List.of("Top.v", "Sub.v", "filelist.f", "report.json", "report.txt");

    private static void generate(Path dir, String inputs) throws IOException {
        List<Path> written = new ArrayList<>();
        for (String f : FILES) {
            written.add(Files.writeString(dir.resolve(f), f));
        }
        OutputStamp.write(dir, inputs, written);
    }

    @Test
    void sameInputsWithAllFilesAreCurrent(@TempDir Path dir) throws IOException {
        generate(dir, "abc");
        assertTrue(OutputStamp.isCurrent(dir, "abc"));
    }

    @Test
    void otherInputsAreNotCurrent(@TempDir Path dir) throws IOException {
        generate(dir, "abc");
        assertFalse(OutputStamp.isCurrent(dir, "abd"));
    }

    @Test
    void aFolderNeverGeneratedIsNotCurrent(@TempDir Path dir) throws IOException {
        assertFalse(OutputStamp.isCurrent(dir.resolve("missing"), "abc"));
        assertFalse(OutputStamp.isCurrent(dir, "abc"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Top.v", "Sub.v", "filelist.f", "report.json", "report.txt"})
    void anyDeletedOutputMakesItStale(String deleted, @TempDir Path dir) throws IOException {
        generate(dir, "abc");
        Files.delete(dir.resolve(deleted));
        assertFalse(OutputStamp.isCurrent(dir, "abc"), deleted);
    }
}

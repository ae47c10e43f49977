package dev.qforge.maven;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's "Use qforge in your own project" code is examples/ itself: every code block after a
 * {@code <!-- examples/... -->} line must appear, character for character, in that file, which the
 * build compiles and tests (execution "examples" of this module's invoker plugin).
 */
class ReadmeExamplesTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern BLOCK = Pattern.compile("<!-- (examples/[^ ]+) -->\n```\\w*\n(.*?)\n```", Pattern.DOTALL);

    @Test
    void everyExampleBlockIsCopiedFromExamples() throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(ROOT.resolve("README.md")));
        int blocks = 0;
        while (m.find()) {
            Path file = ROOT.resolve(m.group(1));
            if (!Files.isRegularFile(file)) {
                fail("README.md quotes " + m.group(1) + ", which does not exist");
            }
            assertTrue(Files.readString(file).contains(m.group(2)),
                    "README.md's block from " + m.group(1) + " is not in that file (copy it again):\n" + m.group(2));
            blocks++;
        }
        assertEquals(5, blocks, "code blocks quoted from examples/ in README.md");
    }
}

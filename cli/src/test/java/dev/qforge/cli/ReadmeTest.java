package dev.qforge.cli;

import dev.qforge.generators.registry.OptionTable;
import dev.qforge.generators.registry.Registry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's option tables are the registry's declarations, so they cannot drift from what the command line accepts. */
class ReadmeTest {
    @Test
    void everyGeneratorsOptionTableIsInTheReadme() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (var g : Registry.all()) {
            String table = OptionTable.markdown(g);
            assertTrue(readme.contains(table), "README.md lacks the current option table of generator " + g.name()
                    + "; paste this under `./qforge generate " + g.name() + "`:\n" + table);
        }
    }
}

package dev.qforge.testbenches.lint;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.testbenches.cache.ModelCache;
import dev.qforge.testbenches.junit.Cosim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A clean lint or latch verdict is kept in the model cache: the same RTL again runs no tool. */
@Cosim(tools = {"verilator", "yosys"})
class HdlLintTest {
    /** A register between an input and an output, under a name given per run. */
    static final class Delay extends Module {
        Delay(String name) {
            super(name);
            Signal a = input("a", uint(8));
            Signal y = output("y", uint(8));
            Signal r = reg("r", uint(8), 0);
            r.set(a);
            y.set(r);
        }
    }

    @Test
    void aCleanVerdictIsReusedForTheSameRtl(@TempDir Path dir) {
        // A name of this run's own, so the first checks find nothing cached and run the tools.
        String name = "LintOnce_" + Long.toHexString(System.nanoTime());
        Design first = Design.elaborate(new Delay(name));
        HdlLint.assertVerilatorSilent(first, dir.resolve("first"));
        HdlLint.assertYosysClean(first, dir.resolve("first"));
        assertTrue(Files.isRegularFile(dir.resolve("first").resolve(name + ".v")), "the first checks wrote the RTL and ran the tools");

        int hits = ModelCache.shared().hits();
        Design again = Design.elaborate(new Delay(name));
        HdlLint.assertVerilatorSilent(again, dir.resolve("again"));
        HdlLint.assertYosysClean(again, dir.resolve("again"));
        assertFalse(Files.exists(dir.resolve("again")), "the same RTL again is answered from the cache, without writing it or running a tool");
        assertEquals(hits + 2, ModelCache.shared().hits());
    }
}

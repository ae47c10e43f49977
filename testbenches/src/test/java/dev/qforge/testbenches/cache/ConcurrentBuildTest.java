package dev.qforge.testbenches.cache;

import dev.qforge.dsl.Design;
import dev.qforge.lib.Counter;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.verilator.Model;
import dev.qforge.testbenches.verilator.ModelCompiler;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Verilator builds in a fresh cache folder (so each run builds, once, by design). */
@Cosim
class ConcurrentBuildTest {
    @TempDir
    Path root;

    @Test
    void secondLookupIsAHit() {
        ModelCompiler compiler = new ModelCompiler(new ModelCache(root, Long.MAX_VALUE, Duration.ZERO));
        Model first = compiler.model(Design.elaborate(new Counter(6)));
        Model second = compiler.model(Design.elaborate(new Counter(6)));
        assertEquals(first.binary(), second.binary());
        assertEquals(1, compiler.cache().builds());
        assertEquals(1, compiler.cache().hits());
        try (Simulator sim = second.start()) {
            sim.reset();
            sim.poke("en", 1);
            sim.step(70);
            assertEquals(6, sim.peek("count"), "70 mod 64");
        }
    }

    @Test
    void twoJvmsBuildingTheSameModelBuildItOnce() throws Exception {
        List<Process> jvms = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path out = root.resolve("jvm" + i + ".txt");
            outputs.add(out);
            jvms.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), BuildModelMain.class.getName(), root.resolve("cache").toString(), "7")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start());
        }
        List<String> results = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Process p = jvms.get(i);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                jvms.forEach(Process::destroyForcibly);
            }
            String text = Files.readString(outputs.get(i), StandardCharsets.UTF_8).trim();
            assertEquals(0, p.exitValue(), "JVM " + i + " failed:\n" + text);
            results.add(text.substring(text.lastIndexOf('\n') + 1));
        }
        long built = results.stream().filter(r -> r.startsWith("built=true ")).count();
        assertEquals(1, built, "exactly one JVM builds: " + results);
        String harness = results.get(0).substring(results.get(0).indexOf("harness="));
        assertEquals(harness, results.get(1).substring(results.get(1).indexOf("harness=")));
        assertTrue(Files.isExecutable(Path.of(harness.substring("harness=".length()))));
        assertEquals(1, entries(root.resolve("cache")), "one published entry");
    }

    private static long entries(Path cache) throws IOException {
        try (var s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{32}")).count();
        }
    }
}

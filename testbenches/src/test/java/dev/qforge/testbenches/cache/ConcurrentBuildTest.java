package dev.qforge.testbenches.cache;

import dev.qforge.dsl.Design;
import dev.qforge.lib.Counter;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.verilator.Model;
import dev.qforge.testbenches.verilator.ModelCompiler;
import dev.qforge.testbenches.verilator.ModelSources;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real Verilator builds in fresh temporary cache folders: these tests are about building, so they
 * build on every run by design (the end-of-run summary counts them apart from the shared cache).
 */
@Cosim
class ConcurrentBuildTest {
    private static final long MINUTES = 5;

    @TempDir
    Path root;

    @Test
    void secondLookupIsAHit() {
        ModelCompiler compiler = new ModelCompiler(new ModelCache(root, Long.MAX_VALUE));
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

    /** The size bound evicts a model some test still holds: starting it looks it up again and builds it anew. */
    @Test
    void anEvictedModelIsBuiltAgainWhenStarted() {
        ModelCompiler compiler = new ModelCompiler(new ModelCache(root, 1)); // every build evicts all others
        Model five = compiler.model(Design.elaborate(new Counter(5)));
        Path evicted = five.binary();
        compiler.model(Design.elaborate(new Counter(4)));
        assertFalse(Files.exists(evicted), "evicted by the second build");
        try (Simulator sim = five.start()) {
            sim.reset();
            sim.poke("en", 1);
            sim.step(33);
            assertEquals(1, sim.peek("count"), "33 mod 32");
        }
        assertEquals(3, compiler.cache().builds());
        assertTrue(Files.isExecutable(five.binary()));
    }

    /**
     * Two JVMs look the same model up at once. This test holds the entry's lock until both are
     * waiting on it, so their builds overlap for certain; then one builds while the other waits,
     * and the waiting one finds the published entry.
     */
    @Test
    void twoJvmsBuildingTheSameModelAtOnceBuildItOnce() throws Exception {
        Path cache = root.resolve("cache");
        ModelCache lookup = new ModelCache(cache, Long.MAX_VALUE);
        String key = new ModelCompiler(lookup).key(ModelSources.of(Design.elaborate(new Counter(7))), false);
        List<Process> jvms = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        try {
            try (FileChannel ch = FileChannel.open(lookup.lockFile(key), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = ch.lock()) {
                for (int i = 0; i < 2; i++) {
                    Path out = root.resolve("jvm" + i + ".txt");
                    outputs.add(out);
                    jvms.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-cp", System.getProperty("java.class.path"), BuildModelMain.class.getName(), cache.toString(), "7")
                            .redirectErrorStream(true).redirectOutput(out.toFile()).start());
                }
                for (int i = 0; i < 2; i++) {
                    awaitLine(jvms.get(i), outputs.get(i), "qforge model cache: waiting for another process building entry " + key);
                }
            }
            List<String> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Process p = jvms.get(i);
                if (!p.waitFor(MINUTES, TimeUnit.MINUTES)) {
                    fail("JVM " + i + " did not finish within " + MINUTES + " minutes:\n" + read(outputs.get(i)));
                }
                String text = read(outputs.get(i)).trim();
                assertEquals(0, p.exitValue(), "JVM " + i + " failed:\n" + text);
                results.add(text.substring(text.lastIndexOf('\n') + 1));
            }
            assertEquals(1, results.stream().filter(r -> r.startsWith("built=true waited=true ")).count(), "one JVM builds: " + results);
            assertEquals(1, results.stream().filter(r -> r.startsWith("built=false waited=true ")).count(), "the other finds its entry: " + results);
            String harness = results.get(0).substring(results.get(0).indexOf("harness="));
            assertEquals(harness, results.get(1).substring(results.get(1).indexOf("harness=")));
            assertTrue(Files.isExecutable(Path.of(harness.substring("harness=".length()))));
            assertEquals(1, entries(cache), "one published entry");
        } finally {
            jvms.forEach(Process::destroyForcibly);
        }
    }

    /** Waits until {@code jvm} has written {@code line} to {@code out}; fails if it ends first or takes minutes. */
    private static void awaitLine(Process jvm, Path out, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(MINUTES);
        while (!read(out).contains(line)) {
            if (!jvm.isAlive() || System.nanoTime() > deadline) {
                fail("the JVM never waited for the lock " + (jvm.isAlive() ? "within " + MINUTES + " minutes" : "(it ended)") + ":\n" + read(out));
            }
            Thread.sleep(20);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static long entries(Path cache) throws IOException {
        try (var s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{32}")).count();
        }
    }
}

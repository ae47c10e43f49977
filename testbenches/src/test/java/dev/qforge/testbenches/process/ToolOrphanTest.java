package dev.qforge.testbenches.process;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tool run (a build, a synthesis) does not outlive the JVM that started it, however that JVM ends. */
class ToolOrphanTest {
    @ParameterizedTest(name = "JVM ended by {0}")
    @ValueSource(strings = {"SIGTERM", "SIGKILL"})
    void toolTreeEndsWithItsJvm(String signal) throws Exception {
        // a sleep no other process runs: its duration is this run's marker
        String marker = String.format(Locale.ROOT, "%d.%06d", 3000 + new SplittableRandom(System.nanoTime()).nextInt(1000),
                ProcessHandle.current().pid() % 1_000_000);
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RunToolMain.class.getName(), marker)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sleeps(marker).size() < 2) {
                assertTrue(System.nanoTime() < deadline, "the tool's two sleeps never started");
                Thread.sleep(20);
            }
            if (signal.equals("SIGTERM")) {
                jvm.destroy(); // runs the shutdown hook
            } else {
                jvm.destroyForcibly(); // no hook runs: only the guard's watcher can end the tool
            }
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS));
        } finally {
            jvm.destroyForcibly();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!sleeps(marker).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of(), sleeps(marker), "processes left running after the JVM ended by " + signal);
    }

    /** Live processes running {@code sleep <marker>}. */
    private static List<String> sleeps(String marker) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .filter(c -> c.endsWith("sleep " + marker)).toList();
    }
}

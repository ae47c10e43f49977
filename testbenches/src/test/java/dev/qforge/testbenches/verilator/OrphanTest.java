package dev.qforge.testbenches.verilator;

import dev.qforge.testbenches.junit.Cosim;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A harness does not outlive the JVM that started it, however that JVM ends. */
@Cosim
class OrphanTest {
    @ParameterizedTest(name = "JVM ended by {0}")
    @ValueSource(strings = {"SIGTERM", "SIGKILL"})
    void harnessEndsWithItsJvm(String signal) throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OpenSimulatorMain.class.getName())
                .redirectErrorStream(true).start();
        long harness;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            while (line != null && !line.startsWith("harness=")) {
                line = out.readLine();
            }
            assertNotNull(line, "the JVM printed no harness pid");
            harness = Long.parseLong(line.substring("harness=".length()));
            assertTrue(isRunning(harness));
            if (signal.equals("SIGTERM")) {
                jvm.destroy(); // runs the shutdown hook, which kills the harness
            } else {
                jvm.destroyForcibly(); // no hook: the harness sees its stdin close and exits
            }
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (isRunning(harness) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(isRunning(harness), "harness " + harness + " outlived its JVM");
    }

    /** Alive and not a zombie waiting to be reaped by whatever adopted it. */
    private static boolean isRunning(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) || !Files.exists(stat)) {
            return false;
        }
        String s = Files.readString(stat);
        return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    }
}

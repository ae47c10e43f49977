package dev.qforge.testbenches.verilator;

import dev.qforge.testbenches.junit.Cosim;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
    @ParameterizedTest(name = "JVM ended by {0} while the harness {1}")
    @CsvSource({"SIGTERM, idles", "SIGKILL, idles", "SIGKILL, is busy"})
    void harnessEndsWithItsJvm(String signal, String state) throws Exception {
        boolean busy = state.equals("is busy");
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OpenSimulatorMain.class.getName(), busy ? "busy" : "idle")
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
            if (busy) {
                awaitBusy(harness);
            }
            if (signal.equals("SIGTERM")) {
                jvm.destroy(); // runs the shutdown hook, which kills the harness
            } else {
                // No hook runs. An idle harness sees its stdin close; a busy one reads no stdin for minutes,
                // so only the kernel's parent-death signal ends it.
                jvm.destroyForcibly();
            }
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS));
        } finally {
            jvm.destroyForcibly();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (isRunning(harness) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(isRunning(harness), "harness " + harness + " outlived its JVM");
    }

    /** Waits until the harness has spent CPU time inside its long step (it is computing, not waiting for a command). */
    private static void awaitBusy(long pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long start = cpuTicks(pid);
        while (cpuTicks(pid) < start + 20) { // 20 clock ticks, 0.2 s of CPU at the usual 100 Hz
            assertTrue(System.nanoTime() < deadline, "harness " + pid + " never got busy");
            Thread.sleep(20);
        }
    }

    /** User plus system CPU time of a process, in clock ticks (fields 14 and 15 of /proc/pid/stat). */
    private static long cpuTicks(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
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

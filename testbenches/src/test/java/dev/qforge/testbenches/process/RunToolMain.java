package dev.qforge.testbenches.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A JVM for {@link ToolOrphanTest}: runs, through {@link Processes#run}, a "build" that is a tree
 * of processes (a shell with two sleeps, one of them a grandchild in the background), and waits
 * for it to be killed.
 */
public final class RunToolMain {
    private RunToolMain() { }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("qforge-run-tool");
        String marker = args[0];
        Processes.run(List.of("/bin/sh", "-c", "sleep " + marker + " & sleep " + marker + "; wait"), dir, Map.of(),
                dir.resolve("log"), Duration.ofMinutes(10));
    }
}

package dev.qforge.fpga.synth;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An external tool of the open-source flow (yosys, nextpnr-ice40): found on the PATH, or at the path
 * system property {@code qforge.<name>} names, and run with a time limit. (The testbenches module has
 * the same lookup for its simulators; fpga does not depend on testbenches, so it keeps its own.)
 */
public final class Tool {
    private final String name;
    private final Path executable;

    private Tool(String name, Path executable) {
        this.name = name;
        this.executable = executable;
    }

    /** The tool {@code name}, or empty when it is not installed. */
    public static Optional<Tool> find(String name) {
        String override = System.getProperty("qforge." + name);
        if (override != null) {
            Path p = Path.of(override);
            return Files.isExecutable(p) ? Optional.of(new Tool(name, p)) : Optional.empty();
        }
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path p = dir.isEmpty() ? null : Path.of(dir, name);
            if (p != null && Files.isExecutable(p) && !Files.isDirectory(p)) {
                return Optional.of(new Tool(name, p));
            }
        }
        return Optional.empty();
    }

    public String name() { return name; }

    /** The first line the tool prints for {@code versionFlag}, e.g. "Yosys 0.23 (git sha1 7ce5011c24b)". */
    public String version(String versionFlag) {
        Result r = run(List.of(versionFlag), Path.of("."), Duration.ofSeconds(30));
        r.requireSuccess();
        return r.output().strip().lines().findFirst().orElse(name);
    }

    /** The outcome of one run: the command line, its exit code and its combined output. */
    public record Result(String command, int exitCode, String output) {
        /** Throws a {@link ToolException} naming the command and the tail of its output unless it exited with 0. */
        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new ToolException(command + " failed with exit code " + exitCode + "; last lines of its output:\n" + tail(output, 30));
            }
            return this;
        }
    }

    /** Runs the tool with {@code args} in {@code dir}; kills it (and its children) after {@code timeout}. */
    public Result run(List<String> args, Path dir, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        String shown = name + " " + String.join(" ", args);
        Path log;
        try {
            log = Files.createTempFile("qforge-" + name, ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log file for " + name + ": " + e.getMessage(), e);
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process p = pb.start();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(p);
                    throw new ToolException(shown + " did not finish within " + String.format(Locale.ROOT, "%.1f", timeout.toMillis() / 1000.0)
                            + " s and was killed; last lines of its output:\n" + tail(read(log), 30));
                }
            } catch (InterruptedException e) {
                kill(p);
                Thread.currentThread().interrupt();
                throw new ToolException("interrupted while running " + shown);
            }
            return new Result(shown, p.exitValue(), read(log));
        } catch (IOException e) {
            throw new ToolException("cannot start " + shown + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a leftover temporary log is harmless
            }
        }
    }

    /** Kills a process and its descendants, children first so none is left running. */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** The last {@code lines} lines of {@code text}. */
    static String tail(String text, int lines) {
        List<String> all = Arrays.asList(text.strip().split("\n"));
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** A tool failed, timed out or could not be started; the message says which, with what command and output. */
    public static final class ToolException extends RuntimeException {
        public ToolException(String message) {
            super(message, null, false, false);
        }
    }
}

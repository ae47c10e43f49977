package dev.qforge.fpga.synth;

import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.process.Tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An external tool of the open-source flow (yosys, nextpnr-ice40): found on the PATH, or at the path
 * system property {@code qforge.<name>} names ({@link Tools}), and run with a time limit, its
 * process tree killed at the limit or when the JVM ends ({@link Processes}).
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
        return Tools.find(name).map(p -> new Tool(name, p));
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
        try {
            int code = Processes.run(Processes.logged(command, dir, log), timeout, shown);
            return new Result(shown, code, Processes.readLog(log));
        } catch (Processes.ToolTimeoutException e) {
            throw new ToolException(e.getMessage() + "; last lines of its output:\n" + tail(Processes.readLog(log), 30));
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new ToolException(e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a leftover temporary log is harmless
            }
        }
    }

    /** The last {@code lines} lines of {@code text}. */
    static String tail(String text, int lines) {
        return Processes.tail(text.strip(), lines);
    }

    /** A tool failed, timed out or could not be started; the message says which, with what command and output. */
    public static final class ToolException extends RuntimeException {
        public ToolException(String message) {
            super(message, null, false, false);
        }
    }
}

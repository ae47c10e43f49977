package dev.qforge.testbenches.process;

import org.apache.commons.io.FileUtils;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Child processes of qforge (Verilator and C++ builds, simulators, synthesis tools, harnesses).
 * Every one is registered while it lives, so a JVM shutdown kills them with their whole process
 * tree instead of leaving orphans. A JVM killed outright (SIGKILL, the OOM killer) runs no
 * shutdown hook: on Linux a tool {@link #run} starts therefore runs under a small shell guard that
 * kills the tool's process group when the JVM's end of a pipe closes, and a harness kills itself
 * (see {@code Protocol}).
 *
 * <p>All are started from one thread that lives as long as the JVM: a harness asks Linux to kill it
 * when its parent dies (PR_SET_PDEATHSIG), and Linux counts the thread that started a process as its
 * parent, so a harness started from a short-lived test thread would die with that thread.
 */
public final class Processes {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final ExecutorService STARTER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "qforge-process-starter");
        t.setDaemon(true);
        return t;
    });

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Processes::killTree), "qforge-kill-children"));
    }

    private Processes() { }

    /** The outcome of a tool run: exit code and the combined stdout/stderr text. */
    public record Result(int exitCode, String output) { }

    /** Starts {@code builder}'s command and registers it for cleanup until {@link #release}. */
    public static Process start(ProcessBuilder builder) throws IOException {
        // submit, not execute: a task that throws must not replace the starter thread
        Future<Process> started = STARTER.submit(builder::start);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    Process p = started.get(); // a start takes milliseconds: wait it out, so no process escapes registration
                    LIVE.add(p);
                    return p;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("cannot start " + builder.command().get(0) + ": " + e.getCause(), e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Forgets a process that has ended. */
    public static void release(Process p) {
        LIVE.remove(p);
    }

    /** Kills a process and its descendants (children first, so none is re-parented and left running). */
    public static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(p);
    }

    /**
     * Runs {@code command} in {@code dir} with extra environment {@code env}, its output captured in
     * {@code log}; kills the process tree if it runs longer than {@code timeout}.
     *
     * @throws ToolTimeoutException when the timeout expires
     */
    public static Result run(List<String> command, Path dir, Map<String, String> env, Path log, Duration timeout) {
        ProcessBuilder pb = logged(command, dir, log);
        pb.environment().putAll(env);
        try {
            return new Result(run(pb, timeout, command.get(0)), readLog(log));
        } catch (ToolTimeoutException e) {
            throw new ToolTimeoutException(e.getMessage() + "; output:\n" + tail(readLog(log), 40));
        }
    }

    /**
     * What a short command ({@code verilator --version}) prints, trimmed; it runs in a temporary
     * folder with plain ASCII messages and a minute's limit.
     *
     * @throws IllegalStateException when it fails or cannot start, naming the command
     */
    public static String output(List<String> command) {
        String shown = "'" + String.join(" ", command) + "'";
        try {
            Path dir = Files.createTempDirectory("qforge-tool-output");
            try {
                Result r = run(command, dir, Map.of("LC_ALL", "C"), dir.resolve("out"), Duration.ofSeconds(60));
                if (r.exitCode() != 0) {
                    throw new IllegalStateException(shown + " failed (exit code " + r.exitCode() + "): " + r.output());
                }
                return r.output().trim();
            } finally {
                FileUtils.deleteDirectory(dir.toFile());
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot run " + shown + ": " + e.getMessage(), e);
        }
    }

    /** {@code command} in {@code dir}, reading nothing, its stdout and stderr together in {@code log}. */
    public static ProcessBuilder logged(List<String> command, Path dir, Path log) {
        return new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }

    /**
     * Runs a prepared process (its redirections set by the caller) and returns its exit code; kills
     * the process tree if it runs longer than {@code timeout}. {@code what} names it in errors.
     */
    public static int run(ProcessBuilder pb, Duration timeout, String what) {
        Process p;
        try {
            p = start(guarded(pb));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + what + ": " + e.getMessage(), e);
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(p);
                throw new ToolTimeoutException(what + " did not finish within " + seconds(timeout) + " s and was killed");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            killTree(p);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + what, e);
        } finally {
            closeQuietly(p.getOutputStream()); // ends the guard's watcher, if it still runs
            release(p);
        }
    }

    /**
     * Runs the command of {@code pb} ({@code $@}, {@code setsid} first) in a session and process
     * group of its own, reading the file {@code QFORGE_TOOL_INPUT}, while a watcher reads the
     * guard's stdin, a pipe from this JVM: the pipe ends when the JVM does, however it ends, and the
     * watcher then kills the tool's whole group (make, g++, cc1plus, ...), and the tool itself in
     * case it had not reached setsid yet. The watcher's stdin is named explicitly: a shell without
     * job control gives background commands /dev/null otherwise. Exits with the tool's exit code.
     */
    private static final String GUARD = """
            exec 3<&0
            "$@" < "$QFORGE_TOOL_INPUT" 3<&- & tool=$!
            { while read -r _; do :; done; kill -KILL -"$tool" "$tool"; } <&3 3<&- 2>/dev/null & watcher=$!
            exec 3<&-
            wait "$tool"; code=$?
            kill "$watcher" 2>/dev/null
            exit "$code"
            """;

    /**
     * {@code pb} under the {@link #GUARD} where the system has {@code setsid} (Linux), with the same
     * folder, environment, input and output; {@code pb} itself elsewhere, and when its program
     * cannot be found (so starting it fails with the usual error).
     */
    static ProcessBuilder guarded(ProcessBuilder pb) {
        String program = pb.command().get(0);
        Optional<Path> exe = program.contains("/") ? Optional.of(Path.of(program)) : Tools.find(program);
        Optional<Path> setsid = Tools.find("setsid");
        Optional<Path> sh = Optional.of(Path.of("/bin/sh")).filter(Files::isExecutable);
        if (exe.filter(Files::isExecutable).isEmpty() || setsid.isEmpty() || sh.isEmpty()) {
            return pb;
        }
        List<String> command = new ArrayList<>(List.of(sh.get().toString(), "-c", GUARD, "qforge-guard", setsid.get().toString()));
        command.addAll(pb.command());
        ProcessBuilder.Redirect in = pb.redirectInput();
        ProcessBuilder g = new ProcessBuilder(command).directory(pb.directory()).redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(pb.redirectOutput()).redirectError(pb.redirectError()).redirectErrorStream(pb.redirectErrorStream());
        g.environment().clear();
        g.environment().putAll(pb.environment());
        g.environment().put("QFORGE_TOOL_INPUT", in.type() == ProcessBuilder.Redirect.Type.READ ? in.file().getPath() : "/dev/null");
        return g;
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // the guard has ended already
        }
    }

    /** "1", "0.5": whole seconds without a fraction. */
    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    /** The text of a tool's log, or a note saying why it cannot be read. */
    public static String readLog(Path log) {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The last {@code lines} lines of {@code text}. */
    public static String tail(String text, int lines) {
        String[] all = text.split("\n", -1);
        int end = all.length > 0 && all[all.length - 1].isEmpty() ? all.length - 1 : all.length;
        int from = Math.max(0, end - lines);
        return (from > 0 ? "  ...\n" : "") + String.join("\n", Arrays.asList(all).subList(from, end));
    }

    /** A tool that ran past its time limit (and was killed). */
    public static final class ToolTimeoutException extends RuntimeException {
        public ToolTimeoutException(String message) {
            super(message, null, false, false);
        }
    }
}

package dev.qforge.testbenches.verilator;

import dev.qforge.testbenches.process.Processes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running harness binary and its pipes. Java never waits on a pipe while it could be preparing
 * the next batch: a writer thread sends each flushed command (Java fills the next buffer
 * meanwhile), a reader thread drains stdout into a queue (so the harness never blocks on a full
 * pipe while Java is still writing, which would deadlock a pipelined run), and buffers go round
 * in pools rather than to the garbage collector. Another thread keeps the tail of stderr for error
 * messages. A watchdog kills the harness when Java has waited on it for longer than the timeout
 * without any data moving.
 */
final class HarnessProcess implements AutoCloseable {
    /** Bytes per read from stdout, and per write to stdin (so progress shows while a large batch goes out). */
    private static final int CHUNK = 1 << 18;
    /** Command buffers: one Java fills while the others wait for, or go through, the pipe. */
    private static final int SEND_BUFFERS = 3;
    private static final int STDERR_LINES = 30;
    private static final Chunk END = new Chunk(new byte[0], 0);
    private static final Outgoing CLOSE = new Outgoing();
    private static final Set<HarnessProcess> WATCHED = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "qforge-harness-watchdog");
        t.setDaemon(true);
        return t;
    });

    static {
        WATCHDOG.scheduleWithFixedDelay(() -> WATCHED.forEach(HarnessProcess::checkTimeout), 100, 100, TimeUnit.MILLISECONDS);
    }

    private final String name;
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<Chunk> stdout = new LinkedBlockingQueue<>();
    private final Queue<byte[]> spareChunks = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<Outgoing> toSend = new LinkedBlockingQueue<>();
    private final BlockingQueue<Outgoing> spareOutgoing = new LinkedBlockingQueue<>();
    private Outgoing filling = new Outgoing();
    private volatile boolean sendFailed;
    private boolean stdinClosing;
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    private final Thread stderrThread;
    private final long timeoutNanos;
    private Chunk chunk = new Chunk(new byte[0], 0);
    private int pos;
    private volatile boolean waiting;
    private volatile long lastProgress;
    private volatile boolean timedOut;
    private boolean ended;

    private HarnessProcess(String name, Process process, Duration timeout) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.timeoutNanos = timeout.toNanos();
        for (int i = 1; i < SEND_BUFFERS; i++) {
            spareOutgoing.add(new Outgoing());
        }
        daemon("stdin", this::sendStdin).start();
        daemon("stdout", this::drainStdout).start();
        stderrThread = daemon("stderr", this::drainStderr);
        stderrThread.start();
        WATCHED.add(this);
    }

    /** Starts {@code binary} with {@code args}; {@code name} appears in error messages. */
    static HarnessProcess start(String name, Path binary, List<String> args, Duration timeout) {
        try {
            return new HarnessProcess(name, Processes.start(command(binary, args)), timeout);
        } catch (IOException e) {
            throw new HarnessException("cannot start the harness of " + name + " (" + binary + "): " + e.getMessage());
        }
    }

    /** The command line of a harness, with the JVM's pid in its environment so it can die with the JVM. */
    private static ProcessBuilder command(Path binary, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put(Protocol.PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
        return pb;
    }

    private Thread daemon(String stream, Runnable body) {
        Thread t = new Thread(body, "qforge-harness-" + stream + "-" + process.pid());
        t.setDaemon(true);
        return t;
    }

    /** A command buffer: filled by Java, then written to stdin by the writer thread. */
    private static final class Outgoing {
        byte[] data = new byte[4096];
        int len;
    }

    /** Bytes read from stdout: the first {@code len} of {@code data}. */
    private record Chunk(byte[] data, int len) { }

    private void sendStdin() {
        try {
            for (Outgoing o; (o = toSend.take()) != CLOSE; ) {
                if (!sendFailed) {
                    try {
                        for (int done = 0; done < o.len; ) {
                            int k = Math.min(CHUNK, o.len - done);
                            stdin.write(o.data, done, k);
                            done += k;
                            lastProgress = System.nanoTime();
                        }
                        stdin.flush();
                    } catch (IOException e) {
                        sendFailed = true; // the harness ended; reading its reply reports why
                    }
                }
                o.len = 0;
                spareOutgoing.add(o);
            }
            stdin.close();
        } catch (InterruptedException | IOException e) {
            // closing a pipe whose process ended
        }
    }

    private void drainStdout() {
        InputStream in = process.getInputStream();
        try {
            while (true) {
                byte[] buf = spareChunks.poll();
                int n = in.read(buf != null ? buf : (buf = new byte[CHUNK]));
                if (n < 0) {
                    break;
                }
                lastProgress = System.nanoTime();
                stdout.add(new Chunk(buf, n));
            }
        } catch (IOException e) {
            // the pipe closed because the process ended: reported as end of output
        }
        stdout.add(END);
    }

    private void drainStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (stderrTail) {
                    stderrTail.addLast(line.length() > 500 ? line.substring(0, 500) + "..." : line);
                    if (stderrTail.size() > STDERR_LINES) {
                        stderrTail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // process ended
        }
    }

    private void checkTimeout() {
        if (waiting && System.nanoTime() - lastProgress > timeoutNanos && process.isAlive()) {
            timedOut = true;
            Processes.killTree(process);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Adds bytes to the command being prepared; nothing is sent before {@link #flush}. */
    void write(byte[] b, int off, int len) {
        if (filling.len + len > filling.data.length) {
            filling.data = Arrays.copyOf(filling.data, Math.max(2 * filling.data.length, filling.len + len));
        }
        System.arraycopy(b, off, filling.data, filling.len, len);
        filling.len += len;
    }

    /** Hands the command prepared so far to the writer thread and returns; waits only while every buffer is in use. */
    void flush(String during) {
        if (sendFailed) {
            throw failure(during);
        }
        if (filling.len == 0) {
            return;
        }
        toSend.add(filling);
        begin();
        try {
            filling = spareOutgoing.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("interrupted while sending to the harness of " + name);
        } finally {
            waiting = false;
        }
    }

    void readFully(byte[] dst, int off, int len, String during) {
        begin();
        try {
            while (len > 0) {
                if (pos == chunk.len()) {
                    if (ended) {
                        throw failure(during);
                    }
                    if (chunk.data().length == CHUNK) {
                        spareChunks.add(chunk.data());
                    }
                    chunk = stdout.take();
                    pos = 0;
                    if (chunk == END) {
                        ended = true;
                        throw failure(during);
                    }
                }
                int k = Math.min(len, chunk.len() - pos);
                System.arraycopy(chunk.data(), pos, dst, off, k);
                pos += k;
                off += k;
                len -= k;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("interrupted while waiting for the harness of " + name);
        } finally {
            waiting = false;
        }
    }

    private void begin() {
        lastProgress = System.nanoTime();
        waiting = true;
    }

    /** Describes why the harness stopped answering: timeout, signal or exit code, and its last stderr lines. */
    private HarnessException failure(String during) {
        boolean exited = waitForExit(2);
        if (!exited) {
            Processes.killTree(process);
        }
        String why;
        if (timedOut) {
            why = "did not answer for " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s and was killed";
        } else if (!exited) {
            why = "closed its output but kept running, so it was killed";
        } else {
            int code = process.exitValue();
            why = code > 128 && code < 160 ? "was killed by signal " + (code - 128) + signalName(code - 128) : "exited with code " + code;
        }
        WATCHED.remove(this);
        closeStdin();
        Processes.release(process);
        try {
            stderrThread.join(1000); // let the last stderr lines arrive
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new HarnessException("the harness of " + name + " (pid " + process.pid() + ") " + why + " while " + during + stderr());
    }

    private String stderr() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "; it wrote nothing to stderr"
                    : "; last lines of its stderr:\n  " + String.join("\n  ", stderrTail);
        }
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 6 -> " (SIGABRT)";
            case 7 -> " (SIGBUS)";
            case 8 -> " (SIGFPE)";
            case 9 -> " (SIGKILL)";
            case 11 -> " (SIGSEGV)";
            case 13 -> " (SIGPIPE)";
            case 15 -> " (SIGTERM)";
            default -> "";
        };
    }

    private boolean waitForExit(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Closes stdin, which makes the harness finish its VCD and exit; kills it if it does not. */
    @Override
    public void close() {
        WATCHED.remove(this);
        closeStdin();
        if (!waitForExit(5)) {
            Processes.killTree(process);
        }
        Processes.release(process);
    }

    /** Closes stdin once the commands already flushed have been written (the writer thread then ends). */
    private void closeStdin() {
        if (!stdinClosing) {
            stdinClosing = true;
            toSend.add(CLOSE);
        }
    }
}

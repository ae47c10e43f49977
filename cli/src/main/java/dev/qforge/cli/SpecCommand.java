package dev.qforge.cli;

import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.fpga.vivado.VivadoKit;
import dev.qforge.spec.Spec;
import dev.qforge.spec.SpecOutput;
import dev.qforge.spec.Summary;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.check.Checker;
import dev.qforge.spec.compose.ComposedBlock;
import dev.qforge.spec.diag.SpecException;
import dev.qforge.spec.kit.BoardKit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code qforge check FILE.qf} validates a spec and prints its estimates and workload table;
 * {@code qforge build FILE.qf -o DIR} writes the composed design (every block's Verilog and the
 * top's, filelist.f, port-table README, report with the workload section; with {@code --board B} or a
 * {@code board} in the spec, the composed top's bring-up kit in DIR/B); {@code qforge bench
 * check} times the check of a ten-block spec. A spec's mistakes go to stderr, all of them, exit 1.
 */
final class SpecCommand {
    static final String BENCH_FILE = "examples/specs/ten_blocks.qf";

    private SpecCommand() { }

    static int check(Args args) throws IOException {
        Path file = file(args);
        args.requireAllRead();
        long t0 = System.nanoTime();
        CheckedSpec spec = load(file, Checker.Mode.CHECK);
        if (spec == null) {
            return 1;
        }
        System.out.print(Summary.text(spec));
        System.out.printf(Locale.ROOT, "checked in %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        return 0;
    }

    static int build(Args args) throws IOException {
        Path file = file(args);
        String out = args.folder("-o", null);
        boolean force = args.flag("--force");
        String boardGiven = args.string("--board", null);
        args.requireAllRead();
        CheckedSpec spec = load(file, Checker.Mode.BUILD);
        if (spec == null) {
            return 1;
        }
        Path dir = out != null ? Path.of(out) : Path.of("rtl-out", spec.name());
        OutputFolder folder = OutputFolder.at(dir, force);
        SpecOutput.addTo(spec, folder, false);
        folder.put(DesignReadme.FILE, DesignReadme.of(new ComposedBlock(spec), spec.design()) + "\n## Spec check\n\n```\n" + Summary.text(spec)
                + "```\n");
        OutputFolder kit = null;
        String kitSummary = null;
        try {
            String board = BoardKit.boardOf(spec, boardGiven);
            if (board != null) { // the kit in its own folder beside the RTL: both are checked before either is written
                kit = OutputFolder.at(dir.resolve(board), force);
                kitSummary = BoardKit.addTo(spec, file.toString(), board, kit);
                kit.check();
            }
        } catch (BoardKit.Refused e) {
            System.err.println("qforge build " + file + ": " + e.getMessage());
            return 1;
        }
        folder.commit();
        if (kit != null) {
            kit.commit();
        }
        System.out.println("build " + file + ": top=" + spec.design().top().name() + " blocks=" + spec.blocks().size() + " out=" + dir);
        if (kit != null) {
            System.out.println("build: " + kitSummary + " in " + kit.dir() + "; build it with `cd " + kit.dir() + " && vivado -mode batch -source "
                    + VivadoKit.BUILD_TCL + "` (see its README.md; Vivado is not run here)");
        }
        return 0;
    }

    /** Checks the ten-block example (or FILE) repeatedly in this JVM and prints the best and median warm time. */
    static int bench(Args args) throws IOException {
        String given = args.optionalOperand();
        int rounds = args.integer("--rounds", 30, 1, 1000);
        args.requireAllRead();
        Path file = Path.of(given != null ? given : BENCH_FILE);
        if (!Files.isRegularFile(file)) {
            throw new Args.UsageException("no spec file " + file + (given == null ? "; run from the qforge folder or name a FILE" : ""));
        }
        CheckedSpec first = load(file, Checker.Mode.CHECK);
        if (first == null) {
            return 1;
        }
        for (int i = 0; i < rounds; i++) { // warm-up: the JIT compiles the checker, elaborator and estimator
            Spec.check(file, Checker.Mode.CHECK);
        }
        double[] ms = new double[rounds];
        // the check's own CPU time as well: on a machine shared with other jobs the wall time is mostly waiting for a core
        double[] cpuMs = new double[rounds];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            Summary.text(Spec.check(file, Checker.Mode.CHECK));
            cpuMs[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        Arrays.sort(cpuMs);
        System.out.printf(Locale.ROOT, "bench check %s: %d blocks, %d connections; warm check time best %.1f ms, median %.1f ms "
                + "(CPU time of the checking thread: best %.1f ms, median %.1f ms; %d rounds after %d warm-up)%n", file, first.blocks().size(),
                first.links().size(), ms[0], ms[rounds / 2], cpuMs[0], cpuMs[rounds / 2], rounds, rounds);
        return 0;
    }

    private static Path file(Args args) {
        Path f = Path.of(args.operand("the spec file, e.g. examples/specs/cnn_int8.qf"));
        if (Files.isDirectory(f)) {
            throw new Args.UsageException(f + " is a folder, not a spec file");
        }
        return f;
    }

    /** The checked spec, or null after printing its mistakes to stderr. */
    private static CheckedSpec load(Path file, Checker.Mode mode) throws IOException {
        try {
            return Spec.check(file, mode);
        } catch (NoSuchFileException e) {
            throw new Args.UsageException("no spec file " + file);
        } catch (SpecException e) {
            System.err.print(e.getMessage());
            return null;
        }
    }
}

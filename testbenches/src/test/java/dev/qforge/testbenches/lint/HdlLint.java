package dev.qforge.testbenches.lint;

import dev.qforge.dsl.Design;
import dev.qforge.testbenches.cache.CacheKey;
import dev.qforge.testbenches.cache.ModelCache;
import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.process.Tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The emitted-Verilog checks of dsl's LintCleanTest for designs built outside dsl (generators):
 * verilator --lint-only -Wall prints nothing, Yosys coarse-grain synthesis (synth up to its fine
 * stage) passes check -assert with no latch. Latches and driver conflicts are decided by proc and
 * opt; the fine stage (techmap, ABC) cannot add or remove one and took 45x longer on an 8 x 8
 * requantizing engine (339 s against 7.5 s). Full synthesis runs in fpga's calibration.
 * Run from a {@code @Cosim(tools = {"verilator", "yosys"})} class, which skips without the tools.
 */
public final class HdlLint {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    /** Tool versions by executable, asked once per JVM: part of every verdict's cache key. */
    private static final Map<String, String> VERSIONS = new ConcurrentHashMap<>();

    private HdlLint() { }

    public static void assertVerilatorSilent(Design design, Path dir) {
        List<String> cmd = new ArrayList<>(List.of(Tools.require("verilator").toString(), "--lint-only", "-Wall",
                "--top-module", design.top().name()));
        cmd.addAll(files(design));
        onceClean(design, cmd, "--version", () -> {
            design.write(dir);
            Processes.Result r = Processes.run(cmd, dir, Map.of(), dir.resolve("lint.log"), TIMEOUT);
            if (r.exitCode() != 0 || !r.output().isBlank()) {
                fail("verilator --lint-only -Wall on " + design.top().name() + " reported:\n" + r.output());
            }
        });
    }

    /** The same for Verilog files that are not one DSL design (a hand-written top around one): file name -> text, written into dir. */
    public static void assertVerilatorSilent(Map<String, String> files, String top, Path dir) {
        List<String> cmd = new ArrayList<>(List.of(Tools.require("verilator").toString(), "--lint-only", "-Wall", "--top-module", top));
        try {
            java.nio.file.Files.createDirectories(dir);
            for (Map.Entry<String, String> f : files.entrySet()) {
                java.nio.file.Files.writeString(dir.resolve(f.getKey()), f.getValue());
                cmd.add(f.getKey());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Processes.Result r = Processes.run(cmd, dir, Map.of(), dir.resolve("lint.log"), TIMEOUT);
        if (r.exitCode() != 0 || !r.output().isBlank()) {
            fail("verilator --lint-only -Wall on " + top + " reported:\n" + r.output());
        }
    }

    public static void assertYosysClean(Design design, Path dir) {
        String script = "read_verilog " + String.join(" ", files(design)) + "; synth -top " + design.top().name()
                + " -run begin:fine; check -assert; select -assert-none t:$_DLATCH_* t:$dlatch t:$adlatch t:$_SR_* t:$sr";
        List<String> cmd = List.of(Tools.require("yosys").toString(), "-q", "-p", script);
        onceClean(design, cmd, "-V", () -> {
            design.write(dir);
            Processes.Result r = Processes.run(cmd, dir, Map.of(), dir.resolve("yosys.log"), TIMEOUT);
            if (r.exitCode() != 0) {
                fail("yosys synth of " + design.top().name() + " failed:\n" + Processes.tail(r.output(), 40));
            }
        });
    }

    /**
     * Runs {@code check} unless this version of the tool already passed {@code command} on the same
     * RTL: a clean verdict is kept in the model cache like a model build (a warm run re-lints
     * nothing that did not change; the 256-wide engines took a minute each), a failure is not kept
     * and shows again on every run.
     */
    private static void onceClean(Design design, List<String> command, String versionFlag, Runnable check) {
        String tool = command.get(0);
        CacheKey key = new CacheKey().add("verdict", String.join(" ", command))
                .add("tool", VERSIONS.computeIfAbsent(tool, t -> Processes.output(List.of(t, versionFlag))));
        design.verilog().forEach((module, text) -> key.add("rtl/" + module, text));
        ModelCache.shared().get(key.hex(), staging -> {
            check.run();
            Files.writeString(staging.resolve("clean"), String.join(" ", command) + "\n");
        });
    }

    private static List<String> files(Design design) {
        return design.fileList().lines().filter(l -> !l.isBlank()).toList();
    }
}

package dev.qforge.testbenches.verilator;

import dev.qforge.dsl.Design;
import dev.qforge.testbenches.cache.CacheKey;
import dev.qforge.testbenches.cache.ModelCache;
import dev.qforge.testbenches.process.FileTree;
import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.process.Tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds Verilator models through a {@link ModelCache}: {@code verilator --cc --exe --build} runs
 * in the cache's staging folder with relative paths, so the generated C++ does not depend on where
 * it was built and ccache (used when installed) hits across builds.
 */
public final class ModelCompiler {
    /** Flags that change the model; part of the cache key. */
    private static final List<String> FLAGS = List.of("--cc", "--exe", "--build", "-Wno-fatal", "--x-assign", "0", "--x-initial", "0");
    private static final Pattern RELEVANT = Pattern.compile("%Error|%Warning|error:|Error \\d|undefined reference|fatal", Pattern.CASE_INSENSITIVE);
    private static volatile String version;
    private static volatile ModelCompiler shared;

    private final ModelCache cache;

    public ModelCompiler(ModelCache cache) {
        this.cache = cache;
    }

    /** The compiler over {@link ModelCache#shared()}. */
    public static ModelCompiler shared() {
        if (shared == null) {
            synchronized (ModelCompiler.class) {
                if (shared == null) {
                    shared = new ModelCompiler(ModelCache.shared());
                }
            }
        }
        return shared;
    }

    public ModelCache cache() { return cache; }

    /** The model of {@code design} with the co-simulation harness. */
    public Model model(Design design) {
        return compile(ModelSources.of(design), false);
    }

    /** Builds {@code sources} (with waveform tracing when {@code traced}) or finds them in the cache. */
    public Model compile(ModelSources sources, boolean traced) {
        Path verilator = Tools.require("verilator");
        List<String> flags = new ArrayList<>(FLAGS);
        if (traced) {
            flags.add("--trace");
        }
        CacheKey key = new CacheKey().add("verilator --version", version(verilator)).add("flags", String.join(" ", flags));
        sources.rtl().forEach((file, text) -> key.add("rtl/" + file, text));
        key.add("main.cpp", sources.main());
        ModelCache.Entry entry = cache.get(key.hex(), staging -> build(verilator, flags, sources, staging));
        return new Model(this, sources, entry.dir().resolve("harness"), traced);
    }

    private static void build(Path verilator, List<String> flags, ModelSources sources, Path staging) throws IOException {
        Path src = Files.createDirectories(staging.resolve("src"));
        List<String> cmd = new ArrayList<>();
        cmd.add(verilator.toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-j", Integer.toString(Runtime.getRuntime().availableProcessors()),
                "--top-module", sources.top(), "--Mdir", "obj", "-o", "harness"));
        for (Map.Entry<String, String> f : sources.rtl().entrySet()) {
            Files.writeString(src.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
            cmd.add("src/" + f.getKey());
        }
        Files.writeString(src.resolve("main.cpp"), sources.main(), StandardCharsets.UTF_8);
        cmd.add("src/main.cpp");

        Map<String, String> env = new HashMap<>();
        env.put("LC_ALL", "C"); // plain ASCII compiler messages
        if (Tools.find("ccache").isPresent()) {
            env.put("OBJCACHE", "ccache");
            env.put("CCACHE_BASEDIR", staging.toString()); // paths inside the staging folder hash as relative
        }
        Duration timeout = Duration.ofSeconds(Long.getLong("qforge.verilator.timeout.seconds", 1800));
        Processes.Result r;
        try {
            r = Processes.run(cmd, staging, env, staging.resolve("build.log"), timeout);
        } catch (Processes.ToolTimeoutException e) {
            throw new ModelBuildException("building the Verilator model of " + sources.top() + ": " + e.getMessage());
        }
        if (r.exitCode() != 0) {
            throw new ModelBuildException("Verilator could not build the model of " + sources.top() + " (exit code " + r.exitCode() + "):\n"
                    + relevant(r.output()));
        }
        Files.move(staging.resolve("obj").resolve("harness"), staging.resolve("harness"), StandardCopyOption.ATOMIC_MOVE);
        FileTree.delete(staging.resolve("obj")); // object files: ccache keeps what is worth keeping
    }

    /** The compiler diagnostics in a build log (with the line after each), or its tail when none is recognisable. */
    static String relevant(String log) {
        String[] lines = log.split("\n");
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < lines.length && picked.size() < 40; i++) {
            if (RELEVANT.matcher(lines[i]).find()) {
                picked.add("  " + lines[i]);
                if (i + 1 < lines.length && !RELEVANT.matcher(lines[i + 1]).find()) {
                    picked.add("  " + lines[++i]);
                }
            }
        }
        return picked.isEmpty() ? Processes.tail(log, 40) : String.join("\n", picked);
    }

    /** {@code verilator --version}, asked once per JVM: it is part of every cache key. */
    private static String version(Path verilator) {
        if (version == null) {
            try {
                Path dir = Files.createTempDirectory("qforge-verilator-version");
                try {
                    Processes.Result r = Processes.run(List.of(verilator.toString(), "--version"), dir, Map.of(), dir.resolve("out"),
                            Duration.ofSeconds(60));
                    if (r.exitCode() != 0) {
                        throw new ModelBuildException("'verilator --version' failed (exit code " + r.exitCode() + "): " + r.output());
                    }
                    version = r.output().trim();
                } finally {
                    FileTree.delete(dir);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return version;
    }
}

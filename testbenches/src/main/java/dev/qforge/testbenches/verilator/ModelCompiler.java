package dev.qforge.testbenches.verilator;

import dev.qforge.dsl.Design;
import dev.qforge.testbenches.cache.CacheKey;
import dev.qforge.testbenches.cache.ModelCache;
import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.process.Tools;
import org.apache.commons.io.FileUtils;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds Verilator models through a {@link ModelCache}: {@code verilator --cc --exe --build} runs
 * in the cache's staging folder with relative paths, so the generated C++ does not depend on where
 * it was built and ccache (used when installed) hits across builds. The cache key covers the
 * sources, the flags, {@code verilator --version} and the C++ compiler Verilator's makefiles call.
 */
public final class ModelCompiler {
    /**
     * Flags that change the model; part of the cache key. {@code --x-initial unique} lets a run
     * choose the power-up state of registers and memories (zeros unless told otherwise).
     */
    private static final List<String> FLAGS = List.of("--cc", "--exe", "--build", "-Wno-fatal", "--x-assign", "0", "--x-initial", "unique");
    private static final Pattern RELEVANT = Pattern.compile("%Error|%Warning|error:|Error \\d|undefined reference|fatal", Pattern.CASE_INSENSITIVE);
    /** The compiler line of Verilator's verilated.mk, e.g. {@code CXX = g++}. */
    private static final Pattern CXX = Pattern.compile("(?m)^CXX\\s*:?=\\s*(\\S+)\\s*$");
    private static final String CCACHE_LOG = "ccache-stats.log";
    /** Tool identities by verilator executable, asked once per JVM: they are part of every cache key. */
    private static final Map<Path, String> IDENTITIES = new ConcurrentHashMap<>();
    private static volatile ModelCompiler shared;

    /**
     * C++ optimisation for models that run long (benchmarks): Verilator's makefiles compile with
     * -Os, which builds fastest; -O3 for this very CPU builds slower and runs about a quarter faster
     * than -O2 (1.58 M vs 1.27 M cycles/s on the 16 x 16 array). What -march=native means on this
     * machine is part of the cache key, so a cache shared between machines never hands a model to
     * a CPU it was not built for.
     */
    private static final List<String> SPEED_FLAGS = List.of("-CFLAGS", "-march=native", "-MAKEFLAGS", "OPT_FAST=-O3",
            "-MAKEFLAGS", "OPT_GLOBAL=-O3");
    /** The instruction set -march=native selects, by C++ compiler, asked once per JVM. */
    private static final Map<String, String> NATIVE_TARGETS = new ConcurrentHashMap<>();

    private final ModelCache cache;
    private final boolean forSpeed;

    public ModelCompiler(ModelCache cache) {
        this(cache, false);
    }

    private ModelCompiler(ModelCache cache, boolean forSpeed) {
        this.cache = cache;
        this.forSpeed = forSpeed;
    }

    /** This compiler over the same cache, building models whose C++ is optimised for run time rather than build time. */
    public ModelCompiler forSpeed() {
        return new ModelCompiler(cache, true);
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
        List<String> flags = flags(traced, forSpeed);
        ModelCache.Entry entry = cache.get(key(verilator, flags, sources), staging -> build(verilator, flags, sources, staging));
        return new Model(this, sources, entry.dir().resolve("harness"), traced);
    }

    /** The cache key of the model of {@code sources}. */
    public String key(ModelSources sources, boolean traced) {
        return key(Tools.require("verilator"), flags(traced, forSpeed), sources);
    }

    private static List<String> flags(boolean traced, boolean forSpeed) {
        List<String> flags = new ArrayList<>(FLAGS);
        if (forSpeed) {
            flags.addAll(SPEED_FLAGS);
        }
        if (traced) {
            flags.add("--trace");
        }
        return flags;
    }

    private static String key(Path verilator, List<String> flags, ModelSources sources) {
        CacheKey key = new CacheKey().add("tools", IDENTITIES.computeIfAbsent(verilator, ModelCompiler::identity))
                .add("flags", String.join(" ", flags));
        if (flags.contains("-march=native")) {
            key.add("native", NATIVE_TARGETS.computeIfAbsent(cxx(verilator),
                    cxx -> toolOutput(List.of(cxx, "-march=native", "-Q", "--help=target"))));
        }
        sources.rtl().forEach((file, text) -> key.add("rtl/" + file, text));
        key.add("main.cpp", sources.main());
        return key.hex();
    }

    private void build(Path verilator, List<String> flags, ModelSources sources, Path staging) throws IOException {
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
        Path ccacheLog = staging.resolve(CCACHE_LOG);
        if (Tools.find("ccache").isPresent()) {
            env.put("OBJCACHE", "ccache");
            env.put("CCACHE_BASEDIR", staging.toString()); // paths inside the staging folder hash as relative
            env.put("CCACHE_STATSLOG", ccacheLog.toString()); // this build's hits and misses, for the summary
        }
        Duration timeout = Duration.ofSeconds(Long.getLong("qforge.verilator.timeout.seconds", 1800));
        Processes.Result r;
        try {
            r = Processes.run(cmd, staging, env, staging.resolve("build.log"), timeout);
        } catch (Processes.ToolTimeoutException e) {
            throw new ModelBuildException("building the Verilator model of " + sources.top() + ": " + e.getMessage()
                    + "\n(system property qforge.verilator.timeout.seconds sets the limit)");
        } finally {
            recordCompilerCache(ccacheLog);
        }
        if (r.exitCode() != 0) {
            throw new ModelBuildException("Verilator could not build the model of " + sources.top() + " (exit code " + r.exitCode() + "):\n"
                    + relevant(r.output()));
        }
        Files.move(staging.resolve("obj").resolve("harness"), staging.resolve("harness"), StandardCopyOption.ATOMIC_MOVE);
        FileUtils.deleteDirectory(staging.resolve("obj").toFile()); // object files: ccache keeps what is worth keeping
    }

    /** Counts the compiles in a ccache stats log (one "# file" record each) that were hits and misses. */
    private void recordCompilerCache(Path log) {
        if (!Files.isRegularFile(log)) {
            return;
        }
        try {
            int hits = 0;
            int misses = 0;
            for (String record : Files.readString(log, StandardCharsets.UTF_8).split("(?m)^# ")) {
                if (record.contains("\ndirect_cache_hit") || record.contains("\npreprocessed_cache_hit")) {
                    hits++;
                } else if (record.contains("\ncache_miss")) {
                    misses++;
                }
            }
            cache.recordCompilerCache(hits, misses);
            Files.delete(log);
        } catch (IOException e) {
            // the statistics are informative only
        }
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

    /** {@code verilator --version} and the version of the C++ compiler its makefiles call. */
    private static String identity(Path verilator) {
        String cxx = cxx(verilator);
        return toolOutput(List.of(verilator.toString(), "--version")) + "\nCXX = " + cxx + "\n" + toolOutput(List.of(cxx, "--version"));
    }

    /** The C++ compiler named in Verilator's {@code verilated.mk} (its makefiles call that one, whatever {@code CXX} the environment sets). */
    private static String cxx(Path verilator) {
        Path mk = Path.of(toolOutput(List.of(verilator.toString(), "--getenv", "VERILATOR_ROOT")), "include", "verilated.mk");
        try {
            Matcher m = CXX.matcher(Files.readString(mk, StandardCharsets.UTF_8));
            if (!m.find()) {
                throw new ModelBuildException("cannot tell which C++ compiler Verilator uses: no 'CXX = ...' line in " + mk);
            }
            return m.group(1);
        } catch (IOException e) {
            throw new ModelBuildException("cannot tell which C++ compiler Verilator uses: cannot read " + mk + ": " + e.getMessage());
        }
    }

    private static String toolOutput(List<String> cmd) {
        try {
            return Processes.output(cmd);
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new ModelBuildException(e.getMessage());
        }
    }
}

package dev.qforge.testbenches.verilator;

import java.nio.file.Files;
import java.nio.file.Path;

/** A built Verilator model: its executable and the sources it was built from. */
public final class Model {
    private final ModelCompiler compiler;
    private final ModelSources sources;
    private final boolean traced;
    private volatile Path binary;

    Model(ModelCompiler compiler, ModelSources sources, Path binary, boolean traced) {
        this.compiler = compiler;
        this.sources = sources;
        this.binary = binary;
        this.traced = traced;
    }

    public PortLayout layout() { return sources.layout(); }
    public ModelSources sources() { return sources; }

    /**
     * The harness executable. The cache may have evicted it since this model was looked up (to keep
     * within its size bound, for another JVM's build): then it is looked up, or built, again.
     */
    public Path binary() {
        Path b = binary;
        if (!Files.isExecutable(b)) {
            b = compiler.compile(sources, traced).binary;
            binary = b;
        }
        return b;
    }

    /** The same model built with waveform tracing (from the cache when built before). */
    public Model traced() {
        return traced ? this : compiler.compile(sources, true);
    }

    public Simulator start(SimOptions options) {
        return new Simulator(this, options);
    }

    public Simulator start() {
        return start(SimOptions.defaults());
    }
}

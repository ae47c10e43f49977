package dev.qforge.testbenches.verilator;

import java.nio.file.Path;

/** A built Verilator model: its executable and the sources it was built from. */
public final class Model {
    private final ModelCompiler compiler;
    private final ModelSources sources;
    private final Path binary;
    private final boolean traced;

    Model(ModelCompiler compiler, ModelSources sources, Path binary, boolean traced) {
        this.compiler = compiler;
        this.sources = sources;
        this.binary = binary;
        this.traced = traced;
    }

    public PortLayout layout() { return sources.layout(); }
    public ModelSources sources() { return sources; }
    public Path binary() { return binary; }
    public boolean isTraced() { return traced; }

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

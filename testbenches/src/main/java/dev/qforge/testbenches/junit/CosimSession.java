package dev.qforge.testbenches.junit;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.Module;
import dev.qforge.testbenches.verilator.Model;
import dev.qforge.testbenches.verilator.ModelCompiler;
import dev.qforge.testbenches.verilator.SimOptions;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Injected into {@link Cosim} tests: builds models through the shared cache and opens simulators
 * whose VCDs are named after the test; closes them when the test ends.
 */
public final class CosimSession implements ExtensionContext.Store.CloseableResource {
    private final Path waveDir;
    private final String waveName;
    private final List<Simulator> open = new ArrayList<>();

    CosimSession(Path waveDir, String waveName) {
        this.waveDir = waveDir;
        this.waveName = waveName;
    }

    /** Options naming the VCD after this test and recording the seed for failure messages. */
    public SimOptions options(long seed) {
        return SimOptions.defaults().withWaves(waveDir, waveName).withSeed(seed);
    }

    /** The model of {@code top} (elaborated, built or found in the cache). */
    public Model model(Module top) {
        return ModelCompiler.shared().model(Design.elaborate(top));
    }

    /** A simulator for a directed test. */
    public Simulator open(Module top) {
        return open(model(top), SimOptions.defaults().withWaves(waveDir, waveName));
    }

    /** A simulator for a test with random stimulus from {@code seed}. */
    public Simulator open(Module top, long seed) {
        return open(model(top), options(seed));
    }

    public Simulator open(Model model, SimOptions options) {
        Simulator sim = model.start(options);
        open.add(sim);
        return sim;
    }

    @Override
    public void close() {
        open.forEach(Simulator::close);
    }
}

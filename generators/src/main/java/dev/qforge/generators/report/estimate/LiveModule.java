package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.check.Drivers;

/**
 * What the estimator reads of one module the same way for every target: who drives what, which
 * bits are live and which compares are write-address decoders. Built once per module and shared by
 * its model on each target, since finding the live bits is the costliest pass on a large array.
 */
public final class LiveModule {
    private final Module module;
    private final Drivers drivers;
    private final Liveness liveness;
    private final Decoders decoders;

    /** {@code drivers} are the module's own, as its elaboration built them ({@code Design.drivers}). */
    public LiveModule(Module module, Drivers drivers) {
        this.module = module;
        this.drivers = drivers;
        this.liveness = new Liveness(module, drivers);
        this.decoders = new Decoders(liveness);
    }

    Module module() { return module; }
    Drivers drivers() { return drivers; }
    Liveness liveness() { return liveness; }
    Decoders decoders() { return decoders; }
}

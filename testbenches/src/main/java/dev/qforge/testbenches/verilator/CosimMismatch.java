package dev.qforge.testbenches.verilator;

import java.nio.file.Path;

/**
 * The RTL disagreed with the golden model. The message names the module, port, cycle, expected
 * and actual values, the seed that reproduces the run and the VCD that shows it.
 */
public final class CosimMismatch extends AssertionError {
    private final transient Path vcd;
    private final Long seed;
    private final long cycle;
    private final String port;

    CosimMismatch(String message, Path vcd, Long seed, long cycle, String port) {
        super(message);
        this.vcd = vcd;
        this.seed = seed;
        this.cycle = cycle;
        this.port = port;
    }

    /** The waveform of the failing run, or null when none could be written. */
    public Path vcd() { return vcd; }
    /** The seed of the run, or null for a directed test. */
    public Long seed() { return seed; }
    public long cycle() { return cycle; }
    public String port() { return port; }
}

package dev.qforge.cli;

import dev.qforge.testbenches.bench.CosimBench;

/**
 * {@code qforge bench cosim --n N}: streams random matrix tiles through the N x N systolic array in
 * Verilator, driven from Java and from a pure C++ loop, and prints both speeds and their ratio.
 */
final class CosimBenchCommand {
    private CosimBenchCommand() { }

    static int run(Args args) {
        int n = args.integer("--n", 16, 1, 256);
        args.requireAllRead();
        return CosimBench.run(n);
    }
}

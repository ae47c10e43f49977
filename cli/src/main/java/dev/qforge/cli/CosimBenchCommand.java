package dev.qforge.cli;

import dev.qforge.testbenches.bench.CosimBench;

/**
 * {@code qforge bench cosim --n N [--rounds R]}: streams random matrix tiles through the N x N
 * systolic array in Verilator, driven from Java and from a pure C++ loop taking turns for R rounds,
 * and prints both best speeds and their ratio.
 */
final class CosimBenchCommand {
    private CosimBenchCommand() { }

    static int run(Args args) {
        int n = args.integer("--n", 16, 1, 256);
        int rounds = args.integer("--rounds", 8, 1, 100);
        args.requireAllRead();
        return CosimBench.run(n, rounds);
    }
}

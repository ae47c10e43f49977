package dev.qforge.testbenches.verilator;

import dev.qforge.dsl.Design;
import dev.qforge.lib.Counter;

/**
 * A JVM for {@link OrphanTest}: starts a harness, prints its pid, then waits to be killed: idle, or
 * (with argument {@code busy}) inside a step of two billion cycles, which keeps the harness from
 * reading its stdin for minutes.
 */
public final class OpenSimulatorMain {
    private OpenSimulatorMain() { }

    public static void main(String[] args) throws InterruptedException {
        Simulator sim = ModelCompiler.shared().model(Design.elaborate(new Counter(8))).start();
        sim.reset();
        System.out.println("harness=" + sim.pid());
        System.out.flush();
        if (args.length > 0 && args[0].equals("busy")) {
            sim.step(2_000_000_000);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}

package dev.qforge.testbenches.verilator;

import dev.qforge.dsl.Design;
import dev.qforge.lib.Counter;

/** A JVM for {@link OrphanTest}: starts a harness, prints its pid, then waits to be killed. */
public final class OpenSimulatorMain {
    private OpenSimulatorMain() { }

    public static void main(String[] args) throws InterruptedException {
        Simulator sim = ModelCompiler.shared().model(Design.elaborate(new Counter(8))).start();
        sim.reset();
        System.out.println("harness=" + sim.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

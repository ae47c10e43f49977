package dev.qforge.testbenches.verilator;

import dev.qforge.dsl.Design;
import dev.qforge.lib.Counter;
import dev.qforge.testbenches.cache.ModelCache;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.process.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Harness crashes, hangs and compile errors become clear exceptions, never hangs or orphans. */
@Cosim
class FaultTest {
    @TempDir
    Path scratch;

    @Test
    void harnessKilledMidRun(CosimSession cosim) {
        Simulator sim = cosim.open(new Counter(8));
        sim.reset();
        long pid = sim.pid();
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        try {
            killer.schedule(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly), 300, TimeUnit.MILLISECONDS);
            HarnessException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(HarnessException.class, () -> sim.step(2_000_000_000)));
            assertTrue(e.getMessage().contains("harness of Counter_w8 (pid " + pid + ") was killed by signal 9 (SIGKILL) while stepping"),
                    e.getMessage());
        } finally {
            killer.shutdownNow();
        }
        assertNoProcess(pid);
    }

    @Test
    void silentHarnessIsKilledAfterTheTimeout(CosimSession cosim) throws Exception {
        Simulator sim = cosim.open(cosim.model(new Counter(8)), cosim.options(1).withTimeout(Duration.ofSeconds(1)));
        sim.reset();
        long pid = sim.pid();
        assertTrue(new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor() == 0);
        HarnessException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(HarnessException.class, () -> sim.step(1)));
        assertTrue(e.getMessage().contains("did not answer for 1 s and was killed while stepping 1 cycles"), e.getMessage());
        assertNoProcess(pid);
    }

    @Test
    void crashReportsTheTailOfStderr(CosimSession cosim) {
        String crashing = """
                #include <cstdio>
                #include <cstdlib>
                #include <unistd.h>
                int main() {
                    char op;
                    if (read(0, &op, 1) == 1) std::fprintf(stderr, "harness: internal error on command %c\\n", op);
                    std::abort();
                }
                """;
        Model model = ModelCompiler.shared().compile(ModelSources.of(Design.elaborate(new Counter(8))).withMain(crashing), false);
        Simulator sim = cosim.open(model, cosim.options(1));
        HarnessException e = assertThrows(HarnessException.class, () -> sim.step(1));
        assertTrue(e.getMessage().contains("was killed by signal 6 (SIGABRT) while stepping 1 cycles; last lines of its stderr:\n"
                + "  harness: internal error on command S"), e.getMessage());
        assertNoProcess(sim.pid());
    }

    /** Builds that must really run (and fail): a fresh temporary cache, which the summary counts apart from the shared cache. */
    private ModelCompiler scratchCompiler() {
        return new ModelCompiler(new ModelCache(scratch.resolve("cache"), Long.MAX_VALUE));
    }

    @Test
    void verilogErrorCarriesVerilatorsMessage() {
        ModelSources good = ModelSources.of(Design.elaborate(new Counter(8)));
        ModelSources broken = new ModelSources(good.layout(), Map.of("Counter_w8.v", "module Counter_w8(input wire clk);\n  wire x = ;\nendmodule\n"),
                good.main());
        ModelBuildException e = assertThrows(ModelBuildException.class, () -> scratchCompiler().compile(broken, false));
        assertTrue(e.getMessage().startsWith("Verilator could not build the model of Counter_w8"), e.getMessage());
        assertTrue(e.getMessage().contains("%Error: src/Counter_w8.v:2"), e.getMessage());
    }

    @Test
    void cppErrorCarriesTheCompilerMessage() {
        ModelSources broken = ModelSources.of(Design.elaborate(new Counter(8))).withMain("int main() { return no_such_symbol; }\n");
        ModelBuildException e = assertThrows(ModelBuildException.class, () -> scratchCompiler().compile(broken, false));
        assertTrue(e.getMessage().contains("error: 'no_such_symbol' was not declared"), e.getMessage());
    }

    /** A build that hangs is killed with its children when qforge.verilator.timeout.seconds runs out. */
    @Test
    void hangingBuildIsKilledAtTheTimeout() throws Exception {
        Path real = Tools.require("verilator");
        Path fake = scratch.resolve("verilator");
        // Answers the identity questions like the real one, then "builds" forever in a child process.
        Files.writeString(fake, "#!/bin/sh\ncase \"$1\" in --version|--getenv) exec '" + real + "' \"$@\";; esac\nsleep 3141\n");
        assertTrue(fake.toFile().setExecutable(true));
        System.setProperty("qforge.verilator", fake.toString());
        System.setProperty("qforge.verilator.timeout.seconds", "1");
        try {
            ModelBuildException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> assertThrows(ModelBuildException.class, () -> scratchCompiler().model(Design.elaborate(new Counter(8)))));
            assertTrue(e.getMessage().startsWith("building the Verilator model of Counter_w8: " + fake + " did not finish within 1 s and was killed"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("system property qforge.verilator.timeout.seconds sets the limit"), e.getMessage());
        } finally {
            System.clearProperty("qforge.verilator");
            System.clearProperty("qforge.verilator.timeout.seconds");
        }
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains("sleep 3141")),
                "the build's child process was killed too");
    }

    /** The process is gone and is no descendant of this JVM. */
    private static void assertNoProcess(long pid) {
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "harness " + pid + " still runs");
        assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.pid() == pid), "harness " + pid + " left behind");
    }
}

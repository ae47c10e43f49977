package dev.qforge.testbenches.junit;

import dev.qforge.testbenches.process.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

class CosimExtensionTest {
    /** Run only through the launcher below, with verilator made to look missing. */
    @Cosim
    static class NeedsVerilator {
        @Test
        void body() {
            throw new AssertionError("must not run without verilator");
        }
    }

    @AfterEach
    void restore() {
        System.clearProperty("qforge.verilator");
        System.clearProperty("qforge.iverilog");
        System.clearProperty("qforge.vvp");
    }

    @Test
    void missingToolsSkipLocallyAndFailUnderCi() {
        assertEquals(CosimExtension.Decision.RUN, CosimExtension.decide(List.of(), "true"));
        assertEquals(CosimExtension.Decision.SKIP, CosimExtension.decide(List.of("verilator"), null));
        assertEquals(CosimExtension.Decision.SKIP, CosimExtension.decide(List.of("verilator"), "false"));
        assertEquals(CosimExtension.Decision.FAIL, CosimExtension.decide(List.of("verilator"), "true"));
    }

    @Test
    void skipMessageNamesThePackagesOfTheMissingTools() {
        assertEquals("yosys and vvp were not found on the PATH, so these co-simulation tests cannot run; "
                        + "install them with 'sudo apt-get install yosys iverilog', or " + Tools.INSTALL_HINT,
                CosimExtension.missingMessage(List.of("yosys", "vvp")));
        assertTrue(Tools.INSTALL_HINT.contains("scripts/setup-tools.sh"), Tools.INSTALL_HINT);
    }

    /** A tool whose path a system property sets is reported at that path, not as missing from the PATH. */
    @Test
    void skipMessageNamesAnOverriddenPath() {
        System.setProperty("qforge.verilator", "/nonexistent/verilator");
        assertEquals(List.of("verilator"), Tools.missing(List.of("verilator")));
        assertEquals("verilator was not found at /nonexistent/verilator (system property qforge.verilator), so these co-simulation tests "
                + "cannot run; install it with 'sudo apt-get install verilator', or " + Tools.INSTALL_HINT, CosimExtension.missingMessage(List.of("verilator")));
    }

    /** Icarus needs both of its executables. */
    @Test
    void iverilogImpliesVvp() {
        System.setProperty("qforge.iverilog", "/bin/sh"); // any executable
        System.setProperty("qforge.vvp", "/nonexistent/vvp");
        assertEquals(List.of("vvp"), Tools.missing(List.of("iverilog")));
    }

    /** The real extension on a real test class: skipped here, failed when this JVM runs under CI=true. */
    @Test
    void withoutVerilatorATestIsSkippedOrFailsUnderCi() {
        System.setProperty("qforge.verilator", "/nonexistent/verilator");
        List<String> events = new ArrayList<>();
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(NeedsVerilator.class)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionSkipped(TestIdentifier id, String reason) {
                        events.add("skipped: " + reason);
                    }

                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest()) {
                            events.add(result.getStatus() + ": " + result.getThrowable().map(Throwable::getMessage).orElse(""));
                        }
                    }
                });
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        String expected = (ci ? "FAILED: " : "skipped: ") + CosimExtension.missingMessage(List.of("verilator"))
                + (ci ? " (CI=true: failing instead of skipping)" : "");
        assertEquals(List.of(expected), events);
    }
}

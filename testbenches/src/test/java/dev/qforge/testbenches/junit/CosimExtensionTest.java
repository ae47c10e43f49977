package dev.qforge.testbenches.junit;

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
    }

    @Test
    void missingToolsSkipLocallyAndFailUnderCi() {
        assertEquals(CosimExtension.Decision.RUN, CosimExtension.decide(List.of(), "true"));
        assertEquals(CosimExtension.Decision.SKIP, CosimExtension.decide(List.of("verilator"), null));
        assertEquals(CosimExtension.Decision.SKIP, CosimExtension.decide(List.of("verilator"), "false"));
        assertEquals(CosimExtension.Decision.FAIL, CosimExtension.decide(List.of("verilator"), "true"));
    }

    @Test
    void skipMessageNamesTheInstallCommand() {
        String m = CosimExtension.missingMessage(List.of("verilator", "iverilog"));
        assertTrue(m.startsWith("verilator and iverilog were not found on the PATH"), m);
        assertTrue(m.contains("sudo apt-get install verilator") && m.contains("./qforge test"), m);
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

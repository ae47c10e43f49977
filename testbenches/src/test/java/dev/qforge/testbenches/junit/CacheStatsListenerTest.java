package dev.qforge.testbenches.junit;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CacheStatsListenerTest {
    private static final String SUMMARY = "qforge verilator model cache /c: 54 hits, 0 builds\n";

    private static String printed(String summary, boolean ccache) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new CacheStatsListener(new PrintStream(buf, true, StandardCharsets.UTF_8), () -> summary, ccache).testPlanExecutionFinished(null);
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheSummaryAsItIsAtTheEndOfTheRun() {
        assertEquals(SUMMARY, printed(SUMMARY, true));
    }

    @Test
    void saysWhenCcacheIsMissing() {
        assertEquals(SUMMARY + "qforge: ccache is not installed, so every model build compiles all of its C++; "
                + "install it with 'sudo apt-get install ccache', or in a qforge checkout, 'bash scripts/setup-tools.sh' installs every HDL tool "
                + "qforge uses ('./qforge test' runs it before the tests)\n", printed(SUMMARY, false));
    }

    @Test
    void staysSilentWhenNoModelCacheWasUsed() {
        assertEquals("", printed("", false));
    }

    /** Registered as a service of the artifact, so every test run with qforge-testbenches on its class path prints the line. */
    @Test
    void isRegisteredForTheLauncher() {
        assertTrue(ServiceLoader.load(org.junit.platform.launcher.TestExecutionListener.class).stream()
                .anyMatch(p -> p.type() == CacheStatsListener.class));
    }
}

package dev.qforge.testbenches.junit;

import dev.qforge.testbenches.cache.ModelCache;
import dev.qforge.testbenches.process.Tools;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * Prints, at the end of the test run, how many Verilator models were built and how many came from
 * the cache ({@link ModelCache#summary()}). Registered as a service, so every test run that has
 * qforge-testbenches on its class path prints it. It writes to the JVM's own stderr: Surefire
 * captures System.out/err into report files, where nobody would see the line, and passes the forked
 * JVM's own stderr through to the console unchanged.
 */
public final class CacheStatsListener implements TestExecutionListener {
    private final PrintStream out;
    private final Supplier<String> summary;
    private final boolean ccacheInstalled;

    public CacheStatsListener() {
        this(new PrintStream(new FileOutputStream(FileDescriptor.err), true), ModelCache::summary, Tools.find("ccache").isPresent());
    }

    CacheStatsListener(PrintStream out, Supplier<String> summary, boolean ccacheInstalled) {
        this.out = out;
        this.summary = summary;
        this.ccacheInstalled = ccacheInstalled;
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        String s = summary.get();
        if (!s.isEmpty()) {
            out.print(s);
            if (!ccacheInstalled) {
                out.println("qforge: ccache is not installed, so every model build compiles all of its C++; " + Tools.installHint(List.of("ccache")));
            }
            out.flush();
        }
    }
}

package dev.qforge.testbenches.junit;

import dev.qforge.testbenches.cache.ModelCache;
import dev.qforge.testbenches.process.Tools;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;

/**
 * Prints, at the end of the test run, how many Verilator models were built and how many came from
 * the cache. It writes to the JVM's own stderr: Surefire captures System.out/err into report files,
 * where nobody would see the line.
 */
public final class CacheStatsListener implements TestExecutionListener {
    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        String summary = ModelCache.summary();
        if (!summary.isEmpty()) {
            String ccache = Tools.find("ccache").isPresent() ? " (ccache on)\n" : " (ccache not installed)\n";
            new PrintStream(new FileOutputStream(FileDescriptor.err), true).print(summary.replace("\n", ccache));
        }
    }
}

package dev.qforge.cli;

import dev.qforge.dsl.Design;
import dev.qforge.lib.SystolicArray;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * {@code qforge bench elaborate --n N}: elaborates and emits an N x N weight-stationary array of
 * int8 MAC PEs and prints the wall time of elaboration + emission, the peak heap and the size.
 */
final class ElaborateBench {
    private ElaborateBench() { }

    static int run(Args args) {
        int n = args.integer("--n", 128, 1, 1024);
        Path out = Path.of(args.string("-o", "rtl-out/bench-elaborate-n" + n));
        resetPeaks();
        long t0 = System.nanoTime();
        Design design = Design.elaborate(new SystolicArray(n, n, 8, 8, 32));
        design.write(out);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long heapMb = peakHeapBytes() / (1024 * 1024);
        System.out.println("elaborate n=" + n + " pes=" + (long) n * n + " ms=" + ms + " heap_mb=" + heapMb
                + " verilog_lines=" + design.lineCount() + " out=" + out);
        return 0;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}

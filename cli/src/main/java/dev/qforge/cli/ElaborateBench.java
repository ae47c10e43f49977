package dev.qforge.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.qforge.dsl.Design;
import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.lib.SystolicArray;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code qforge bench elaborate --n N}: elaborates and emits an N x N weight-stationary array of
 * int8 MAC PEs and prints the wall time of elaboration + emission, the peak heap and the size.
 */
final class ElaborateBench {
    private ElaborateBench() { }

    static int run(Args args) throws InterruptedException {
        int n = args.integer("--n", 128, 1, 1024);
        Path out = Path.of(args.folder("-o", "rtl-out/bench-elaborate-n" + n));
        boolean force = args.flag("--force");
        args.requireAllRead();
        Design design;
        long ms;
        long heapMb;
        try (PeakHeap heap = new PeakHeap()) {
            long t0 = System.nanoTime();
            design = Design.elaborate(new SystolicArray(n, n, 8, 8, 32));
            OutputFolder folder = OutputFolder.at(out, force);
            design.addTo(folder);
            folder.commit();
            ms = (System.nanoTime() - t0) / 1_000_000;
            heapMb = heap.peakBytes() / (1024 * 1024);
        }
        System.out.println("elaborate n=" + n + " pes=" + (long) n * n + " ms=" + ms + " heap_mb=" + heapMb
                + " verilog_lines=" + design.lineCount() + " out=" + out);
        return 0;
    }

    /**
     * The peak of the used heap while it is open. Between collections the used heap only grows, so
     * its peaks are the moments just before a collection: the JVM reports the heap at each pause's
     * start in a GC notification, and the used heap now covers the stretch since the last pause.
     * (Summing each pool's own peak instead overstates: the pools peak at different moments.)
     */
    static final class PeakHeap implements NotificationListener, AutoCloseable {
        private final Set<String> heapPools = new HashSet<>();
        private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        private final long collectionsBefore;
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong notified = new AtomicLong();

        PeakHeap() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            for (GarbageCollectorMXBean gc : collectors) {
                ((NotificationEmitter) gc).addNotificationListener(this, null, null);
            }
            collectionsBefore = collections();
            peak.set(usedHeap());
        }

        @Override
        public void handleNotification(Notification notification, Object handback) {
            if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long before = 0;
            for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
                if (heapPools.contains(e.getKey())) {
                    before += e.getValue().getUsed();
                }
            }
            peak.accumulateAndGet(before, Math::max);
            notified.incrementAndGet();
        }

        /** The peak so far; waits (up to a second) for notifications of collections that already ran. */
        long peakBytes() throws InterruptedException {
            long now = usedHeap();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (notified.get() < collections() - collectionsBefore && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            return Math.max(peak.get(), now);
        }

        private long collections() {
            long c = 0;
            for (GarbageCollectorMXBean gc : collectors) {
                c += Math.max(0, gc.getCollectionCount());
            }
            return c;
        }

        private static long usedHeap() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        @Override
        public void close() {
            for (GarbageCollectorMXBean gc : collectors) {
                try {
                    ((NotificationEmitter) gc).removeNotificationListener(this);
                } catch (ListenerNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}

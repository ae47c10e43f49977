package dev.qforge.testbenches.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache's bookkeeping, with stand-in builders that write files instead of running Verilator. */
class ModelCacheTest {
    private static final String A = "a".repeat(32);
    private static final String B = "b".repeat(32);
    private static final String C = "c".repeat(32);

    @TempDir
    Path root;

    private static ModelCache.Builder writes(int bytes, AtomicInteger calls) {
        return staging -> {
            calls.incrementAndGet();
            Files.write(staging.resolve("harness"), new byte[bytes]);
        };
    }

    @Test
    void countsHitsAndBuilds() {
        ModelCache cache = new ModelCache(root, Long.MAX_VALUE);
        AtomicInteger calls = new AtomicInteger();
        ModelCache.Entry first = cache.get(A, writes(10, calls));
        ModelCache.Entry second = cache.get(A, writes(10, calls));
        assertTrue(first.built());
        assertFalse(second.built());
        assertEquals(first.dir(), second.dir());
        assertTrue(Files.isRegularFile(first.dir().resolve("harness")));
        assertEquals(1, calls.get());
        assertEquals(1, cache.builds());
        assertEquals(1, cache.hits());
    }

    @Test
    void failedBuildPublishesNothing() throws IOException {
        ModelCache cache = new ModelCache(root, Long.MAX_VALUE);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cache.get(A, staging -> {
            Files.writeString(staging.resolve("half-written"), "x");
            throw new IllegalStateException("compiler exploded");
        }));
        assertEquals("compiler exploded", e.getMessage());
        assertFalse(Files.exists(root.resolve(A)));
        assertEquals(0, stagingFolders(), "the staging folder was removed");
        assertEquals(1, cache.failures());
        assertEquals(0, cache.builds());
    }

    /** Another process published the entry while this one built it, without taking the lock: its entry wins, as a hit. */
    @Test
    void losingThePublishRaceIsAHit() throws IOException {
        ModelCache cache = new ModelCache(root, Long.MAX_VALUE);
        ModelCache.Entry e = cache.get(A, staging -> {
            Files.writeString(staging.resolve("harness"), "ours");
            Path theirs = Files.createDirectories(root.resolve(A));
            Files.writeString(theirs.resolve("harness"), "theirs");
        });
        assertFalse(e.built());
        assertEquals("theirs", Files.readString(e.dir().resolve("harness")));
        assertEquals(1, cache.hits());
        assertEquals(0, cache.builds());
        assertEquals(0, cache.failures());
        assertEquals(0, stagingFolders(), "our staging folder was removed");
    }

    @Test
    void evictsTheLeastRecentlyUsedEntries() throws IOException {
        ModelCache cache = new ModelCache(root, 2500);
        AtomicInteger calls = new AtomicInteger();
        cache.get(A, writes(1000, calls));
        age(A, 300);
        cache.get(B, writes(1000, calls));
        age(B, 200);
        cache.get(A, writes(1000, calls)); // a hit makes A the most recently used
        cache.get(C, writes(1000, calls)); // 3000 bytes > 2500: B goes
        assertTrue(Files.isDirectory(root.resolve(A)));
        assertFalse(Files.exists(root.resolve(B)));
        assertTrue(Files.isDirectory(root.resolve(C)));
        assertEquals(3, calls.get());
        assertEquals(0, stagingFolders(), "the evicted entry was deleted, not parked");
    }

    /** Entries used seconds ago go too when the bound demands it: a test run stays within the bound. */
    @Test
    void theBoundHoldsEvenForEntriesUsedSecondsAgo() throws IOException {
        ModelCache cache = new ModelCache(root, 2500);
        AtomicInteger calls = new AtomicInteger();
        cache.get(A, writes(1000, calls));
        age(A, 20);
        cache.get(B, writes(1000, calls));
        age(B, 10);
        cache.get(C, writes(1000, calls));
        assertFalse(Files.exists(root.resolve(A)), "the least recently used of three entries used within the last minute");
        assertTrue(Files.isDirectory(root.resolve(B)));
        assertTrue(Files.isDirectory(root.resolve(C)));
        cache.get(A, writes(1000, calls)); // evicted, so built again
        assertEquals(4, calls.get());
    }

    @Test
    void anEntryLargerThanTheBoundIsKeptUntilTheNextBuild() {
        ModelCache cache = new ModelCache(root, 500);
        AtomicInteger calls = new AtomicInteger();
        ModelCache.Entry a = cache.get(A, writes(1000, calls));
        assertTrue(Files.isDirectory(a.dir()), "the entry just built is never evicted");
        cache.get(B, writes(1000, calls));
        assertFalse(Files.exists(root.resolve(A)));
        assertTrue(Files.isDirectory(root.resolve(B)));
    }

    /**
     * Other JVMs touch the stamps while an eviction sorts the entries: each stamp is read once, so
     * the sort sees fixed keys (a comparator reading the file system each time broke TimSort's
     * contract with enough entries).
     */
    @Test
    void evictionOrderReadsEachStampOnce() {
        List<Path> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            entries.add(root.resolve(String.format("%032x", i)));
        }
        Random touches = new Random(1);
        Map<Path, FileTime> firstRead = new HashMap<>();
        List<Path> order = ModelCache.leastRecentlyUsedFirst(entries, p -> {
            FileTime t = FileTime.fromMillis(touches.nextInt(1000)); // a different stamp at every read
            assertNull(firstRead.put(p, t), "stamp of " + p + " read twice");
            return t;
        });
        assertEquals(entries.size(), order.size());
        for (int i = 1; i < order.size(); i++) {
            assertTrue(firstRead.get(order.get(i - 1)).compareTo(firstRead.get(order.get(i))) <= 0, "ordered by the stamps as read");
        }
    }

    @Test
    void rejectsKeysThatAreNotHashes() {
        ModelCache cache = new ModelCache(root, Long.MAX_VALUE);
        assertThrows(IllegalArgumentException.class, () -> cache.get("../escape", staging -> { }));
    }

    /** The end-of-run summary: the shared cache first, then the self-test caches summed, with their C++ compiles. */
    @Test
    void summaryPutsTheSharedCacheFirstAndSumsTheSelfTestCaches() throws IOException {
        ModelCache headline = new ModelCache(root.resolve("shared"), Long.MAX_VALUE);
        ModelCache scratch1 = new ModelCache(root.resolve("t1"), Long.MAX_VALUE);
        ModelCache scratch2 = new ModelCache(root.resolve("t2"), Long.MAX_VALUE);
        ModelCache unused = new ModelCache(root.resolve("t3"), Long.MAX_VALUE);
        AtomicInteger calls = new AtomicInteger();
        headline.get(A, writes(1, calls));
        headline.get(A, writes(1, calls));
        headline.get(A, writes(1, calls));
        scratch1.get(A, writes(1, calls));
        scratch1.recordCompilerCache(7, 2);
        assertThrows(IllegalStateException.class, () -> scratch2.get(B, staging -> {
            throw new IllegalStateException("broken on purpose");
        }));
        assertEquals("qforge verilator model cache " + root.resolve("shared") + ": 2 hits, 1 builds\n"
                        + "qforge verilator model cache self-tests, in 2 fresh temporary folders (builds on purpose, not the suite's models): "
                        + "0 hits, 1 builds, 1 failed builds; C++ compiles: 7 from ccache, 2 compiled\n",
                ModelCache.summary(headline, List.of(headline, scratch1, scratch2, unused)));
        assertEquals("qforge verilator model cache " + root.resolve("shared") + ": 2 hits, 1 builds\n",
                ModelCache.summary(headline, List.of(headline, unused)), "no second line without self-tests");
        assertEquals("", ModelCache.summary(null, List.of(unused)), "nothing to say when no cache was used");
    }

    private long stagingFolders() throws IOException {
        try (var staging = Files.list(root.resolve(".staging"))) {
            return staging.count();
        }
    }

    private void age(String key, int seconds) throws IOException {
        Files.setLastModifiedTime(root.resolve(key).resolve(".last-used"), FileTime.from(Instant.now().minusSeconds(seconds)));
    }
}

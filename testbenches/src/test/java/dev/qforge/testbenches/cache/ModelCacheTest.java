package dev.qforge.testbenches.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        ModelCache cache = new ModelCache(root, Long.MAX_VALUE, Duration.ZERO);
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
        ModelCache cache = new ModelCache(root, Long.MAX_VALUE, Duration.ZERO);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cache.get(A, staging -> {
            Files.writeString(staging.resolve("half-written"), "x");
            throw new IllegalStateException("compiler exploded");
        }));
        assertEquals("compiler exploded", e.getMessage());
        assertFalse(Files.exists(root.resolve(A)));
        try (var staging = Files.list(root.resolve(".staging"))) {
            assertEquals(0, staging.count(), "the staging folder was removed");
        }
        assertEquals(1, cache.failures());
        assertEquals(0, cache.builds());
    }

    @Test
    void evictsTheLeastRecentlyUsedEntries() throws IOException {
        ModelCache cache = new ModelCache(root, 2500, Duration.ZERO);
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
    }

    @Test
    void recentlyUsedEntriesSurviveEviction() {
        ModelCache cache = new ModelCache(root, 1500, Duration.ofMinutes(10));
        AtomicInteger calls = new AtomicInteger();
        cache.get(A, writes(1000, calls));
        cache.get(B, writes(1000, calls)); // over the bound, but A may be in use by another JVM
        assertTrue(Files.isDirectory(root.resolve(A)));
        assertTrue(Files.isDirectory(root.resolve(B)));
    }

    @Test
    void rejectsKeysThatAreNotHashes() {
        ModelCache cache = new ModelCache(root, Long.MAX_VALUE, Duration.ZERO);
        assertThrows(IllegalArgumentException.class, () -> cache.get("../escape", staging -> { }));
    }

    private void age(String key, int seconds) throws IOException {
        Files.setLastModifiedTime(root.resolve(key).resolve(".last-used"), FileTime.from(Instant.now().minusSeconds(seconds)));
    }
}

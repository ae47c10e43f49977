package dev.qforge.testbenches.cache;

import org.apache.commons.io.FileUtils;
import org.apache.commons.io.file.PathUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A folder of built models, one sub-folder per content key. An entry is built in a staging folder
 * and published with an atomic rename, so a reader sees a whole entry or none. Builders of one key
 * serialise on a file lock (and a JVM-wide monitor, as file locks are per process), so concurrent
 * test JVMs build a model once. After each build the least recently used entries (never the one
 * just built) are removed until the folder fits its size bound. Eviction is safe at any time: it
 * renames an entry away before deleting it, a running harness keeps its deleted executable, and a
 * {@link dev.qforge.testbenches.verilator.Model} whose entry went away looks it up again.
 *
 * <p>Layout: {@code <root>/<key>/} entries (with a {@code .last-used} stamp),
 * {@code <root>/.locks/<key>.lock}, {@code <root>/.staging/}.
 */
public final class ModelCache {
    /** Fills a fresh, empty staging folder with the entry. */
    public interface Builder {
        void build(Path staging) throws IOException;
    }

    /** A published entry; {@code built} tells whether this call built it. */
    public record Entry(Path dir, boolean built) { }

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{32}");
    private static final String LAST_USED = ".last-used";
    private static final ConcurrentHashMap<String, Object> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final List<ModelCache> INSTANCES = new CopyOnWriteArrayList<>();
    private static volatile ModelCache shared;

    private final Path root;
    private final long maxBytes;
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger builds = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger waits = new AtomicInteger();
    private final AtomicInteger compilerCacheHits = new AtomicInteger();
    private final AtomicInteger compilerCacheMisses = new AtomicInteger();

    public ModelCache(Path root, long maxBytes) {
        this.root = root.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        INSTANCES.add(this);
    }

    /**
     * The per-user cache: folder from system property {@code qforge.verilator.cache}, env
     * {@code QFORGE_VERILATOR_CACHE}, else {@code ~/.cache/qforge/verilator}; bound from
     * {@code qforge.verilator.cache.mb} / {@code QFORGE_VERILATOR_CACHE_MB} (default 2048 MB).
     */
    public static ModelCache shared() {
        ModelCache c = shared;
        if (c == null) {
            synchronized (ModelCache.class) {
                if (shared == null) {
                    long mb = Long.parseLong(setting("qforge.verilator.cache.mb", "QFORGE_VERILATOR_CACHE_MB", "2048"));
                    shared = new ModelCache(Path.of(setting("qforge.verilator.cache", "QFORGE_VERILATOR_CACHE", defaultRoot().toString())),
                            mb * 1024 * 1024);
                }
                c = shared;
            }
        }
        return c;
    }

    private static String setting(String property, String env, String fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? fallback : v;
    }

    private static Path defaultRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("qforge").resolve("verilator");
    }

    public Path root() { return root; }
    /** Lookups answered by an existing entry (including one another JVM built while this one waited). */
    public int hits() { return hits.get(); }
    /** Entries this JVM built. */
    public int builds() { return builds.get(); }
    /** Builds that failed (nothing was published). */
    public int failures() { return failures.get(); }
    /** Lookups that waited for another process building the same entry. */
    public int waits() { return waits.get(); }

    /** Counts the C++ compiles of this cache's builds that ccache answered and those it had to run. */
    public void recordCompilerCache(int cacheHits, int cacheMisses) {
        compilerCacheHits.addAndGet(cacheHits);
        compilerCacheMisses.addAndGet(cacheMisses);
    }

    /** The entry for {@code key}, built with {@code builder} unless it is already published. */
    public Entry get(String key, Builder builder) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a cache key: " + key);
        }
        Path dir = root.resolve(key);
        if (Files.isDirectory(dir)) {
            return hit(dir);
        }
        try {
            Path lockFile = lockFile(key);
            synchronized (JVM_LOCKS.computeIfAbsent(lockFile.toString(), k -> new Object())) {
                try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = lock(ch, key)) {
                    if (Files.isDirectory(dir)) {
                        return hit(dir); // another JVM built it while this one waited
                    }
                    if (!build(key, dir, builder)) {
                        return hit(dir); // another process published it without the lock (an older qforge, a lock-less file system)
                    }
                }
            }
            evict(dir);
            return new Entry(dir, true);
        } catch (IOException e) {
            throw new UncheckedIOException("model cache " + root + ": " + e.getMessage(), e);
        }
    }

    /** The file whose lock its builders hold (a test can hold it to line up concurrent builders). */
    public Path lockFile(String key) throws IOException {
        return Files.createDirectories(root.resolve(".locks")).resolve(key + ".lock");
    }

    private FileLock lock(FileChannel ch, String key) throws IOException {
        FileLock lock = ch.tryLock();
        if (lock != null) {
            return lock;
        }
        waits.incrementAndGet();
        System.err.println("qforge model cache: waiting for another process building entry " + key + " in " + root);
        return ch.lock();
    }

    private Entry hit(Path dir) {
        hits.incrementAndGet();
        touch(dir);
        return new Entry(dir, false);
    }

    /** Builds and publishes the entry; false when another process published it first (its entry is kept). */
    private boolean build(String key, Path dir, Builder builder) throws IOException {
        Path staging = Files.createDirectories(root.resolve(".staging")).resolve(key + "-" + UUID.randomUUID());
        Files.createDirectory(staging);
        try {
            builder.build(staging);
            Files.writeString(staging.resolve(LAST_USED), "");
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot publish atomically inside " + root + ": " + e.getMessage(), e);
            } catch (FileSystemException e) {
                if (Files.isDirectory(dir)) {
                    return false; // rename(2) refuses to replace a folder with files in it
                }
                throw e;
            }
            builds.incrementAndGet();
            return true;
        } catch (IOException | RuntimeException | Error e) {
            failures.incrementAndGet();
            throw e;
        } finally {
            FileUtils.deleteDirectory(staging.toFile()); // gone already when published (then this does nothing)
        }
    }

    private static void touch(Path dir) {
        try {
            Files.setLastModifiedTime(dir.resolve(LAST_USED), FileTime.from(Instant.now()));
        } catch (IOException e) {
            // An entry evicted meanwhile, or a read-only cache: the stamp only orders eviction.
        }
    }

    /** Removes least recently used entries (never {@code keep}) until the cache fits its bound. */
    private void evict(Path keep) throws IOException {
        Path lockFile = root.resolve(".locks").resolve("evict.lock");
        synchronized (JVM_LOCKS.computeIfAbsent(lockFile.toString(), k -> new Object())) {
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                List<Path> entries = new ArrayList<>();
                long total = 0;
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
                    for (Path p : ds) {
                        if (KEY.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)) {
                            entries.add(p);
                            total += PathUtils.sizeOfDirectory(p);
                        }
                    }
                }
                removeAbandonedStaging();
                for (Path p : leastRecentlyUsedFirst(entries, ModelCache::lastUsed)) {
                    if (total <= maxBytes) {
                        break;
                    }
                    if (!p.equals(keep)) {
                        long s = PathUtils.sizeOfDirectory(p);
                        // Rename first: a reader sees the whole entry or nothing, never a half-deleted one.
                        Path trash = root.resolve(".staging").resolve("evicted-" + UUID.randomUUID());
                        Files.move(p, trash, StandardCopyOption.ATOMIC_MOVE);
                        FileUtils.deleteDirectory(trash.toFile());
                        total -= s;
                    }
                }
            }
        }
    }

    /** Staging folders of builds whose JVM died (a day old: no build takes that long). */
    private void removeAbandonedStaging() throws IOException {
        Path staging = root.resolve(".staging");
        if (!Files.isDirectory(staging)) {
            return;
        }
        Instant dayAgo = Instant.now().minus(Duration.ofDays(1));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(staging)) {
            for (Path p : ds) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(dayAgo)) {
                    FileUtils.deleteDirectory(p.toFile());
                }
            }
        }
    }

    /**
     * {@code entries} ordered by {@code lastUsed}, each read once before sorting: a hit in another
     * JVM touches a stamp at any time, and a sort whose keys change under it breaks ("Comparison
     * method violates its general contract").
     */
    static List<Path> leastRecentlyUsedFirst(List<Path> entries, Function<Path, FileTime> lastUsed) {
        record Stamped(Path entry, FileTime lastUsed) { }
        List<Stamped> stamped = new ArrayList<>();
        for (Path p : entries) {
            stamped.add(new Stamped(p, lastUsed.apply(p)));
        }
        stamped.sort(Comparator.comparing(Stamped::lastUsed));
        return stamped.stream().map(Stamped::entry).toList();
    }

    private static FileTime lastUsed(Path entry) {
        try {
            return Files.getLastModifiedTime(entry.resolve(LAST_USED));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /**
     * What the caches did in this JVM, for the end of a test run: the shared cache's line first (a
     * warm rerun says "0 builds"), then, summed on a second line, the throwaway caches that tests of
     * the cache itself create in fresh temporary folders, where building is the point. Empty when no
     * cache was used.
     */
    public static String summary() {
        return summary(shared, INSTANCES);
    }

    static String summary(ModelCache headline, List<ModelCache> caches) {
        StringBuilder sb = new StringBuilder();
        if (headline != null) {
            sb.append("qforge verilator model cache ").append(headline.root).append(": ").append(Counts.of(headline)).append('\n');
        }
        Counts scratch = new Counts(0, 0, 0, 0, 0);
        int folders = 0;
        for (ModelCache c : caches) {
            Counts n = Counts.of(c);
            if (c != headline && !n.isZero()) {
                scratch = scratch.plus(n);
                folders++;
            }
        }
        if (folders > 0) {
            sb.append("qforge verilator model cache self-tests, in ").append(folders).append(folders > 1 ? " fresh temporary folders" : " fresh temporary folder")
                    .append(" (builds on purpose, not the suite's models): ").append(scratch).append('\n');
        }
        return sb.toString();
    }

    private record Counts(int hits, int builds, int failures, int compilerCacheHits, int compilerCacheMisses) {
        static Counts of(ModelCache c) {
            return new Counts(c.hits(), c.builds(), c.failures(), c.compilerCacheHits.get(), c.compilerCacheMisses.get());
        }

        Counts plus(Counts o) {
            return new Counts(hits + o.hits, builds + o.builds, failures + o.failures, compilerCacheHits + o.compilerCacheHits,
                    compilerCacheMisses + o.compilerCacheMisses);
        }

        boolean isZero() {
            return hits + builds + failures == 0;
        }

        @Override
        public String toString() {
            int compiles = compilerCacheHits + compilerCacheMisses;
            return hits + " hits, " + builds + " builds" + (failures > 0 ? ", " + failures + " failed builds" : "")
                    + (compiles > 0 ? "; C++ compiles: " + compilerCacheHits + " from ccache, " + compilerCacheMisses + " compiled" : "");
        }
    }
}

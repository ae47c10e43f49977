package dev.qforge.fpga.synth;

import org.apache.commons.io.FileUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * Tool results kept by content hash under {@code ~/.cache/qforge/synth} (or the folder system
 * property {@code qforge.synthCache} names): one folder per key with the files a run produced. A
 * folder appears complete or not at all (written aside, then renamed), so concurrent runs are safe.
 */
public final class SynthCache {
    private final Path root;

    public SynthCache(Path root) {
        this.root = root;
    }

    public static SynthCache standard() {
        String override = System.getProperty("qforge.synthCache");
        return new SynthCache(override != null ? Path.of(override) : Path.of(System.getProperty("user.home"), ".cache", "qforge", "synth"));
    }

    /** SHA-256 over the parts, each length-prefixed so that no two part lists collide. */
    public static String key(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                byte[] b = p.getBytes(StandardCharsets.UTF_8);
                md.update((b.length + ":").getBytes(StandardCharsets.UTF_8));
                md.update(b);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The folder of {@code key}: on a miss, {@code produce} fills a fresh folder (the tool's working
     * folder) which is then published under the key.
     */
    public Path get(String key, Consumer<Path> produce) {
        Path done = root.resolve(key);
        if (Files.isDirectory(done)) {
            return done;
        }
        try {
            Files.createDirectories(root);
            Path work = Files.createTempDirectory(root, key.substring(0, Math.min(12, key.length())) + ".tmp");
            try {
                produce.accept(work);
            } catch (RuntimeException e) {
                FileUtils.deleteDirectory(work.toFile());
                throw e;
            }
            try {
                Files.move(work, done, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // rename(2) onto a folder another run published meanwhile fails with ENOTEMPTY, which
                // Java reports as a plain FileSystemException: the published entry is as good as ours
                FileUtils.deleteDirectory(work.toFile());
                if (!Files.isDirectory(done)) {
                    throw e;
                }
            }
            return done;
        } catch (IOException e) {
            throw new UncheckedIOException("synthesis cache " + root + ": " + e.getMessage(), e);
        }
    }
}

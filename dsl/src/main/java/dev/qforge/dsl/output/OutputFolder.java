package dev.qforge.dsl.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A folder qforge writes its outputs into without ever destroying what a user wrote there. Every
 * file qforge writes is listed with its SHA-256 in the folder's {@value #MANIFEST}; qforge replaces
 * or removes only a file listed there and unchanged since. Files are staged ({@link #put},
 * {@link #remove}), then {@link #commit} checks them all and refuses, naming every file in the
 * way, before it changes anything. It writes the new files into a temporary sibling folder and
 * moves them into place only when all are written, so a failure leaves the folder as it was.
 * Other files in the folder are left alone.
 */
public final class OutputFolder {
    /** The list of qforge's files in a folder: one {@code <sha256>  <file>} line each, sorted by file. */
    public static final String MANIFEST = ".qforge-manifest";
    private static final String MANIFEST_HEADER = "# files qforge wrote here, with their SHA-256; qforge replaces only these, "
            + "and only while unchanged";

    /** Files in the way: not written by qforge, or changed since; the message names every one. */
    public static final class Refused extends IllegalStateException {
        private final List<Path> files;

        Refused(String message, List<Path> files) {
            super(message, null);
            this.files = List.copyOf(files);
        }

        public List<Path> files() { return files; }
    }

    private final Path dir;
    private final boolean force;
    private final Map<String, byte[]> puts = new LinkedHashMap<>();
    private final Set<String> removes = new LinkedHashSet<>();
    private final Map<String, String> manifest;

    private OutputFolder(Path dir, boolean force) {
        this.dir = dir;
        this.force = force;
        this.manifest = readManifest(dir);
    }

    /** The folder {@code dir} (created on commit when needed); with {@code force}, files in the way are overwritten. */
    public static OutputFolder at(Path dir, boolean force) {
        return new OutputFolder(dir, force);
    }

    public static OutputFolder at(Path dir) {
        return at(dir, false);
    }

    public Path dir() { return dir; }

    /** Stages {@code content} as file {@code name} (a plain file name, no folders). */
    public OutputFolder put(String name, String content) {
        puts.put(requireFileName(name), content.getBytes(StandardCharsets.UTF_8));
        removes.remove(name);
        return this;
    }

    /** Stages binary {@code content} (a bitstream) as file {@code name}. */
    public OutputFolder put(String name, byte[] content) {
        puts.put(requireFileName(name), content.clone());
        removes.remove(name);
        return this;
    }

    /** Stages the removal of {@code name} if it is qforge's (an output of an earlier run that this one no longer has). */
    public OutputFolder remove(String name) {
        if (!puts.containsKey(requireFileName(name))) {
            removes.add(name);
        }
        return this;
    }

    /** The content of {@code name} when qforge wrote it and it is unchanged since. */
    public Optional<String> ownContent(String name) {
        Path f = dir.resolve(requireFileName(name));
        try {
            if (!manifest.containsKey(name) || !Files.isRegularFile(f)) {
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(f);
            return manifest.get(name).equals(sha256(bytes)) ? Optional.of(new String(bytes, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses, naming every one, the staged files that would replace or remove a file qforge did
     * not write or that changed since (unless forced). Call it early to fail before long work;
     * {@link #commit} calls it again.
     */
    public void check() {
        if (Files.exists(dir) && !Files.isDirectory(dir)) { // else the move out of the staging folder fails, naming that folder
            throw new UncheckedIOException(notAFolder(dir.toString()), new IOException("not a folder: " + dir));
        }
        List<Path> foreign = new ArrayList<>();
        List<Path> edited = new ArrayList<>();
        List<String> names = new ArrayList<>(puts.keySet());
        names.addAll(removes);
        for (String name : names) {
            Path f = dir.resolve(name);
            if (Files.isDirectory(f)) {
                throw new Refused("cannot write " + f + ": it is a folder", List.of(f));
            }
            if (force || !Files.exists(f)) {
                continue;
            }
            if (!manifest.containsKey(name)) {
                if (puts.containsKey(name)) {
                    foreign.add(f);
                }
            } else if (!manifest.get(name).equals(hashOf(f))) {
                edited.add(f);
            }
        }
        if (foreign.isEmpty() && edited.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("refusing to overwrite");
        if (!foreign.isEmpty()) {
            sb.append(' ').append(join(foreign)).append(foreign.size() == 1 ? ": qforge did not write it" : ": qforge did not write them");
        }
        if (!edited.isEmpty()) {
            sb.append(foreign.isEmpty() ? " " : "; nor ").append(join(edited))
                    .append(edited.size() == 1 ? ": it changed since qforge wrote it" : ": they changed since qforge wrote them");
        }
        List<Path> all = new ArrayList<>(foreign);
        all.addAll(edited);
        throw new Refused(sb.toString(), all);
    }

    /**
     * The problem of a file where an output folder goes, {@code given} as the user wrote it: worded once for the
     * Maven plugin ({@link #check}) and the command line, which names its option ({@code -o out}).
     */
    public static String notAFolder(String given) {
        return given + " is a file, not a folder; give a folder (it is created when missing)";
    }

    /**
     * Writes the staged files and removes the staged stale ones, after {@link #check}: all files are
     * written to a temporary sibling folder first, then moved into place; {@value #MANIFEST} last.
     * Returns the paths of the files written, in the order they were staged.
     */
    public List<Path> commit() {
        check();
        Path parent = dir.toAbsolutePath().getParent();
        Path staging = null;
        try {
            Files.createDirectories(parent);
            staging = Files.createTempDirectory(parent, "." + dir.getFileName() + ".qforge-");
            Map<String, String> next = new TreeMap<>(manifest);
            for (Map.Entry<String, byte[]> e : puts.entrySet()) {
                Files.write(staging.resolve(e.getKey()), e.getValue());
                next.put(e.getKey(), sha256(e.getValue()));
            }
            for (String name : removes) {
                next.remove(name);
            }
            next.keySet().removeIf(name -> !puts.containsKey(name) && !Files.exists(dir.resolve(name)));
            StringBuilder m = new StringBuilder(MANIFEST_HEADER).append('\n');
            next.forEach((name, hash) -> m.append(hash).append("  ").append(name).append('\n'));
            Files.writeString(staging.resolve(MANIFEST), m, StandardCharsets.UTF_8);

            if (!Files.exists(dir)) {
                move(staging, dir); // a new folder appears whole
                staging = null;
            } else {
                for (String name : puts.keySet()) {
                    move(staging.resolve(name), dir.resolve(name));
                }
                for (String name : removes) {
                    if (manifest.containsKey(name)) {
                        Files.deleteIfExists(dir.resolve(name));
                    }
                }
                move(staging.resolve(MANIFEST), dir.resolve(MANIFEST));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir + ": " + e, e);
        } finally {
            deleteTree(staging);
        }
        List<Path> written = new ArrayList<>();
        for (String name : puts.keySet()) {
            written.add(dir.resolve(name));
        }
        return written;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path p) {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the temporary folder " + p + ": " + e, e);
        }
    }

    /** The manifest's file -> hash; a folder without one has no qforge files. */
    private static Map<String, String> readManifest(Path dir) {
        Path f = dir.resolve(MANIFEST);
        Map<String, String> m = new TreeMap<>();
        if (!Files.isRegularFile(f)) {
            return m;
        }
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                int sep = line.indexOf("  ");
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (sep != 64 || line.substring(sep + 2).isBlank()) {
                    throw new IllegalStateException(f + " is damaged (line '" + line + "'); qforge cannot tell its files from yours there; "
                            + "remove it or choose another output folder");
                }
                m.put(line.substring(sep + 2), line.substring(0, sep));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
        return m;
    }

    private static String requireFileName(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..") || name.equals(MANIFEST)) {
            throw new IllegalArgumentException("'" + name + "' is not a file name qforge may write in an output folder");
        }
        return name;
    }

    private static String hashOf(Path f) {
        try {
            return sha256(Files.readAllBytes(f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String join(List<Path> files) {
        return String.join(", ", files.stream().map(Path::toString).toList());
    }
}

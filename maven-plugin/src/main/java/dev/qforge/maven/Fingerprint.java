package dev.qforge.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** SHA-256 fingerprints of the inputs of a generation, to skip work when nothing changed. */
final class Fingerprint {
    private Fingerprint() { }

    static String of(String... parts) {
        MessageDigest md = sha256();
        for (String p : parts) {
            md.update(p.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Content of class folders (every file), name, size and time of jars. */
    static String ofFiles(List<String> classpath) {
        MessageDigest md = sha256();
        for (String entry : classpath) {
            Path p = Path.of(entry);
            md.update(entry.getBytes(StandardCharsets.UTF_8));
            try {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> files = Files.walk(p)) {
                        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                            md.update(p.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                            md.update(Files.readAllBytes(f));
                        }
                    }
                } else if (Files.exists(p)) {
                    md.update((Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis()).getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read classpath entry " + p, e);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

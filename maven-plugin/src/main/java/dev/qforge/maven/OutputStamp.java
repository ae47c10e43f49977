package dev.qforge.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the last generation into a design folder was made from and what it wrote: a file
 * {@value #FILE} holding the fingerprint of the inputs on its first line, then the files written
 * (relative to the folder). The folder is up to date when the fingerprint is the same and every one
 * of those files is still there.
 */
final class OutputStamp {
    static final String FILE = ".qforge-inputs";

    private OutputStamp() { }

    static boolean isCurrent(Path dir, String inputs) throws IOException {
        Path stamp = dir.resolve(FILE);
        if (!Files.isRegularFile(stamp)) {
            return false;
        }
        List<String> lines = Files.readAllLines(stamp, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(inputs)) {
            return false;
        }
        for (String file : lines.subList(1, lines.size())) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                return false;
            }
        }
        return true;
    }

    /** Records {@code inputs} and the {@code written} files (inside {@code dir}). */
    static void write(Path dir, String inputs, List<Path> written) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(inputs);
        for (Path f : written) {
            lines.add(dir.relativize(f).toString());
        }
        Files.write(dir.resolve(FILE), lines, StandardCharsets.UTF_8);
    }
}

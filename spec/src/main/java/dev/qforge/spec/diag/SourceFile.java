package dev.qforge.spec.diag;

import java.util.List;

/**
 * A spec file's text as diagnostics quote it.
 *
 * @param name the path as the user gave it (diagnostics start with it)
 * @param text the whole file
 */
public record SourceFile(String name, String text) {
    /** Line {@code line} (1-based) without its line break, or "" past the end. */
    public String line(int line) {
        List<String> lines = text.lines().toList();
        return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
    }
}

package dev.qforge.spec.diag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the mistakes of a run, so that all of them are reported together. */
public final class Diagnostics {
    private final List<Diagnostic> found = new ArrayList<>();

    public void error(Location at, String message, Diagnostic.Note... notes) {
        found.add(new Diagnostic(at, message, List.of(notes)));
    }

    public boolean any() {
        return !found.isEmpty();
    }

    /** Throws every mistake found so far, by file (in the order the files were opened: the spec, then its imports) and position, if there is any. */
    public void throwIfAny() {
        if (any()) {
            List<Diagnostic> sorted = new ArrayList<>(found);
            sorted.sort(Comparator.comparingInt((Diagnostic d) -> order.indexOf(d.at().file().name()))
                    .thenComparingInt(d -> d.at().line()).thenComparingInt(d -> d.at().column()));
            throw new SpecException(sorted);
        }
    }

    private final List<String> order = new ArrayList<>();

    /** Files are reported in the order they were read. */
    public void read(SourceFile file) {
        order.add(file.name());
    }
}

package dev.qforge.spec.diag;

import java.util.List;

/** A spec with mistakes: every one found in one run, rendered as a compiler prints them. */
public final class SpecException extends RuntimeException {
    private final transient List<Diagnostic> diagnostics;

    public SpecException(List<Diagnostic> diagnostics) {
        super(render(diagnostics), null, false, false);
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    private static String render(List<Diagnostic> diagnostics) {
        StringBuilder sb = new StringBuilder();
        diagnostics.forEach(d -> sb.append(d.render()));
        return sb.append(diagnostics.size()).append(diagnostics.size() == 1 ? " error" : " errors").append('\n').toString();
    }
}

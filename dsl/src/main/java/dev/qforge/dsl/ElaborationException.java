package dev.qforge.dsl;

import java.util.List;

/**
 * A design error, reported at the user's source line. When the checks find several problems they
 * are all carried by one exception ({@link #diagnostics()}) so a user fixes them in one round.
 */
public class ElaborationException extends RuntimeException {
    private final transient List<Diagnostic> diagnostics;

    public ElaborationException(String message, SourceLocation where) {
        this(List.of(new Diagnostic(message, where)));
    }

    public ElaborationException(List<Diagnostic> diagnostics) {
        super(render(diagnostics), null, false, false);
        this.diagnostics = List.copyOf(diagnostics);
    }

    /**
     * {@code value}, or a located error saying that {@code what} is null: a Java null where the DSL
     * expects hardware, reported at the user's line instead of as a NullPointerException inside qforge.
     */
    public static <T> T requireNonNull(T value, String what) {
        return value != null ? value : requireNonNull(null, what, SourceLocation.capture());
    }

    /** {@link #requireNonNull(Object, String)} located at {@code at}, where the caller already holds the user's line. */
    public static <T> T requireNonNull(T value, String what, SourceLocation at) {
        if (value == null) {
            throw new ElaborationException(what + " is null", at);
        }
        return value;
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    private static String render(List<Diagnostic> diagnostics) {
        if (diagnostics.size() == 1) {
            return diagnostics.get(0).toString();
        }
        StringBuilder sb = new StringBuilder(diagnostics.size() + " design errors:");
        for (Diagnostic d : diagnostics) {
            sb.append("\n  ").append(d.toString().replace("\n", "\n  "));
        }
        return sb.toString();
    }
}

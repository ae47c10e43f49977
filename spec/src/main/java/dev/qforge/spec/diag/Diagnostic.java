package dev.qforge.spec.diag;

import java.util.List;

/**
 * One mistake in a spec: where, what, and the other places it involves (each with a note), e.g.
 * both ends of a connection whose streams differ.
 */
public record Diagnostic(Location at, String message, List<Note> notes) {
    public record Note(Location at, String message) { }

    public Diagnostic {
        notes = List.copyOf(notes);
    }

    /**
     * As a compiler prints it: {@code file:line:col: error: message}, the source line and a caret
     * under the spot, then each note the same way.
     */
    public String render() {
        StringBuilder sb = new StringBuilder();
        quote(sb, at, "error", message);
        for (Note n : notes) {
            quote(sb, n.at(), "note", n.message());
        }
        return sb.toString();
    }

    private static void quote(StringBuilder sb, Location at, String severity, String message) {
        sb.append(at).append(": ").append(severity).append(": ").append(message).append('\n');
        String gutter = Integer.toString(at.line());
        String source = at.file().line(at.line());
        sb.append(' ').append(gutter).append(" | ").append(source).append('\n');
        sb.append(' ').append(" ".repeat(gutter.length())).append(" | ");
        // keep tabs so the caret lines up under the same characters
        for (int i = 0; i < at.column() - 1 && i < source.length(); i++) {
            sb.append(source.charAt(i) == '\t' ? '\t' : ' ');
        }
        sb.append("^".repeat(Math.max(1, Math.min(at.length(), Math.max(1, source.length() - at.column() + 1))))).append('\n');
    }
}

package dev.qforge.dsl;

/**
 * One design error: what is wrong and where the user wrote it ({@code File.java:line: message}).
 * {@code subject} is the signal the message is about (null when there is none); errors that differ
 * only in their subject at the same line are reported once, with a count.
 */
public record Diagnostic(String message, SourceLocation where, Signal subject) {
    public Diagnostic(String message, SourceLocation where) {
        this(message, where, null);
    }

    @Override
    public String toString() {
        return where + ": " + message;
    }
}

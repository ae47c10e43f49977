package dev.qforge.dsl;

/** One design error: what is wrong and where the user wrote it ({@code File.java:line: message}). */
public record Diagnostic(String message, SourceLocation where) {
    @Override
    public String toString() {
        return where + ": " + message;
    }
}

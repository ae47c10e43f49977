package dev.qforge.spec.diag;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * A span in a spec file: 1-based line and column of its first character, and how many characters
 * the caret underlines (on that line).
 */
public record Location(SourceFile file, int line, int column, int length) {
    public static Location of(SourceFile file, Token t) {
        return new Location(file, t.getLine(), t.getCharPositionInLine() + 1, Math.max(1, t.getStopIndex() - t.getStartIndex() + 1));
    }

    /** From the first to the last token of {@code ctx}, cut at the end of its first line. */
    public static Location of(SourceFile file, ParserRuleContext ctx) {
        Token start = ctx.getStart();
        Token stop = ctx.getStop() != null && ctx.getStop().getStopIndex() >= start.getStartIndex() ? ctx.getStop() : start;
        int length = stop.getLine() == start.getLine() ? stop.getStopIndex() - start.getStartIndex() + 1
                : file.line(start.getLine()).length() - start.getCharPositionInLine();
        return new Location(file, start.getLine(), start.getCharPositionInLine() + 1, Math.max(1, length));
    }

    /** {@code file:line:col}. */
    @Override
    public String toString() {
        return file.name() + ":" + line + ":" + column;
    }
}

package dev.qforge.spec.parse;

import dev.qforge.generators.registry.DidYouMean;
import dev.qforge.spec.diag.Diagnostic;
import dev.qforge.spec.diag.Diagnostics;
import dev.qforge.spec.diag.Location;
import dev.qforge.spec.diag.SourceFile;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.tree.TerminalNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a spec file and the files it imports (each once, imports before the file that imports
 * them), collecting every syntax error through its own error listener: ANTLR prints nothing.
 */
public final class SpecReader {
    /** One parsed file. */
    public record Parsed(SourceFile source, QfParser.FileContext tree) { }

    private static final List<String> STATEMENT_KEYWORDS = List.of("import", "target", "board", "clock", "block", "workload");

    private final Diagnostics diagnostics;
    private final List<Parsed> files = new ArrayList<>();
    private final Set<Path> seen = new HashSet<>();

    private SpecReader(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** {@code file} and its imports, imports first; a file that cannot be read is an IOException. */
    public static List<Parsed> read(Path file, Diagnostics diagnostics) throws IOException {
        SpecReader r = new SpecReader(diagnostics);
        r.seen.add(file.toAbsolutePath().normalize());
        r.parse(new SourceFile(file.toString(), Files.readString(file)), file);
        return r.files;
    }

    /** A spec given as text (imports are read relative to the working directory). */
    public static List<Parsed> read(String name, String text, Diagnostics diagnostics) {
        SpecReader r = new SpecReader(diagnostics);
        r.parse(new SourceFile(name, text), Path.of(name));
        return r.files;
    }

    private void parse(SourceFile source, Path path) {
        diagnostics.read(source);
        QfLexer lexer = new QfLexer(CharStreams.fromString(source.text(), source.name()));
        Listener listener = new Listener(source);
        lexer.removeErrorListeners();
        lexer.addErrorListener(listener);
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill(); // a syntax error's words may look at the tokens after it
        QfParser parser = new QfParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(listener);
        parser.setErrorHandler(new KeepStatementEnds());
        QfParser.FileContext tree = parser.file();
        for (QfParser.StatementContext st : tree.statement()) {
            if (st instanceof QfParser.ImportStmtContext imp) {
                importFile(source, path, imp);
            }
        }
        files.add(new Parsed(source, tree));
    }

    private void importFile(SourceFile from, Path fromPath, QfParser.ImportStmtContext imp) {
        String quoted = imp.STRING().getText();
        String name = quoted.substring(1, quoted.length() - 1);
        Path dir = fromPath.toAbsolutePath().getParent();
        Path target = dir.resolve(name).normalize();
        if (!seen.add(target)) {
            return; // read once, wherever it is imported again (a cycle included)
        }
        Path shown = fromPath.getParent() == null ? Path.of(name) : fromPath.getParent().resolve(name).normalize();
        try {
            parse(new SourceFile(shown.toString(), Files.readString(target)), target);
        } catch (NoSuchFileException e) {
            diagnostics.error(Location.of(from, imp.STRING().getSymbol()), "cannot import \"" + name + "\": there is no file " + shown);
        } catch (IOException e) {
            diagnostics.error(Location.of(from, imp.STRING().getSymbol()), "cannot import \"" + name + "\": " + e.getMessage());
        }
    }

    /** Syntax errors as diagnostics at the offending token, in words a user reads (not ANTLR's token names). */
    private final class Listener extends BaseErrorListener {
        private final SourceFile source;

        Listener(SourceFile source) {
            this.source = source;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine, String msg,
                                RecognitionException e) {
            int length = offendingSymbol instanceof Token t && t.getType() != Token.EOF ? Math.max(1, t.getStopIndex() - t.getStartIndex() + 1) : 1;
            Location at = new Location(source, line, charPositionInLine + 1, length);
            if (!(recognizer instanceof Parser p && offendingSymbol instanceof Token t)) {
                diagnostics.error(at, "syntax: " + msg.replace("token recognition error at: ", "unexpected character "));
                return;
            }
            if (braceError(p, t, msg, source) || misspeltKeyword(p)) {
                return;
            }
            if (e instanceof NoViableAltException n && n.getStartToken().getText().equals("block") && n.getOffendingToken().getText().equals("=")) {
                // ANTLR says "no viable alternative at input 'block='"
                diagnostics.error(at, "syntax: the block has no name: write `block NAME = KIND(...);`");
                return;
            }
            boolean inStatement = !(p.getContext() instanceof QfParser.FileContext);
            if (!inStatement && t.getText().equals(";")) {
                diagnostics.error(at, "syntax: this ';' ends no statement: one too many");
                return;
            }
            IntervalSet expected = SyntaxWords.expected(p, e);
            // the one name a clock statement takes after its value is its unit
            String what = p.getContext() instanceof QfParser.ClockStmtContext && expected.equals(IntervalSet.of(QfParser.ID)) ? "the unit (MHz)"
                    : SyntaxWords.describe(expected, p.getVocabulary(), inStatement);
            Token before = t.getTokenIndex() > 0 ? p.getTokenStream().get(t.getTokenIndex() - 1) : null;
            // a statement that could end where its line does, and the next line's first word does not fit it: its ';' is missing
            boolean unended = before != null && before.getLine() < t.getLine() && expected.contains(p.getTokenType("';'"));
            if (before != null && (msg.startsWith("missing ") || unended)) {
                // a missing ';' belongs after the statement it ends, not at the next line's first word
                diagnostics.error(after(source, before), "syntax: missing " + (unended ? "';'" : what)
                        + " after '" + before.getText() + "'");
                return;
            }
            // '#' comments a line in Python, TCL and shell scripts
            diagnostics.error(at, "syntax: expected " + what + ", found " + SyntaxWords.found(t, expected)
                    + (t.getText().equals("#") ? " (a comment starts with //)" : ""));
        }

        /**
         * A statement whose first word is a keyword misspelt ({@code targt xc7z020;}, {@code blok l0 = ...}):
         * said as such, where ANTLR would say what the words read as some other statement lack. A
         * statement that starts with a name goes on with '=', 'in', '.' or '->' (a constant, a
         * sweep range, a connection); a layer's first word is its kind.
         */
        private boolean misspeltKeyword(Parser p) {
            ParserRuleContext st = p.getContext();
            while (st != null && !(st.getParent() instanceof QfParser.FileContext)) {
                st = st.getParent();
            }
            if (st == null || st.start.getType() != QfParser.ID
                    || Set.of("=", "in", ".", "->").contains(p.getTokenStream().get(st.start.getTokenIndex() + 1).getText())) {
                return false;
            }
            // keywords are lower case: Block is block, not clock
            String hint = DidYouMean.hint(st.start.getText().toLowerCase(Locale.ROOT), STATEMENT_KEYWORDS);
            if (hint.isEmpty()) {
                return false;
            }
            diagnostics.error(Location.of(source, st.start), "syntax: no statement starts with '" + st.start.getText() + "'" + hint);
            return true;
        }
    }

    /**
     * Errors about a workload's braces, said as such; true when {@code t} was one (reported, or
     * left unsaid as following from an earlier one). The file ending inside a workload, or a
     * statement no layer starts like ({@code workload}, {@code block}) within it: its '}' is
     * missing, whatever ANTLR expected there. A '}' between statements: it closes nothing; after
     * layers outside a workload it is the workload's own, closed early by a '}' too many, which the
     * checker reports at the first of those layers.
     */
    private boolean braceError(Parser p, Token t, String msg, SourceFile source) {
        boolean eof = t.getType() == Token.EOF;
        if (eof || msg.startsWith("missing '}'")) {
            QfParser.WorkloadStmtContext w = workload(p.getContext());
            TerminalNode open = w == null ? null : w.getToken(p.getTokenType("'{'"), 0);
            if (open == null) {
                return false;
            }
            diagnostics.error(Location.of(source, open.getSymbol()), "syntax: the workload " + (w.id.getTokenIndex() >= 0 ? "'" + w.id.getText() + "' " : "")
                    + "is not closed: a '}' is missing",
                    new Diagnostic.Note(after(source, p.getTokenStream().get(t.getTokenIndex() - 1)),
                            eof ? "the file ends here, inside the workload" : "the workload ends here, before the next statement"));
            return true;
        }
        if (t.getText().equals("}") && p.getContext() instanceof QfParser.FileContext f) {
            List<QfParser.StatementContext> before = f.statement();
            if (before.isEmpty() || !(before.get(before.size() - 1) instanceof QfParser.LayerStmtContext)) {
                diagnostics.error(Location.of(source, t), "syntax: this '}' closes nothing: no workload is open here");
            }
            return true;
        }
        return false;
    }

    /** The place just after {@code t}, on its line. */
    private static Location after(SourceFile source, Token t) {
        return new Location(source, t.getLine(), t.getCharPositionInLine() + t.getStopIndex() - t.getStartIndex() + 2, 1);
    }

    private static QfParser.WorkloadStmtContext workload(ParserRuleContext at) {
        for (ParserRuleContext c = at; c != null; c = c.getParent()) {
            if (c instanceof QfParser.WorkloadStmtContext w) {
                return w;
            }
        }
        return null;
    }
}

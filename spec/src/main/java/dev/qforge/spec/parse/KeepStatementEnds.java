package dev.qforge.spec.parse;

import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovery, reporting one syntax error per statement (or layer) and never joining two.
 * ANTLR reports again as soon as one token matches after an error, so the pieces of a broken
 * statement were each an error of their own; here the errors after the first wait until the
 * statement's ';' or a workload's brace. And inside a statement it never drops one of those as an
 * extraneous token: that joins two statements (in {@code hidden = 2 +;} the next line's
 * {@code block} would be read as a name and its declaration lost; a workload whose token count is
 * missing would drop its '{' and read its first layer's kind as the count), so every later line
 * would be an error too.
 */
final class KeepStatementEnds extends DefaultErrorStrategy {
    /** What ends a statement or opens or closes a workload. */
    private static final IntervalSet ENDS = new IntervalSet(SyntaxWords.literal("';'"), SyntaxWords.literal("'{'"), SyntaxWords.literal("'}'"));
    private static final IntervalSet STATEMENT_STARTS = QfParser._ATN.nextTokens(QfParser._ATN.ruleToStartState[QfParser.RULE_statement]);
    /** A syntax error was reported since the last statement end. */
    private boolean reported;
    private boolean stopAtEnds;
    /**
     * The line of the ';' (or brace) that ended the last statement with an error: what is left on
     * that line is the same slip's ({@code lanes = ;8}, {@code max-n: 256;)}), not reported again.
     */
    private int quietLine = -1;

    @Override
    protected Token singleTokenDeletion(Parser recognizer) {
        boolean end = ENDS.contains(recognizer.getCurrentToken().getType());
        if (!end) {
            return super.singleTokenDeletion(recognizer);
        }
        if (!(recognizer.getContext() instanceof QfParser.FileContext)) {
            return null;
        }
        // a stray ';' between statements: dropped, and the next statement is read afresh
        Token next = super.singleTokenDeletion(recognizer);
        reported = reported && next == null;
        return next;
    }

    /**
     * A workload's '}' is not made up where a layer goes wrong: the layers after it would be read
     * as statements, each an error; the workload is skipped to its own '}' instead. It is where a
     * statement starts that no layer can ({@code workload}, {@code block}): the '}' before it was
     * forgotten, and the statements after it are read as such.
     */
    @Override
    protected boolean singleTokenInsertion(Parser recognizer) {
        return (!"'}'".equals(recognizer.getVocabulary().getLiteralName(getExpectedTokens(recognizer).getMinElement())) || notALayer(recognizer))
                && super.singleTokenInsertion(recognizer);
    }

    /**
     * Left to the match that follows, where ANTLR makes up a missing token and reads on: a
     * workload's layers that end at a statement no layer starts like (its '}' is missing), and a
     * statement that could end where its line does and the next line's first word does not fit
     * (its ';' is missing: the next line is read afresh, not skipped as the broken statement's rest).
     */
    @Override
    public void sync(Parser recognizer) throws RecognitionException {
        if (!notALayer(recognizer) && !unended(recognizer)) {
            super.sync(recognizer);
        }
    }

    private static boolean unended(Parser recognizer) {
        Token at = recognizer.getCurrentToken();
        Token before = at.getTokenIndex() > 0 ? recognizer.getTokenStream().get(at.getTokenIndex() - 1) : null;
        return before != null && before.getLine() < at.getLine() && !(recognizer.getContext() instanceof QfParser.FileContext)
                && recognizer.getExpectedTokens().contains(recognizer.getTokenType("';'")) && !recognizer.getExpectedTokens().contains(at.getType());
    }

    /**
     * Where a workload's next layer or its '}' goes (not while recovering from a broken layer, whose
     * rest may be any word), a token that starts a statement and cannot start a layer.
     */
    private boolean notALayer(Parser recognizer) {
        int type = recognizer.getCurrentToken().getType();
        return recognizer.getContext() instanceof QfParser.WorkloadStmtContext && !inErrorRecoveryMode(recognizer)
                && type != QfParser.ID && STATEMENT_STARTS.contains(type) && recognizer.getExpectedTokens().contains(recognizer.getTokenType("'}'"));
    }

    /**
     * Recovery inside a statement skips tokens up to its ';' or brace at most: past it, the next
     * statement's words would fill the broken one's places ({@code clock ( MHz;} took the next
     * line's constant name as its unit). A statement or layer given up on takes its ';' with it,
     * a workload everything up to its '}' (its layers end in ';' too), and what follows is read
     * afresh. A stray token between statements is skipped as ANTLR does.
     */
    @Override
    public void recover(Parser recognizer, RecognitionException e) {
        ParserRuleContext at = recognizer.getContext();
        if (at instanceof QfParser.WorkloadStmtContext) {
            while (recognizer.getCurrentToken().getType() != Token.EOF && !recognizer.getCurrentToken().getText().equals("}")) {
                recognizer.consume();
            }
            if (recognizer.getCurrentToken().getType() != Token.EOF) {
                recognizer.consume();
            }
            endErrorCondition(recognizer);
            reported = false;
            return;
        }
        stopAtEnds = !(at instanceof QfParser.FileContext);
        try {
            super.recover(recognizer, e);
        } finally {
            stopAtEnds = false;
        }
        String next = recognizer.getCurrentToken().getText();
        if (at instanceof QfParser.StatementContext && (next.equals(";") || next.equals("}")) || at instanceof QfParser.LayerContext && next.equals(";")) {
            quietLine = recognizer.getCurrentToken().getLine();
            recognizer.consume();
            endErrorCondition(recognizer);
            reported = false;
        }
    }

    /**
     * Recovery skips the rest of the error's line up to its statement's ';' first: read afresh,
     * what follows would be checked as a statement nobody wrote. Between statements a stray token
     * takes the ';' with it ({@code .out -> y;}, the block's name lost, is no connection of two
     * top-level ports); inside one the ';' ends it as usual ({@code blok l0 = systolic(...);} is no
     * block declared without its keyword).
     */
    @Override
    protected void consumeUntil(Parser recognizer, IntervalSet set) {
        boolean between = recognizer.getContext() instanceof QfParser.FileContext;
        int line = recognizer.getCurrentToken().getLine();
        while ((between || stopAtEnds) && recognizer.getCurrentToken().getType() != Token.EOF && recognizer.getCurrentToken().getLine() == line) {
            boolean semicolon = recognizer.getCurrentToken().getText().equals(";");
            if (!between && ENDS.contains(recognizer.getCurrentToken().getType())) {
                break;
            }
            recognizer.consume();
            if (semicolon) {
                break;
            }
        }
        super.consumeUntil(recognizer, stopAtEnds ? set.or(ENDS) : set);
    }

    @Override
    public void reportMatch(Parser recognizer) {
        super.reportMatch(recognizer);
        if (ENDS.contains(recognizer.getCurrentToken().getType())) {
            if (reported) {
                quietLine = recognizer.getCurrentToken().getLine();
            }
            reported = false;
        }
    }

    /**
     * A name made up to recover ({@code max-: 4}) leaves the tree without an error node where the
     * grammar matches a set of tokens (a name), so the statement would be checked as if whole and
     * its made-up parts reported again: its rule is marked as failed.
     */
    @Override
    public Token recoverInline(Parser recognizer) {
        Token t = super.recoverInline(recognizer);
        if (t.getTokenIndex() < 0) {
            recognizer.getContext().exception = new InputMismatchException(recognizer);
        }
        return t;
    }

    /**
     * Whether this statement has its error already, or the error is on the line where a broken
     * statement ended: the recognizer then stays in recovery and reports nothing more.
     */
    private boolean silenced(Parser recognizer) {
        boolean quiet = reported || recognizer.getCurrentToken().getLine() == quietLine;
        if (quiet) {
            beginErrorCondition(recognizer);
        }
        return quiet;
    }

    @Override
    public void reportError(Parser recognizer, RecognitionException e) {
        if (silenced(recognizer)) {
            return;
        }
        super.reportError(recognizer, e);
        reported = true;
    }

    @Override
    protected void reportUnwantedToken(Parser recognizer) {
        if (silenced(recognizer)) {
            return;
        }
        super.reportUnwantedToken(recognizer);
        reported = true;
    }

    @Override
    protected void reportMissingToken(Parser recognizer) {
        if (silenced(recognizer)) {
            return;
        }
        super.reportMissingToken(recognizer);
        // a statement whose ';' alone is missing is complete: the next one is read afresh
        reported = !ENDS.contains(getExpectedTokens(recognizer).getMinElement());
    }
}

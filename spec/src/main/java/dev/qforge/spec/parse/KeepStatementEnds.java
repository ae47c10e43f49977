package dev.qforge.spec.parse;

import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.Token;

/**
 * ANTLR's recovery, except that it never drops a ';' as an extraneous token: dropping it joins two
 * statements (in {@code hidden = 2 +;} the next line's {@code block} would be read as a name and
 * its declaration lost), so every later use of what that statement declares would be an error too.
 * The statement with the error ends at its ';' instead, and the checker skips it alone.
 */
final class KeepStatementEnds extends DefaultErrorStrategy {
    @Override
    protected Token singleTokenDeletion(Parser recognizer) {
        return recognizer.getCurrentToken().getText().equals(";") ? null : super.singleTokenDeletion(recognizer);
    }
}

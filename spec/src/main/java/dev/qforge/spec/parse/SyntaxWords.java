package dev.qforge.spec.parse;

import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.atn.ATNConfig;
import org.antlr.v4.runtime.atn.ATNState;
import org.antlr.v4.runtime.atn.DecisionState;
import org.antlr.v4.runtime.atn.RuleTransition;
import org.antlr.v4.runtime.atn.Transition;
import org.antlr.v4.runtime.misc.IntervalSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A syntax error in a user's words: what the parser could have read there, as the language's
 * parts (a value, a name, a statement), and what it found instead. ANTLR's own message lists
 * token names, every keyword a name may be and every operator that could continue a value.
 */
final class SyntaxWords {
    /** What an expression may start with: said as "a value". */
    private static final Set<String> VALUE_STARTS = Set.of("'('", "'-'", "INT", "ID");
    /** What may continue a value already read: listed, they hide the ',' or ';' that is missing. */
    private static final Set<String> CONTINUATIONS = Set.of("'-'", "'*'", "'/'", "'%'", "'+'", "'group'");

    /** What the grammar's {@code name} reads: a name or any keyword. */
    private static final IntervalSet NAME = QfParser._ATN.nextTokens(QfParser._ATN.ruleToStartState[QfParser.RULE_name]);

    /** A token only a statement starts with. */
    private static final int IMPORT = literal("'import'");

    /** The statement's alternative that starts with an endpoint: a connection. */
    private static final int CONNECTION = connectionAlternative();

    private SyntaxWords() {
    }

    private static int connectionAlternative() {
        DecisionState statement = (DecisionState) QfParser._ATN.ruleToStartState[QfParser.RULE_statement].transition(0).target;
        for (int alt = 1; alt <= statement.getNumberOfTransitions(); alt++) {
            ATNState s = statement.transition(alt - 1).target;
            while (s.getNumberOfTransitions() == 1 && s.transition(0).isEpsilon() && !(s.transition(0) instanceof RuleTransition)) {
                s = s.transition(0).target;
            }
            if (s.transition(0) instanceof RuleTransition r && r.ruleIndex == QfParser.RULE_endpoint) {
                return alt;
            }
        }
        throw new IllegalStateException("no connection in the grammar's statement");
    }

    /** The token type of a keyword or operator as the grammar writes it ({@code "';'"}). */
    static int literal(String literal) {
        for (int t = 1; t <= QfParser.VOCABULARY.getMaxTokenType(); t++) {
            if (literal.equals(QfParser.VOCABULARY.getLiteralName(t))) {
                return t;
            }
        }
        throw new IllegalArgumentException(literal);
    }

    /** The tokens the parser could have read where {@code e} (null: an extraneous token) happened. */
    static IntervalSet expected(Parser p, RecognitionException e) {
        if (e instanceof NoViableAltException n && n.getDeadEndConfigs() != null) {
            // ANTLR's own expected set is the decision's first tokens; the configurations that read up to the offending
            // token say what each could read next. A statement that starts with a keyword is that keyword's statement: a
            // connection from a port named like it (workload -> y) is the parser's last resort, not what was meant
            boolean keywordFirst = n.getCtx() instanceof QfParser.StatementContext && n.getStartToken().getType() != QfParser.ID
                    && n.getDeadEndConfigs().getAlts().stream().anyMatch(alt -> alt != CONNECTION);
            IntervalSet next = new IntervalSet();
            for (ATNConfig c : n.getDeadEndConfigs()) {
                for (Transition t : keywordFirst && c.alt == CONNECTION ? new Transition[0] : c.state.getTransitions()) {
                    if (!t.isEpsilon() && t.label() != null) {
                        next.addAll(t.label());
                    }
                }
            }
            if (!next.isNil()) {
                return next;
            }
        }
        return e != null ? e.getExpectedTokens() : p.getExpectedTokens();
    }

    /**
     * {@code expected} in words. Where a name may stand, every keyword is expected too (the
     * grammar's {@code name} admits them: a stream called 'scale'): they are left out, a keyword
     * expected for itself ('in' after a name) is not. Between statements the keywords are what
     * starts one: "a statement".
     */
    static String describe(IntervalSet expected, Vocabulary v, boolean inStatement) {
        if (!inStatement && expected.contains(IMPORT)) {
            return "a statement";
        }
        IntervalSet set = expected.and(NAME).equals(NAME) ? expected.subtract(NAME).or(IntervalSet.of(QfParser.ID)) : expected;
        List<String> names = new ArrayList<>();
        for (int type : set.toList()) {
            names.add(type == Token.EOF ? "EOF" : v.getLiteralName(type) != null ? v.getLiteralName(type) : v.getSymbolicName(type));
        }
        if (names.containsAll(VALUE_STARTS)) {
            names.set(names.indexOf("ID"), "a value");
            names.removeIf(VALUE_STARTS::contains);
        }
        if (!CONTINUATIONS.containsAll(names)) {
            names.removeIf(CONTINUATIONS::contains);
        }
        List<String> words = names.stream().map(n -> switch (n) {
            case "EOF" -> "the end of the file";
            case "ID" -> "a name";
            case "INT" -> "a number";
            case "STRING" -> "a \"quoted path\"";
            default -> n;
        }).toList();
        return words.size() == 1 ? words.get(0)
                : String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }

    /** The token found, as the message names it: a keyword where a name was expected says that it is one. */
    static String found(Token t, IntervalSet expected) {
        if (t.getType() == Token.EOF) {
            return "the end of the file";
        }
        boolean keyword = t.getType() != QfParser.ID && t.getText().matches("[a-z]+");
        return (keyword && expected.contains(QfParser.ID) ? "the keyword '" : "'") + t.getText() + "'";
    }
}

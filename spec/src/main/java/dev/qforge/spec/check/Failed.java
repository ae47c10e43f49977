package dev.qforge.spec.check;

import dev.qforge.spec.parse.QfParser;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The declarations that failed (a syntax error in the statement, or a checker error): a use of
 * one reports nothing more, as the mistake was reported where it is declared. A block declaration
 * whose name did not parse ({@code block  = systolic(...)}) stands for the first name used as a
 * block that no declaration gives, one such name per nameless declaration; a line that starts
 * with a name and fits no statement, without an arrow, defines a constant of that name; one
 * without a name stands for the first unknown constant used.
 */
final class Failed {
    private final Set<String> blocks = new HashSet<>();
    private final Set<String> constants = new HashSet<>();
    /** The first tokens of nameless block declarations (ANTLR's recovery may start two statements at one token). */
    private final Set<Integer> namelessStarts = new HashSet<>();
    private int namelessBlocks;
    /** Constant definitions whose name is missing ({@code  = 4;}), each taken to be the first unknown constant used. */
    private int namelessConstants;

    /** Records what the statement {@code st}, which has a syntax error, declares. */
    void unparsed(QfParser.StatementContext st) {
        boolean noAlternative = st.getClass() == QfParser.StatementContext.class; // no statement's alternative fitted it
        String second = secondName(st);
        if (st instanceof QfParser.BlockStmtContext b && named(b.id)) {
            blocks.add(b.id.getText());
        } else if (st instanceof QfParser.ConstStmtContext c && named(c.id)) {
            // a block declaration without its keyword (qkv = systolic(rows: 2);) reads as a constant's
            nameOfEither(c.id.getText());
        } else if (st instanceof QfParser.RangeStmtContext r && named(r.id)) {
            nameOfEither(r.id.getText());
        } else if ((st instanceof QfParser.BlockStmtContext || noAlternative)
                && st.start.getText().equals("block") && namelessStarts.add(st.start.getTokenIndex())) {
            namelessBlocks++;
        } else if ((noAlternative || st instanceof QfParser.LayerStmtContext) && second != null) {
            // no statement starts with two names but one whose keyword is misspelt (blok l0 = ..., worklaod w {): the second is its name
            nameOfEither(second);
        } else if (noAlternative && st.start.getType() == QfParser.ID && !st.getText().contains("->")) {
            // no statement fitted a line that starts with a name and has no arrow (pes ( 4;): a constant whose '=' went wrong
            nameOfEither(st.start.getText());
        }
    }

    /** A name whose statement is broken past telling whether it declares a constant or a block: neither use reports again. */
    private void nameOfEither(String name) {
        constants.add(name);
        blocks.add(name);
    }

    /**
     * Records the nameless constant definitions among the tokens ANTLR skipped between statements:
     * a line {@code  = 4;} is no statement, its tokens are left in the file's tree.
     */
    void skipped(QfParser.FileContext file) {
        for (int i = 0; i < file.getChildCount(); i++) {
            if (file.getChild(i) instanceof ErrorNode e && e.getText().equals("=")) {
                namelessConstants++;
            }
        }
    }

    void block(String name) {
        blocks.add(name);
    }

    void constant(String name) {
        constants.add(name);
    }

    /** Whether {@code name}, which no declaration gives, is a block whose declaration failed (or is taken to be a nameless one). */
    boolean isBlock(String name) {
        if (blocks.contains(name)) {
            return true;
        }
        if (namelessBlocks > 0) {
            namelessBlocks--;
            blocks.add(name);
            return true;
        }
        return false;
    }

    /** Whether {@code name}, which no definition gives, is a constant whose definition failed (or is taken to be a nameless one). */
    boolean isConstant(String name) {
        if (!constants.contains(name) && namelessConstants > 0) {
            namelessConstants--;
            constants.add(name);
        }
        return constants.contains(name);
    }

    /** {@code declared} and the blocks whose declaration failed: a misspelt use of one is hinted at it. */
    Collection<String> withBlocks(Collection<String> declared) {
        return with(declared, blocks);
    }

    /** {@code declared} and the constants whose definition failed. */
    Collection<String> withConstants(Collection<String> declared) {
        return with(declared, constants);
    }

    private static Collection<String> with(Collection<String> declared, Set<String> failed) {
        Set<String> all = new LinkedHashSet<>(declared);
        all.addAll(new TreeSet<>(failed)); // sorted: a hint between equally close names does not depend on hashing
        return all;
    }

    /** The second word of {@code st} when it and the first are names; null otherwise. */
    private static String secondName(QfParser.StatementContext st) {
        List<Token> words = new ArrayList<>();
        leaves(st, words);
        return words.size() > 1 && words.get(0).getType() == QfParser.ID && words.get(1).getType() == QfParser.ID ? words.get(1).getText() : null;
    }

    private static void leaves(ParseTree t, List<Token> words) {
        if (t instanceof TerminalNode n && words.size() < 2) {
            words.add(n.getSymbol());
        }
        for (int i = 0; i < t.getChildCount() && words.size() < 2; i++) {
            leaves(t.getChild(i), words);
        }
    }

    /** A name the parser read, not one it made up to recover ({@code <missing ID>}, token index -1). */
    private static boolean named(Token id) {
        return id != null && id.getTokenIndex() >= 0;
    }
}

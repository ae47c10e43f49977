package dev.qforge.dsl;

import java.util.ArrayList;
import java.util.List;

/** The statements of a module body: assignments, conditionals and memory writes. */
public sealed interface Stmt permits Stmt.Assign, Stmt.If, Stmt.MemWrite {
    SourceLocation at();

    /** {@code target = value} (combinational) or {@code target <= value} (register). */
    record Assign(Signal target, Expr value, SourceLocation at) implements Stmt { }

    /** {@code if (cond) then else otherwise}; the otherwise block is empty when absent. */
    record If(Expr cond, Block then, Block otherwise, SourceLocation at) implements Stmt { }

    /** {@code mem[addr] <= data} at the clock edge, on the path it is written in. */
    record MemWrite(Mem mem, Expr addr, Expr data, SourceLocation at) implements Stmt { }

    /** An ordered list of statements; {@code hasOtherwise} marks an else branch the user wrote. */
    final class Block {
        private final List<Stmt> stmts = new ArrayList<>();
        private boolean explicit;

        public List<Stmt> stmts() { return stmts; }

        /** Whether the user wrote this branch (an {@code otherwise}) rather than it being implied. */
        public boolean isExplicit() { return explicit; }

        void markExplicit() { explicit = true; }

        void add(Stmt s) { stmts.add(s); }
    }
}

package dev.qforge.dsl;

/**
 * Handle returned by {@link Module#when}: chain {@code elsewhen} and {@code otherwise}.
 * <pre>
 *   when(a, () -> x.set(1)).elsewhen(b, () -> x.set(2)).otherwise(() -> x.set(3));
 * </pre>
 */
public final class When {
    private final Module module;
    private Stmt.If last;

    When(Module module, Stmt.If stmt) {
        this.module = module;
        this.last = stmt;
    }

    public When elsewhen(Expr cond, Runnable body) {
        Expr.requireCondition(cond);
        Stmt.Block otherwise = claimOtherwise("elsewhen");
        Stmt.If nested = new Stmt.If(cond, new Stmt.Block(), new Stmt.Block(), SourceLocation.capture());
        otherwise.add(nested);
        module.runIn(nested.then(), body);
        last = nested;
        return this;
    }

    public void otherwise(Runnable body) {
        Stmt.Block otherwise = claimOtherwise("otherwise");
        otherwise.markExplicit();
        module.runIn(otherwise, body);
    }

    private Stmt.Block claimOtherwise(String what) {
        Stmt.Block otherwise = last.otherwise();
        if (otherwise.isExplicit() || !otherwise.stmts().isEmpty()) {
            throw new ElaborationException(what + " after the chain already has an otherwise", SourceLocation.capture());
        }
        return otherwise;
    }
}

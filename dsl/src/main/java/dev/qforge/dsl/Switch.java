package dev.qforge.dsl;

/**
 * switch/case on a value, built as an if/else-if chain so its latch and driver checks are those of
 * {@code when}:
 * <pre>
 *   switchOn(state).is(0, () -> ...).is(1, () -> ...).otherwise(() -> ...);
 * </pre>
 */
public final class Switch {
    private final Module module;
    private final Expr selector;
    private When chain;

    Switch(Module module, Expr selector) {
        this.module = module;
        this.selector = selector;
    }

    public Switch is(long value, Runnable body) {
        Expr cond = selector.eq(Expr.lit(value, selector.type()));
        chain = chain == null ? module.when(cond, body) : chain.elsewhen(cond, body);
        return this;
    }

    public void otherwise(Runnable body) {
        if (chain == null) {
            throw new ElaborationException("switch has no is(...) case before otherwise", SourceLocation.capture());
        }
        chain.otherwise(body);
    }
}

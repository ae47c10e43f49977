package dev.qforge.dsl;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * switch/case on a value, built as an if/else-if chain so its latch and driver checks are those of
 * {@code when}:
 * <pre>
 *   switchOn(state).is(0, () -> ...).is(1, () -> ...).otherwise(() -> ...);
 * </pre>
 * A case value listed twice is an error. Once the cases cover every value of the selector, the last
 * one becomes the chain's else branch (it needs no compare), so a complete switch without
 * {@code otherwise} assigns on every path and is no latch.
 */
public final class Switch {
    private final Module module;
    private final Expr selector;
    private final Map<Long, SourceLocation> cases = new HashMap<>();
    private When chain;
    private boolean complete;

    Switch(Module module, Expr selector) {
        this.module = module;
        this.selector = selector;
    }

    public Switch is(long value, Runnable body) {
        SourceLocation at = SourceLocation.capture();
        Expr cond = selector.eq(Expr.lit(value, selector.type()));
        SourceLocation first = cases.putIfAbsent(value, at);
        if (first != null) {
            module.report(new Diagnostic("switch case " + value + " is listed twice: here and at " + first, at));
            return this;
        }
        complete = BigInteger.valueOf(cases.size()).equals(BigInteger.ONE.shiftLeft(selector.width()));
        if (chain == null) {
            chain = module.when(cond, body);
        } else if (complete) {
            chain.otherwise(body);
        } else {
            chain.elsewhen(cond, body);
        }
        return this;
    }

    public void otherwise(Runnable body) {
        if (chain == null) {
            throw new ElaborationException("switch has no is(...) case before otherwise", SourceLocation.capture());
        }
        if (complete) {
            throw new ElaborationException("switch already covers every value of its " + selector.type()
                    + " selector; this otherwise would never be taken", SourceLocation.capture());
        }
        chain.otherwise(body);
    }
}

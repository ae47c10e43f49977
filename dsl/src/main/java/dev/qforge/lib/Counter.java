package dev.qforge.lib;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;

/** A free-running up counter that advances while {@code en} is high and wraps to 0 after 2^width - 1. */
public final class Counter extends Module {
    public final Signal en;
    public final Signal count;

    public Counter(int width) {
        super("Counter_w" + width);
        en = input("en", bool());
        count = output("count", uint(width));
        Signal value = reg("value", uint(width), 0);
        when(en, () -> value.set(value.plus(1).truncate(width)));
        count.set(value);
    }
}

package dev.qforge.fpga.synth.blocks;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.Expr.bool;
import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;

/** A 16-bit down-counting timer: counts while enabled, pulses and reloads its period at zero. */
public final class Timer extends Module {
    public Timer() {
        super("Timer");
        Signal en = input("en", bool());
        Signal period = input("period", uint(16));
        Signal count = reg("count", uint(16), 0);
        Signal tick = reg("tick_r", bool(), 0);
        tick.set(bool(false));
        when(en, () -> {
            when(count.eq(0), () -> {
                count.set(period);
                tick.set(bool(true));
            }).otherwise(() -> count.set(count.minus(1).truncate(16)));
        });
        output("tick", bool()).set(tick);
        output("remaining", uint(16)).set(count);
    }
}

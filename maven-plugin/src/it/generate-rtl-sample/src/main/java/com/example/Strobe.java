package com.example;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import java.util.Map;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;

/** A user's generator configured by named options: a one-cycle pulse every {@code period} cycles. */
public final class Strobe extends Module {
    private Strobe(int period, int width) {
        super("Strobe_p" + period + "_w" + width);
        Signal pulse = output("pulse", bool());
        Signal count = reg("count", uint(width), 0);
        Signal last = wire("last", bool());
        last.set(count.eq(period - 1));
        count.set(Expr.mux(last, Expr.u(0, width), count.plus(1).truncate(width)));
        pulse.set(last);
    }

    /** Options: period (2 .. 2^width), width (counter bits, 1..16). */
    public static Module fromOptions(String designName, Map<String, String> options) {
        int width = Integer.parseInt(options.getOrDefault("width", "8"));
        int period = Integer.parseInt(options.getOrDefault("period", "2"));
        if (width < 1 || width > 16) {
            throw new IllegalArgumentException("option width must be 1..16, got " + width);
        }
        if (period < 2 || period > 1 << width) {
            throw new IllegalArgumentException("option period must be 2.." + (1 << width) + ", got " + period);
        }
        return new Strobe(period, width);
    }
}

package com.example;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.lib.Counter;

import static dev.qforge.dsl.HwType.bool;

/** A user's generator: an LED that toggles every 2^bits cycles, built on the library counter. */
public final class Blinker extends Module {
    public Blinker(int bits) {
        super("Blinker_b" + bits);
        Signal led = output("led", bool());
        Counter counter = new Counter(bits);
        var u = instance("counter", counter);
        u.io(counter.en).set(1);
        led.set(u.io(counter.count).msb());
    }
}

package dev.qforge.dsl;

import java.util.function.UnaryOperator;

/**
 * A valid/ready stream with AXI4-Stream semantics: a beat moves on a cycle where valid and ready
 * are both high; a producer must not wait for ready before raising valid.
 */
public final class Stream {
    private final Signal valid;
    private final Signal ready;
    private final Bundle payload;

    Stream(Signal valid, Signal ready, Bundle payload) {
        this.valid = valid;
        this.ready = ready;
        this.payload = payload;
    }

    public Signal valid() { return valid; }
    public Signal ready() { return ready; }
    public Bundle payload() { return payload; }
    /** The payload field {@code data} (streams declared with a single type). */
    public Signal data() { return payload.get("data"); }
    public Signal field(String name) { return payload.get(name); }

    /** True on the cycles where a beat moves. */
    public Expr fire() { return valid.and(ready); }

    /**
     * Connect in one line: this (a sink: an output stream of this module or an input stream of an
     * instance) takes valid and payload from {@code source}, and source takes ready from this.
     */
    public void set(Stream source) {
        ElaborationException.requireNonNull(source, "source stream");
        valid.set(source.valid);
        payload.set(source.payload);
        source.ready.set(ready);
    }

    Stream map(UnaryOperator<Signal> f) {
        return new Stream(f.apply(valid), f.apply(ready), payload.map(f));
    }
}

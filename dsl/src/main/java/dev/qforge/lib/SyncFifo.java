package dev.qforge.lib;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stream;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;

/**
 * A synchronous first-word-fall-through FIFO with valid/ready on both sides, storing entries in a
 * block-RAM-style memory ({@code depth} words) behind a one-word output register, so it holds
 * depth + 1 beats. No combinational path runs from input to output ports; a beat written at
 * cycle t is offered on the output at t + 2. Full throughput: one beat in and out per cycle.
 */
public final class SyncFifo extends Module {
    public final Stream in;
    public final Stream out;

    public SyncFifo(int width, int depth) {
        super("SyncFifo_w" + width + "_d" + depth);
        requireParameter(depth >= 2, "SyncFifo depth must be >= 2, got " + depth);
        in = inStream("in", uint(width));
        out = outStream("out", uint(width));
        Mem ram = mem("ram", uint(width), depth);
        int aw = ram.addressWidth();
        int cw = 32 - Integer.numberOfLeadingZeros(depth);

        Signal wptr = reg("wptr", uint(aw), 0);
        Signal rptr = reg("rptr", uint(aw), 0);
        Signal stored = reg("stored", uint(cw), 0);
        Signal outValid = reg("out_valid_q", bool(), 0);

        Signal push = wire("push", bool());
        Signal fetch = wire("fetch", bool());
        in.ready().set(stored.ne(depth));
        push.set(in.fire());
        fetch.set(stored.ne(0).and(outValid.not().or(out.ready())));

        when(push, () -> {
            ram.write(wptr, in.data());
            wptr.set(next(wptr, depth));
        });
        Signal head = ram.readSync("head", rptr, fetch);
        when(fetch, () -> rptr.set(next(rptr, depth)));
        when(push.and(fetch.not()), () -> stored.set(stored.plus(1).truncate(cw)))
                .elsewhen(fetch.and(push.not()), () -> stored.set(stored.minus(1).truncate(cw)));
        when(fetch, () -> outValid.set(Expr.bool(true)))
                .elsewhen(out.ready(), () -> outValid.set(Expr.bool(false)));

        out.valid().set(outValid);
        out.data().set(head);
    }

    /** ptr + 1 modulo depth (any depth, not only powers of two). */
    private static Expr next(Signal ptr, int depth) {
        Expr inc = ptr.plus(1).truncate(ptr.width());
        return Expr.mux(ptr.eq(depth - 1), Expr.u(0, ptr.width()), inc);
    }
}

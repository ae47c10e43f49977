package dev.qforge.testbenches.verilator;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Record;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stream;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;

/**
 * A registered stream stage whose payload has two fields, {@code a} (8 bits) and {@code b} (4 bits).
 * The faulty variant inverts field b of every beat whose a is 0x77: only a check of every field sees it.
 */
final class PairStage extends Module {
    PairStage(boolean faulty) {
        super(faulty ? "PairStage_faulty" : "PairStage");
        Record pair = Record.of("a", uint(8)).with("b", uint(4));
        Stream in = inStream("in", pair);
        Stream out = outStream("out", pair);
        Signal valid = reg("valid_q", bool(), 0);
        Signal a = reg("a_q", uint(8));
        Signal b = reg("b_q", uint(4));
        Signal take = wire("take", bool());
        take.set(out.ready().or(valid.not()));
        in.ready().set(take);
        Signal inB = in.field("b");
        when(take, () -> {
            valid.set(in.valid());
            a.set(in.field("a"));
            b.set(faulty ? Expr.mux(in.field("a").eq(0x77), inB.not(), inB) : inB);
        });
        out.valid().set(valid);
        out.field("a").set(a);
        out.field("b").set(b);
    }
}

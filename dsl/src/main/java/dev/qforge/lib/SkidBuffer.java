package dev.qforge.lib;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stream;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;

/**
 * A two-entry skid buffer: registers valid, data and ready so no combinational path crosses it in
 * either direction, at full throughput. When the output stalls, the beat already accepted on the
 * input is parked in the skid register.
 */
public final class SkidBuffer extends Module {
    public final Stream in;
    public final Stream out;

    public SkidBuffer(int width) {
        super("SkidBuffer_w" + width);
        in = inStream("in", uint(width));
        out = outStream("out", uint(width));
        Signal dataQ = reg("data_q", uint(width));
        Signal validQ = reg("valid_q", bool(), 0);
        Signal skidData = reg("skid_data", uint(width));
        Signal skidValid = reg("skid_valid", bool(), 0);

        in.ready().set(skidValid.not());
        when(out.ready().or(validQ.not()), () -> {
            // The output register is free this cycle: refill it, from the skid first.
            when(skidValid, () -> {
                dataQ.set(skidData);
                validQ.set(Expr.bool(true));
                skidValid.set(Expr.bool(false));
            }).otherwise(() -> {
                dataQ.set(in.data());
                validQ.set(in.valid());
            });
        }).elsewhen(in.fire(), () -> {
            skidData.set(in.data());
            skidValid.set(Expr.bool(true));
        });
        out.valid().set(validQ);
        out.data().set(dataQ);
    }
}

package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;

/**
 * Two output-stationary PEs of neighbouring columns sharing one multiplier
 * ({@link PackedMultiply}): both accumulate {@code a_in} times their own weight on the same cycle.
 * Bit-exact with two {@link OsPe}s; the activation and its step flags leave to the right, the
 * weights downwards, one cycle later.
 */
public final class PackedOsPe extends Module {
    public final Signal en;
    public final Signal aIn;
    public final Signal bIn0;
    public final Signal bIn1;
    public final Signal vIn;
    public final Signal firstIn;
    public final Signal lastIn;
    public final Signal aOut;
    public final Signal bOut0;
    public final Signal bOut1;
    public final Signal vOut;
    public final Signal firstOut;
    public final Signal lastOut;
    public final Signal res0;
    public final Signal res1;

    public PackedOsPe(int aBits, int bBits, int accBits) {
        super("PackedOsPe_s" + aBits + "xs" + bBits + "_acc" + accBits);
        int shift = aBits + bBits;
        en = input("en", bool());
        aIn = input("a_in", sint(aBits));
        bIn0 = input("b_in0", sint(bBits));
        bIn1 = input("b_in1", sint(bBits));
        vIn = input("v_in", bool());
        firstIn = input("first_in", bool());
        lastIn = input("last_in", bool());
        aOut = output("a_out", sint(aBits));
        bOut0 = output("b_out0", sint(bBits));
        bOut1 = output("b_out1", sint(bBits));
        vOut = output("v_out", bool());
        firstOut = output("first_out", bool());
        lastOut = output("last_out", bool());
        res0 = output("res0", sint(accBits));
        res1 = output("res1", sint(accBits));

        Signal prod = wire("prod", aIn.times(PackedMultiply.pack(bIn1, bIn0, shift)).type());
        prod.set(aIn.times(PackedMultiply.pack(bIn1, bIn0, shift)));
        Signal p0 = wire("p0", sint(shift));
        p0.set(PackedMultiply.low(prod, shift));
        Signal p1 = wire("p1", sint(shift));
        p1.set(PackedMultiply.high(prod, p0, shift));
        Signal[] res = {res0, res1};
        Signal[] products = {p0, p1};
        for (int i = 0; i < 2; i++) {
            Signal acc = reg("acc" + i, sint(accBits));
            Signal resQ = reg("res_q" + i, sint(accBits));
            Signal sum = wire("sum" + i, sint(accBits));
            // The engine sizes accBits so the sum cannot overflow; truncate only drops the add's carry bit.
            sum.set(Expr.mux(firstIn, Expr.s(0, accBits), acc).plus(products[i]).truncate(accBits));
            when(en.and(vIn), () -> {
                acc.set(sum);
                when(lastIn, () -> resQ.set(sum));
            });
            res[i].set(resQ);
        }
        pass("a", aIn, aOut);
        pass("b0", bIn0, bOut0);
        pass("b1", bIn1, bOut1);
        pass("first", firstIn, firstOut);
        pass("last", lastIn, lastOut);
        Signal v = reg("v", bool(), 0);
        v.setWhen(en, vIn);
        vOut.set(v);
    }

    /** {@code out} is {@code in} one enabled cycle later. */
    private void pass(String name, Signal in, Signal out) {
        Signal q = reg(name, in.type());
        q.setWhen(en, in);
        out.set(q);
    }
}

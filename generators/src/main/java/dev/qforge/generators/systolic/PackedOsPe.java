package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;

/**
 * Two output-stationary PEs of neighbouring columns sharing one multiplier
 * ({@link PackedMultiply}): both accumulate {@code a_in} times their own weight on the same cycle.
 * Bit-exact with two {@link OsPe}s of the same stages; the activation and its step flags leave to
 * the right, the weights downwards, one cycle later. With a product register it holds the packed
 * product, split after it.
 */
public final class PackedOsPe extends PeModule {
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

    public PackedOsPe(int aBits, int bBits, int accBits, int stages) {
        super("PackedOsPe_s" + aBits + "xs" + bBits + "_acc" + accBits, stages);
        int shift = aBits + bBits;
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

        Signal a = pass("a", aIn, aOut);
        Signal b0 = pass("b0", bIn0, bOut0);
        Signal b1 = pass("b1", bIn1, bOut1);
        Signal first = pass("first", firstIn, firstOut);
        Signal last = pass("last", lastIn, lastOut);
        Signal v = reg("v", bool(), 0);
        v.setWhen(en, vIn);
        vOut.set(v);

        Expr product = product("prod_q", aIn, a, PackedMultiply.pack(bIn1, bIn0, shift), PackedMultiply.pack(b1, b0, shift));
        Signal prod = wire("prod", product.type());
        prod.set(product);
        Signal p0 = wire("p0", sint(shift));
        p0.set(PackedMultiply.low(prod, shift));
        Signal p1 = wire("p1", sint(shift));
        p1.set(PackedMultiply.high(prod, p0, shift));
        Expr addValid = validAlongProduct("v_m", vIn, v);
        Expr addFirst = alongProduct("first_m", firstIn, first);
        Expr addLast = alongProduct("last_m", lastIn, last);
        Signal[] res = {res0, res1};
        Signal[] products = {p0, p1};
        for (int i = 0; i < 2; i++) {
            Signal acc = reg("acc" + i, sint(accBits));
            Signal resQ = reg("res_q" + i, sint(accBits));
            Signal sum = wire("sum" + i, sint(accBits));
            // The engine sizes accBits so the sum cannot overflow; truncate only drops the add's carry bit.
            sum.set(Expr.mux(addFirst, Expr.s(0, accBits), acc).plus(products[i]).truncate(accBits));
            when(en.and(addValid), () -> {
                acc.set(sum);
                when(addLast, () -> resQ.set(sum));
            });
            res[i].set(resQ);
        }
    }

    /** {@code out} is {@code in} one enabled cycle later; returns that register. */
    private Signal pass(String name, Signal in, Signal out) {
        Signal q = reg(name, in.type());
        q.setWhen(en, in);
        out.set(q);
        return q;
    }
}

package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Vec;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;

/**
 * Output-stationary PEs of {@code lanes} neighbouring columns sharing one multiplier
 * ({@link PackedMultiply}): each accumulates {@code a_in} times its own weight on the same cycle;
 * the weights arrive packed (once per PE column, by the engine) and pass down so.
 * Bit-exact with that many {@link OsPe}s of the same stages; the activation and its step flags
 * leave to the right, the weights downwards, one cycle later. With a product register it holds
 * the packed product, split after it.
 */
public final class PackedOsPe extends OsPeModule {
    public final Vec res;

    public PackedOsPe(int lanes, int aBits, int bBits, int accBits, int stages) {
        super("PackedOsPe" + lanes + "_s" + aBits + "xs" + bBits + "_acc" + accBits, stages, aBits, PackedMultiply.packedWidth(lanes, aBits, bBits));
        res = outputs("res", lanes, sint(accBits));

        Signal a = pass("a", aIn, aOut);
        Signal b = pass("b", bIn, bOut);
        Signal first = pass("first", firstIn, firstOut);
        Signal last = pass("last", lastIn, lastOut);
        Signal v = reg("v", bool(), 0);
        v.setWhen(en, vIn);
        vOut.set(v);

        Expr product = product("prod_q", aIn, bIn);
        Signal prod = wire("prod", product.type());
        prod.set(product);
        Signal fields = wire("fields", PackedMultiply.separable(prod, lanes, aBits, bBits).type());
        fields.set(PackedMultiply.separable(prod, lanes, aBits, bBits));
        Expr addValid = validAlongProduct("v_m", vIn, v);
        Expr addFirst = alongProduct("first_m", firstIn, first);
        Expr addLast = alongProduct("last_m", lastIn, last);
        for (int i = 0; i < lanes; i++) {
            Signal acc = reg("acc" + i, sint(accBits));
            Signal resQ = reg("res_q" + i, sint(accBits));
            Signal sum = wire("sum" + i, sint(accBits));
            // The engine sizes accBits so the sum cannot overflow; truncate only drops the add's carry bit.
            sum.set(PackedMultiply.accumulate(Expr.mux(addFirst, Expr.s(0, accBits), acc), fields, i, lanes, aBits, bBits).truncate(accBits));
            when(en.and(addValid), () -> {
                acc.set(sum);
                when(addLast, () -> resQ.set(sum));
            });
            res.get(i).set(resQ);
        }
    }

    @Override
    Signal result(int lane) {
        return res.get(lane);
    }

    /** {@code out} is {@code in} one enabled cycle later; returns that register. */
    private Signal pass(String name, Signal in, Signal out) {
        Signal q = reg(name, in.type());
        q.setWhen(en, in);
        out.set(q);
        return q;
    }
}

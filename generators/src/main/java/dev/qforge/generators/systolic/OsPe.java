package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;

/**
 * The output-stationary PE of {@link OsGemmEngine}: accumulates {@code a_in * b_in} over the K
 * steps of a tile into its own Y element. Activations and their step flags pass right, weights
 * pass down, each one register later. On a tile's first step the sum restarts; on its last the
 * finished sum is copied to {@code res} (read by the engine's output stage) while the next tile
 * accumulates. With more {@code stages} ({@link PeModule}) the accumulation, flags included,
 * happens that much later. Registers advance only while {@code en} is high.
 */
public final class OsPe extends OsPeModule {
    public final Signal res;

    public OsPe(int aBits, int bBits, int accBits, int stages) {
        super("OsPe_s" + aBits + "xs" + bBits + "_acc" + accBits, stages, aBits, bBits);
        res = output("res", sint(accBits));

        Signal a = reg("a", sint(aBits));
        Signal b = reg("b", sint(bBits));
        Signal v = reg("v", bool(), 0);
        Signal first = reg("first", bool());
        Signal last = reg("last", bool());
        Signal acc = reg("acc", sint(accBits));
        Signal resQ = reg("res_q", sint(accBits));
        a.setWhen(en, aIn);
        b.setWhen(en, bIn);
        v.setWhen(en, vIn);
        first.setWhen(en, firstIn);
        last.setWhen(en, lastIn);
        Expr product = product("prod_q", aIn, bIn);
        Expr addValid = validAlongProduct("v_m", vIn, v);
        Expr addFirst = alongProduct("first_m", firstIn, first);
        Expr addLast = alongProduct("last_m", lastIn, last);
        Signal sum = wire("sum", sint(accBits));
        // The engine sizes accBits so the sum cannot overflow; truncate only drops the add's carry bit.
        sum.set(Expr.mux(addFirst, Expr.s(0, accBits), acc).plus(product).truncate(accBits));
        when(en.and(addValid), () -> {
            acc.set(sum);
            when(addLast, () -> resQ.set(sum));
        });
        aOut.set(a);
        bOut.set(b);
        vOut.set(v);
        firstOut.set(first);
        lastOut.set(last);
        res.set(resQ);
    }

    @Override
    Signal result(int lane) {
        return res;
    }
}

package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.sint;

/**
 * Weight-stationary PEs of {@code lanes} neighbouring columns sharing one multiplier
 * ({@link PackedMultiply}): the weights arrive packed (once per PE column, by the engine) and are
 * stored so. Bit-exact with that many
 * {@link WsPe}s of the same stages; every column sees the activation on the same cycle, and it
 * leaves to the right one cycle later. With a product register it holds the packed product, split
 * after it.
 */
public final class PackedWsPe extends WsPeModule {
    public PackedWsPe(int lanes, int aBits, int wBits, int accBits, int stages) {
        super("PackedWsPe" + lanes + "_s" + aBits + "xs" + wBits + "_acc" + accBits, stages,
                lanes, sint(aBits), sint(PackedMultiply.packedWidth(lanes, aBits, wBits)), sint(accBits));

        Expr product = product("prod_q", aIn, weight);
        Signal prod = wire("prod", product.type());
        prod.set(product);
        Signal fields = wire("fields", PackedMultiply.separable(prod, lanes, aBits, wBits).type());
        fields.set(PackedMultiply.separable(prod, lanes, aBits, wBits));
        for (int i = 0; i < lanes; i++) {
            Signal psum = reg("psum" + i, sint(accBits));
            // The engine sizes accBits so the sum cannot overflow; truncate only drops the add's carry bit.
            psum.setWhen(en, PackedMultiply.accumulate(psumIn(i), fields, i, lanes, aBits, wBits).truncate(accBits));
            psumOut(i).set(psum);
        }
    }
}

package dev.qforge.generators.systolic;

import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.sint;

/**
 * The weight-stationary PE of {@link GemmEngine}: holds one weight and passes its activation right
 * one cycle later ({@link WsPeModule}); adds {@code a_in * weight} to the partial sum coming from
 * above, {@code stages} cycles after {@code a_in} (see {@link PeModule}). Every register advances
 * only while {@code en} is high, so the whole array stops in place under output back-pressure.
 */
public final class WsPe extends WsPeModule {
    public WsPe(int aBits, int wBits, int accBits, int stages) {
        super("WsPe_s" + aBits + "xs" + wBits + "_acc" + accBits, stages, 1, sint(aBits), sint(wBits), sint(accBits));

        Signal psum = reg("psum", sint(accBits));
        // The partial sum from above arrives as late as the product: the PE above is one stage ahead.
        // The engine sizes accBits so the sum cannot overflow; truncate only drops the add's carry bit.
        psum.setWhen(en, psumIn(0).plus(product("prod", aIn, weight)).truncate(accBits));
        psumOut(0).set(psum);
    }
}

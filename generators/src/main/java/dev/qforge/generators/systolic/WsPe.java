package dev.qforge.generators.systolic;

import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;

/**
 * The weight-stationary PE of {@link GemmEngine}: holds one weight (written while {@code w_load}
 * is high), passes its activation right one cycle later and adds {@code a_in * weight} to the
 * partial sum coming from above, {@code stages} cycles after {@code a_in} (see {@link PeModule}).
 * Every register advances only while {@code en} is high, so the whole array stops in place under
 * output back-pressure.
 */
public final class WsPe extends PeModule {
    public final Signal aIn;
    public final Signal wIn;
    public final Signal wLoad;
    public final Signal psumIn;
    public final Signal aOut;
    public final Signal psumOut;

    public WsPe(int aBits, int wBits, int accBits, int stages) {
        super("WsPe_s" + aBits + "xs" + wBits + "_acc" + accBits, stages);
        aIn = input("a_in", sint(aBits));
        wIn = input("w_in", sint(wBits));
        wLoad = input("w_load", bool());
        psumIn = input("psum_in", sint(accBits));
        aOut = output("a_out", sint(aBits));
        psumOut = output("psum_out", sint(accBits));

        Signal weight = reg("weight", sint(wBits), 0);
        Signal a = reg("a", sint(aBits));
        Signal psum = reg("psum", sint(accBits));
        weight.setWhen(wLoad, wIn);
        a.setWhen(en, aIn);
        // The partial sum from above arrives as late as the product: the PE above is one stage ahead.
        // The engine sizes accBits so the sum cannot overflow; truncate only drops the add's carry bit.
        psum.setWhen(en, psumIn.plus(product("prod", aIn, weight)).truncate(accBits));
        aOut.set(a);
        psumOut.set(psum);
    }
}

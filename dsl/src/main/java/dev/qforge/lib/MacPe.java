package dev.qforge.lib;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;

/**
 * A weight-stationary multiply-accumulate processing element: signed a x signed w -> acc-bit
 * partial sum. The weight is loaded while {@code w_load} is high and passed on to the PE below via
 * {@code w_out}; activations move right ({@code a_in} -> {@code a_out}) and partial sums move down
 * ({@code psum_out = psum_in + a_in * weight}), both registered. The sum wraps at the accumulator
 * width, which the array generator sizes so that it cannot overflow.
 */
public final class MacPe extends Module {
    public final Signal aIn;
    public final Signal wIn;
    public final Signal wLoad;
    public final Signal psumIn;
    public final Signal aOut;
    public final Signal wOut;
    public final Signal psumOut;

    public MacPe(int aBits, int wBits, int accBits) {
        super("MacPe_s" + aBits + "xs" + wBits + "_acc" + accBits);
        requireParameter(accBits >= aBits + wBits,
                "MacPe accumulator of " + accBits + " bits cannot hold an " + aBits + "x" + wBits + "-bit product");
        aIn = input("a_in", sint(aBits));
        wIn = input("w_in", sint(wBits));
        wLoad = input("w_load", bool());
        psumIn = input("psum_in", sint(accBits));
        aOut = output("a_out", sint(aBits));
        wOut = output("w_out", sint(wBits));
        psumOut = output("psum_out", sint(accBits));

        Signal weight = reg("weight", sint(wBits), 0);
        Signal a = reg("a", sint(aBits), 0);
        Signal psum = reg("psum", sint(accBits), 0);
        weight.setWhen(wLoad, wIn);
        a.set(aIn);
        psum.set(psumIn.plus(aIn.times(weight)).truncate(accBits));
        aOut.set(a);
        wOut.set(weight);
        psumOut.set(psum);
    }
}

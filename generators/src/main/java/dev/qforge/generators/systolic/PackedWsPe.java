package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;

/**
 * Two weight-stationary PEs of neighbouring columns sharing one multiplier ({@link PackedMultiply}):
 * the weights are stored pre-packed as {@code w1 * 2^S + w0}. Bit-exact with two {@link WsPe}s of
 * the same stages; both columns see the activation on the same cycle, and it leaves to the right
 * one cycle later. With a product register it holds the packed product, split after it.
 */
public final class PackedWsPe extends PeModule {
    public final Signal aIn;
    public final Signal wIn0;
    public final Signal wIn1;
    public final Signal wLoad;
    public final Signal psumIn0;
    public final Signal psumIn1;
    public final Signal aOut;
    public final Signal psumOut0;
    public final Signal psumOut1;

    public PackedWsPe(int aBits, int wBits, int accBits, int stages) {
        super("PackedWsPe_s" + aBits + "xs" + wBits + "_acc" + accBits, stages);
        int shift = aBits + wBits;
        aIn = input("a_in", sint(aBits));
        wIn0 = input("w_in0", sint(wBits));
        wIn1 = input("w_in1", sint(wBits));
        wLoad = input("w_load", bool());
        psumIn0 = input("psum_in0", sint(accBits));
        psumIn1 = input("psum_in1", sint(accBits));
        aOut = output("a_out", sint(aBits));
        psumOut0 = output("psum_out0", sint(accBits));
        psumOut1 = output("psum_out1", sint(accBits));

        Expr packedIn = PackedMultiply.pack(wIn1, wIn0, shift);
        Signal weights = reg("weights", packedIn.type(), 0);
        Signal a = reg("a", sint(aBits));
        Signal psum0 = reg("psum0", sint(accBits));
        Signal psum1 = reg("psum1", sint(accBits));
        weights.setWhen(wLoad, packedIn);
        a.setWhen(en, aIn);
        Expr product = product("prod_q", aIn, a, weights, weights);
        Signal prod = wire("prod", product.type());
        prod.set(product);
        Signal p0 = wire("p0", sint(shift));
        p0.set(PackedMultiply.low(prod, shift));
        Signal p1 = wire("p1", sint(shift));
        p1.set(PackedMultiply.high(prod, p0, shift));
        psum0.setWhen(en, psumIn0.plus(p0).truncate(accBits));
        psum1.setWhen(en, psumIn1.plus(p1).truncate(accBits));
        aOut.set(a);
        psumOut0.set(psum0);
        psumOut1.set(psum1);
    }
}

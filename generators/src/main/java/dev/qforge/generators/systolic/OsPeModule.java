package dev.qforge.generators.systolic;

import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;

/**
 * What {@link OsPe} and {@link PackedOsPe} share: the ports {@link OsGemmEngine} wires from
 * neighbour to neighbour (the activation and its step flags passing right, the weights passing
 * down) and the finished sums it reads out.
 */
abstract class OsPeModule extends PeModule {
    public final Signal aIn;
    public final Signal bIn;
    public final Signal vIn;
    public final Signal firstIn;
    public final Signal lastIn;
    public final Signal aOut;
    public final Signal bOut;
    public final Signal vOut;
    public final Signal firstOut;
    public final Signal lastOut;

    /** The ports before the finished sums, which the subclass declares next; {@code b_in} and {@code b_out} are {@code bBits} wide. */
    OsPeModule(String base, int stages, int aBits, int bBits) {
        super(base, stages);
        aIn = input("a_in", sint(aBits));
        bIn = input("b_in", sint(bBits));
        vIn = input("v_in", bool());
        firstIn = input("first_in", bool());
        lastIn = input("last_in", bool());
        aOut = output("a_out", sint(aBits));
        bOut = output("b_out", sint(bBits));
        vOut = output("v_out", bool());
        firstOut = output("first_out", bool());
        lastOut = output("last_out", bool());
    }

    /** The finished sum of column {@code lane} of the PE's columns. */
    abstract Signal result(int lane);
}

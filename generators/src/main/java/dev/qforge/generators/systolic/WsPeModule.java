package dev.qforge.generators.systolic;

import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Vec;

import java.util.ArrayList;
import java.util.List;

import static dev.qforge.dsl.HwType.bool;

/**
 * What {@link WsPe}, {@link PackedWsPe} and {@link MxPe} share: the ports {@link GemmEngine}
 * wires from neighbour to neighbour (the activation passing right, each column's partial sum
 * passing down), the stationary weight it writes while {@code w_load} is high, and the register
 * passing the activation right one enabled cycle later.
 */
abstract class WsPeModule extends PeModule {
    public final Signal aIn;
    public final Signal wIn;
    public final Signal wLoad;
    public final Signal aOut;
    /** The stationary weight register: the PE's weight, or its columns' weights packed ({@code weights}). */
    protected final Signal weight;
    private final List<Signal> psumIn;
    private final List<Signal> psumOut;

    /**
     * The ports and registers of a PE serving {@code lanes} columns: one column's partial sum is
     * {@code psum_in} and {@code psum_out}, several columns' are vectors of them ({@code psum_in_0},
     * ...); {@code weightType} holds the weight of every column the PE serves.
     */
    WsPeModule(String base, int stages, int lanes, HwType actType, HwType weightType, HwType psumType) {
        super(base, stages);
        aIn = input("a_in", actType);
        wIn = input("w_in", weightType);
        wLoad = input("w_load", bool());
        psumIn = lanes == 1 ? List.of(input("psum_in", psumType)) : elements(inputs("psum_in", lanes, psumType));
        aOut = output("a_out", actType);
        psumOut = lanes == 1 ? List.of(output("psum_out", psumType)) : elements(outputs("psum_out", lanes, psumType));

        weight = reg(lanes == 1 ? "weight" : "weights", weightType, 0);
        Signal a = reg("a", actType);
        weight.setWhen(wLoad, wIn);
        a.setWhen(en, aIn);
        aOut.set(a);
    }

    /** The partial sum of column {@code lane} of the PE's columns, from the PE above. */
    final Signal psumIn(int lane) {
        return psumIn.get(lane);
    }

    /** The partial sum of column {@code lane} of the PE's columns, to the PE below. */
    final Signal psumOut(int lane) {
        return psumOut.get(lane);
    }

    private static List<Signal> elements(Vec v) {
        List<Signal> elements = new ArrayList<>();
        v.forEach(elements::add);
        return elements;
    }
}

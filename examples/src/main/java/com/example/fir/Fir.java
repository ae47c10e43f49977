package com.example.fir;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Rounding;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stream;
import dev.qforge.dsl.Vec;
import dev.qforge.lib.PipelineStage;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.qforge.dsl.HwType.sint;

/**
 * A FIR filter on a valid/ready stream: y[n] = saturate(round(sum_k taps[k] * x[n-k] / 2^fracBits)),
 * with x before the first sample 0. The taps are integers read as fixed point with fracBits fraction
 * bits (fracBits = 14: 16384 is a gain of 1). One sample in, one out, one per cycle; the output is
 * registered by a {@link PipelineStage}.
 */
public final class Fir extends Module {
    public final Stream in;
    public final Stream out;

    public Fir(int inBits, int outBits, int fracBits, Rounding rounding, int... taps) {
        super("Fir_i" + inBits + "_o" + outBits + "_f" + fracBits + "_" + rounding.name().toLowerCase()
                + "_t" + Arrays.stream(taps).mapToObj(t -> t < 0 ? "m" + -t : "" + t).collect(Collectors.joining("_")));
        requireParameter(taps.length >= 2, "Fir needs at least 2 taps, got " + taps.length);
        in = inStream("in", sint(inBits));
        out = outStream("out", sint(outBits));
        int tapBits = 1 + Arrays.stream(taps).map(t -> 32 - Integer.numberOfLeadingZeros(t < 0 ? ~t : t)).max().orElse(0);

        // x[n-1] .. x[n-K+1]; they shift once per accepted sample
        Vec past = regs("x", taps.length - 1, sint(inBits), 0);
        Expr acc = in.data().times(Expr.s(taps[0], tapBits));
        for (int k = 1; k < taps.length; k++) {
            acc = acc.plus(past.get(k - 1).times(Expr.s(taps[k], tapBits)));
        }
        Signal y = wire("y", sint(outBits));
        y.set(acc.roundShiftRight(fracBits, rounding).saturate(outBits));

        PipelineStage stage = new PipelineStage(sint(outBits));
        var s = instance("out_stage", stage);
        s.io(stage.in).valid().set(in.valid());
        s.io(stage.in).data().set(y);
        in.ready().set(s.io(stage.in).ready());
        out.set(s.io(stage.out));
        when(in.fire(), () -> {
            past.get(0).set(in.data());
            for (int k = 1; k < taps.length - 1; k++) {
                past.get(k).set(past.get(k - 1));
            }
        });
    }

    /**
     * For the Maven plugin's {@code <options>}: in-bits, out-bits, frac-bits, rounding (a
     * {@link Rounding} name) and taps (comma-separated integers).
     */
    public static Fir fromOptions(String designName, Map<String, String> options) {
        int[] taps = Arrays.stream(option(options, "taps").split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        return new Fir(Integer.parseInt(option(options, "in-bits")), Integer.parseInt(option(options, "out-bits")),
                Integer.parseInt(option(options, "frac-bits")), Rounding.valueOf(option(options, "rounding")), taps);
    }

    private static String option(Map<String, String> options, String name) {
        String v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException("option " + name + " is missing");
        }
        return v;
    }
}

package dev.qforge.generators.requant;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Rounding;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Vec;
import dev.qforge.numerics.TfliteRequant;
import dev.qforge.numerics.TfliteRounding;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;

/**
 * TFLite's int32 -> intN output stage for {@code lanes} accumulators per cycle, bit-exact with
 * {@link TfliteRequant#requantize}: per lane
 * <pre>
 *   x = wrap32(wrap32(acc) + bias)                            (TFLite's int32 add)
 *   y = MultiplyByQuantizedMultiplier(x, mult, shift, mode) + out_zp
 *   out = clamp(y, act_min, act_max), then saturated to the output type
 * </pre>
 * Fully pipelined: one set of lanes per cycle, {@link #latency()} cycles from {@code in_valid} to
 * {@code out_valid}; while {@code en} is low every register holds.
 *
 * <p>Input contract (outside it the output is unspecified, as TFLite leaves those cases
 * undefined and {@link TfliteRequant} throws): {@code mult} in 0..2^31-1; {@code shift} in
 * -31..30; in DOUBLE_ROUNDING x * 2^max(shift, 0) fits int32; in SINGLE_ROUNDING the scaled
 * result fits int32; scaled + out_zp fits int32; act_min <= act_max, both inside the output type's
 * range. Outside the last two it still follows TFLite's clamp order (act_min wins over act_max)
 * and then saturates to the type range, so it never wraps. SRDHM's one
 * saturating case (x * 2^shift = mult = INT32_MIN) is computed exactly in DOUBLE_ROUNDING.
 */
public final class Requantizer extends Module {
    /**
     * Cycles of the 32x32 multiply ({@link #product}): the DSPs' operand registers (AREG/BREG), the
     * four products (MREG), the cross products' sum beside the other two, the product.
     */
    private static final int MULTIPLY_STAGES = 4;
    /** Bits of the low half of each multiply operand: a 16x16 piece fits one DSP on every target (27x18, 25x18, 16x16). */
    private static final int PIECE = 16;

    public final Signal en;
    public final Signal inValid;
    public final Vec acc;
    public final Vec bias;
    public final Vec mult;
    public final Vec shift;
    public final Signal outZp;
    public final Signal actMin;
    public final Signal actMax;
    public final Signal outValid;
    public final Vec out;
    private final TfliteRounding mode;

    public Requantizer(int lanes, int accBits, int outBits, boolean outSigned, TfliteRounding mode) {
        super("Requant_l" + lanes + "_acc" + accBits + "_" + (outSigned ? "s" : "u") + outBits + "_"
                + (mode == TfliteRounding.DOUBLE_ROUNDING ? "dbl" : "sgl"));
        if (lanes < 1) {
            throw new IllegalArgumentException("Requantizer needs lanes >= 1, got " + lanes);
        }
        // any width: TFLite's int32 add wraps a wider accumulator and sign-extends a narrower one
        if (accBits < 1 || accBits > 64) {
            throw new IllegalArgumentException("accBits must be in 1..64, got " + accBits);
        }
        // the clamp bounds are SInt(16), so a wider output could never be reached
        if (outBits < 2 || outBits > 16) {
            throw new IllegalArgumentException("outBits must be in 2..16, got " + outBits);
        }
        this.mode = mode;
        en = input("en", bool());
        inValid = input("in_valid", bool());
        acc = inputs("acc", lanes, sint(accBits));
        bias = inputs("bias", lanes, sint(32));
        mult = inputs("mult", lanes, sint(32));
        shift = inputs("shift", lanes, sint(6));
        outZp = input("out_zp", sint(16));
        actMin = input("act_min", sint(16));
        actMax = input("act_max", sint(16));
        outValid = output("out_valid", bool());
        out = outputs("out", lanes, outSigned ? sint(outBits) : uint(outBits));

        int scaledAt = latency() - 2; // the stage registering MultiplyByQuantizedMultiplier's result
        Expr zp = delay("out_zp", outZp, scaledAt);
        // y > act_max and act_min > y, for y = scaled + out_zp, compared beside the add: scaled against the bounds minus out_zp
        Expr hiLessZp = delay("act_max_zp", actMax.minus(outZp), scaledAt);
        Expr loLessZp = delay("act_min_zp", actMin.minus(outZp), scaledAt);
        // the bounds as the output type and TFLite's tie-break (act_min wins over act_max), worked out ahead
        Expr loOut = delay("act_min_out", toOutput(actMin, outBits, outSigned), scaledAt + 1);
        Expr hiOut = delay("act_max_out", toOutput(actMax, outBits, outSigned), scaledAt + 1);
        Expr crossed = delay("crossed", actMin.gt(actMax), scaledAt + 1);
        for (int i = 0; i < lanes; i++) {
            String l = "_" + i;
            // the lane's inputs are registered first, so no path runs on from the adder that produced acc
            Signal x = stage("x" + l, stage("acc_q" + l, acc.get(i)).resize(32).plus(stage("bias_q" + l, bias.get(i))).truncate(32));
            Signal sh = stage("shift_q" + l, shift.get(i));
            Expr scaled = mode == TfliteRounding.DOUBLE_ROUNDING ? doubleRounding(l, x, mult.get(i), sh) : singleRounding(l, x, mult.get(i), sh);
            Signal y = stage("y" + l, scaled.plus(zp));
            // min(max, y), then max(min, .), in TFLite's order, is act_min, act_max or y: the three
            // comparisons run side by side and pick among values already in the output type
            Signal above = stage("above" + l, scaled.gt(hiLessZp));
            Signal below = stage("below" + l, loLessZp.gt(scaled));
            // y is only picked between the bounds, so its 16 low bits are y itself
            Expr between = toOutput(y.truncate(16), outBits, outSigned);
            Expr clamped = Expr.mux(above, Expr.mux(crossed, loOut, hiOut), Expr.mux(below, loOut, between));
            out.get(i).set(stage("q" + l, clamped));
        }
        Expr valid = inValid;
        for (int c = 1; c <= latency(); c++) {
            valid = enabled(reg("valid_d" + c, bool(), 0), valid);
        }
        outValid.set(valid);
    }

    /**
     * RoundingDivideByPOT(SRDHM(x * 2^max(shift, 0), mult), max(-shift, 0)); x is registered at
     * stage 2, the result at stage 6 + MULTIPLY_STAGES.
     */
    private Expr doubleRounding(String l, Signal x, Signal m, Signal sh) {
        Expr shifted = stage("xs" + l, x.shl(delay("ls" + l, leftShift(sh), 1)).truncate(32)); // overflow: outside the contract
        Expr product = product(l, shifted, 3, m);
        // the product is HALF_UP-rounded a*b / 2^31; only INT32_MIN^2 leaves int32, and saturates as gemmlowp's does
        Signal srdhm = stage("srdhm" + l, product.roundShiftRight(31, Rounding.HALF_UP).saturate(32));
        // Dividing by 2^rs, rs = 31 - k, is the same as shifting left by k and dividing by 2^31:
        // Rounding's bias only depends on the sign and the dropped bits, which the zeros shifted in
        // do not change. A constant divisor keeps the rounding the DSL's (and covers rs = 0).
        Signal aligned = stage("al" + l, srdhm.shl(delay("k" + l, alignShift(sh), 3 + MULTIPLY_STAGES)));
        // srdhm / 2^rs rounded lies in int32 (rs = 0 gives srdhm itself), so the 33-bit result fits 32 bits
        return stage("sc" + l, aligned.roundShiftRight(31, Rounding.HALF_AWAY).truncate(32));
    }

    /**
     * (x * mult + 2^(total-1)) >> total, total = 31 - shift; x is registered at stage 2, the result
     * at stage 4 + MULTIPLY_STAGES.
     */
    private Expr singleRounding(String l, Signal x, Signal m, Signal sh) {
        Expr product = product(l, x, 2, m);
        // Align to a constant divisor 2^62 (shift + 31 = 62 - total in 0..61) so the rounding is
        // the DSL's HALF_UP. Only result mod 2^32 is kept, and that needs only the 62 + 32 low
        // bits of the aligned product, so the wrap of the truncate cannot reach a defined result.
        Signal aligned = stage("al" + l, product.shl(delay("s31" + l, shift31(sh), 1 + MULTIPLY_STAGES)).truncate(62 + 32));
        return stage("sc" + l, aligned.roundShiftRight(62, Rounding.HALF_UP).truncate(32));
    }

    /**
     * The 64-bit product of {@code x}, registered at stage {@code xStage}, and the input {@code m},
     * {@link #MULTIPLY_STAGES} cycles later, from four DSP-sized products: with x = xh * 2^16 + xl and m = mh * 2^16 + ml (xl,
     * ml the unsigned low halves, xh, mh the signed high ones) the halves are registered (each DSP's
     * AREG/BREG) and multiplied into registers (MREG), so each product is a DSP-internal pipeline
     * stage; then the cross terms are added, mid = xl mh + xh ml, while xl ml and xh mh wait beside
     * them, and x * m = (hh * 2^32 + ll) + mid * 2^16, whose 16 low bits are ll's own.
     */
    private Expr product(String l, Expr x, int xStage, Signal m) {
        Signal xl = stage("x_lo" + l, x.slice(PIECE - 1, 0));
        Signal xh = stage("x_hi" + l, x.shr(PIECE));
        // m's halves are delayed from the input on their own, so each is a chain of whole registers
        Expr ml = delay("m_lo" + l, m.slice(PIECE - 1, 0), xStage + 1);
        Expr mh = delay("m_hi" + l, m.shr(PIECE), xStage + 1);
        Signal lh = stage("pp_lh" + l, xl.toSInt().times(mh));
        Signal hl = stage("pp_hl" + l, xh.times(ml.toSInt()));
        Signal ll = stage("pp_ll" + l, xl.toSInt().times(ml.toSInt()));
        Signal hh = stage("pp_hh" + l, xh.times(mh));
        Signal mid = stage("p_mid" + l, lh.plus(hl));
        // ll lies in 0..(2^16 - 1)^2, so its 32 low bits beside hh's 32 are hh * 2^32 + ll
        Signal outer = stage("p_outer" + l, Expr.cat(hh.truncate(2 * PIECE), ll.slice(2 * PIECE - 1, 0)).asSInt());
        // the product fits 64 bits, so the truncate only drops the add's growth
        return stage("p" + l, outer.plus(mid.shl(PIECE)).truncate(4 * PIECE));
    }

    /** shift + 31 as UInt(6): 0..61 for the shifts of the contract. */
    private static Expr shift31(Signal sh) {
        return sh.plus(31).slice(5, 0);
    }

    /** max(shift, 0) as UInt(5). */
    private static Expr leftShift(Signal sh) {
        return Expr.mux(sh.msb(), Expr.u(0, 5), sh.slice(4, 0));
    }

    /** 31 - max(-shift, 0) = min(shift + 31, 31) as UInt(5). */
    private static Expr alignShift(Signal sh) {
        return Expr.mux(sh.msb(), shift31(sh).slice(4, 0), Expr.u(31, 5));
    }

    /** A signed value saturated to the output type. */
    private static Expr toOutput(Expr v, int outBits, boolean outSigned) {
        if (outSigned) {
            return v.saturate(outBits);
        }
        int magnitude = v.width() - 1;
        Expr nonNegative = Expr.mux(v.msb(), Expr.u(0, magnitude), v.slice(magnitude - 1, 0));
        return outBits < magnitude ? nonNegative.saturate(outBits) : nonNegative.extend(outBits);
    }

    /** A pipeline register: takes {@code value} when en is high, holds otherwise. */
    private Signal stage(String name, Expr value) {
        return enabled(reg(name, value.type()), value);
    }

    private Signal enabled(Signal r, Expr value) {
        r.setWhen(en, value);
        return r;
    }

    /** {@code value} after {@code cycles} pipeline registers named {@code <name>_d1..}. */
    private Expr delay(String name, Expr value, int cycles) {
        Expr v = value;
        for (int c = 1; c <= cycles; c++) {
            v = stage(name + "_d" + c, v);
        }
        return v;
    }

    /** Cycles from in_valid and acc to out_valid and out while en is high. */
    public int latency() {
        int common = 2 + MULTIPLY_STAGES + 4; // inputs, add, multiply, align, round, zero point, clamp
        return mode == TfliteRounding.DOUBLE_ROUNDING ? common + 2 : common; // + left shift, SRDHM
    }
}

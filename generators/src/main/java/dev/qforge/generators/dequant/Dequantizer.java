package dev.qforge.generators.dequant;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Vec;
import dev.qforge.generators.dequant.DequantConfig.Scale;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.MxElementType;
import dev.qforge.numerics.OutlierBfp;
import dev.qforge.numerics.PackOrder;

import java.math.BigInteger;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;

/**
 * A dequant unit, bit-exact with {@link DequantGolden}: a valid/ready stream of beats of
 * {@code lanes} packed codes in, a stream of as many exact values out.
 *
 * <p>Input: {@code in_codes} holds lane i in bits [i * b, i * b + b) (the GPTQ packing: a 32-bit
 * qweight word is eight int4 lanes, little end first); {@code in_scale_j} (and {@code in_zp_j}) is
 * the scale of lanes [j * G, j * G + G) when a beat spans several groups, else the scale of the
 * group, read on the first beat of each group (beats 0, G / L, 2G / L, ... after reset) and held.
 * In the AWQ order ({@link PackOrder#AWQ}) each 32-bit word of {@code in_codes} holds its eight
 * lanes in AutoAWQ's interleaved nibbles, and lane i has its own scale and zero point
 * {@code in_scale_i}, read on beats 0, G, 2G, ... and held.
 *
 * <p>Each lane splits into sign, unsigned magnitude and a power-of-two exponent
 * (sign(e) * |e| * sign(s) * |s| * 2^(exponents)); the magnitudes are multiplied exactly. Fixed
 * output is that signed product with the exponent per group on {@code out_exp_j}; float output
 * normalises it and rounds once to nearest even onto the output format's grid, subnormals
 * included, as {@link BinaryFloat#encode} defines.
 *
 * <p>Pipeline: one beat per cycle, {@link DequantCycleModel#latency} register stages that all
 * advance together when the last one is empty or taken ({@code in_ready = !out_valid || out_ready}).
 */
public final class Dequantizer extends Module {
    public final Signal inValid;
    public final Signal inReady;
    public final Signal inCodes;
    public final Vec inScale;
    public final Vec inZp;
    public final Signal outValid;
    public final Signal outReady;
    public final Vec out;
    public final Vec outExp;
    public final Vec outNan;
    /** {@link Element#BFP_OUTLIER}: group j's outlier scale, and its slot t's index and mantissa at [j * k + t]; else null. */
    public final Vec inOutlierScale;
    public final Vec inOutlierIndex;
    public final Vec inOutlierMantissa;
    private final DequantConfig cfg;
    private final Signal adv;

    /** One lane or scale split into sign, magnitude and exponent, with its special cases. */
    private record Parts(Expr sign, Expr magnitude, Expr exponent, Expr nan, Expr inf) { }

    public Dequantizer(DequantConfig cfg) {
        super(moduleName(cfg));
        this.cfg = cfg;
        int lanes = cfg.lanes();
        int s = cfg.scalesPerBeat();
        inValid = input("in_valid", bool());
        inReady = output("in_ready", bool());
        inCodes = input("in_codes", uint(lanes * cfg.codeBits()));
        inScale = inputs("in_scale", s, uint(cfg.scale().bits()));
        inZp = cfg.zeroPoint() ? inputs("in_zp", s, cfg.integer().signed() ? sint(cfg.codeBits()) : uint(cfg.codeBits())) : null;
        outValid = output("out_valid", bool());
        outReady = input("out_ready", bool());
        out = outputs("out", lanes, cfg.out() == null ? sint(fixedLaneBits(cfg)) : uint(cfg.out().bits()));
        outExp = cfg.fixedHasExponent() ? outputs("out_exp", s, sint(EXPONENT_BITS)) : null;
        outNan = cfg.fixedHasExponent() ? outputs("out_nan", s, bool()) : null;
        int k = cfg.outliers();
        inOutlierScale = k > 0 ? inputs("in_oscale", s, uint(8)) : null;
        inOutlierIndex = k > 0 ? inputs("in_oidx", s * k, uint(cfg.outlierIndexBits())) : null;
        inOutlierMantissa = k > 0 ? inputs("in_omant", s * k, sint(OutlierBfp.OUTLIER_BITS)) : null;

        int latency = DequantCycleModel.latency(cfg);
        adv = wire("adv", bool());
        Signal[] valid = new Signal[latency + 1];
        valid[0] = inValid;
        for (int q = 1; q <= latency; q++) {
            valid[q] = reg("valid_q" + q, bool(), 0);
            valid[q].setWhen(adv, valid[q - 1]);
        }
        adv.set(valid[latency].not().or(outReady));
        inReady.set(adv);
        outValid.set(valid[latency]);

        // stage 1: the beat, with its group's scale and zero point
        Expr first = null;
        Signal count = null;
        if (cfg.beatsPerGroup() > 1) {
            count = reg("beat_in_group", uint(Integer.numberOfTrailingZeros(cfg.beatsPerGroup())), 0);
            count.setWhen(inValid.and(adv), count.plus(1).truncate(count.width()));
            first = count.eq(0);
        }
        Signal codes = stage("codes_q1", inCodes);
        Parts[] scale = new Parts[s];
        Expr[] zp = new Expr[s];
        for (int j = 0; j < s; j++) {
            scale[j] = scaleParts(stage("scale_q1_" + j, groupHeld("scale_held_" + j, first, inScale.get(j))));
            zp[j] = cfg.zeroPoint() ? stage("zp_q1_" + j, groupHeld("zp_held_" + j, first, inZp.get(j))) : null;
        }
        Parts[] outlierScale = new Parts[k > 0 ? s : 0];
        Signal[] outlierIndex = new Signal[s * k];
        Signal[] outlierMantissa = new Signal[s * k];
        for (int j = 0; j < outlierScale.length; j++) {
            outlierScale[j] = scaleParts(stage("oscale_q1_" + j, groupHeld("oscale_held_" + j, first, inOutlierScale.get(j))));
            for (int t = j * k; t < j * k + k; t++) {
                outlierIndex[t] = stage("oidx_q1_" + t, groupHeld("oidx_held_" + t, first, inOutlierIndex.get(t)));
                outlierMantissa[t] = stage("omant_q1_" + t, groupHeld("omant_held_" + t, first, inOutlierMantissa.get(t)));
            }
        }
        Signal beat = k > 0 && count != null ? stage("beat_q1", count) : null;

        // stage 2 on: each lane's product, then (float output) normalised and rounded
        int b = cfg.codeBits();
        for (int i = 0; i < lanes; i++) {
            int j = cfg.scaleIndex(i);
            int at = cfg.codeOffset(i);
            Expr code = codes.slice(at + b - 1, at);
            Parts e = elementParts(code, zp[j]);
            Parts sc = scale[j];
            if (k > 0) { // the lane's position in its group picks an outlier slot or the inlier
                Expr position = beat == null ? Expr.u(i % cfg.groupSize(), cfg.outlierIndexBits())
                        : lanes == 1 ? beat : Expr.cat(beat, Expr.u(i, Integer.numberOfTrailingZeros(lanes)));
                Expr isOutlier = Expr.bool(false);
                Expr mantissa = outlierMantissa[j * k + k - 1];
                for (int t = j * k + k - 1; t >= j * k; t--) { // the lowest matching slot wins
                    Expr hit = outlierIndex[t].eq(position);
                    mantissa = Expr.mux(hit, outlierMantissa[t], mantissa);
                    isOutlier = isOutlier.or(hit);
                }
                Signal outlier = named("outlier_" + i, isOutlier);
                Expr q = Expr.mux(outlier, mantissa, code.asSInt());
                e = new Parts(q.msb(), magnitude(q, Math.max(b, OutlierBfp.OUTLIER_BITS)), null, Expr.bool(false), Expr.bool(false));
                // an outlier's quantum is 2^(2 - 8) against the inliers' 2^(2 - n): fold the difference into its scale
                Parts o = outlierScale[j];
                sc = new Parts(sc.sign(), sc.magnitude(), Expr.mux(outlier, o.exponent().plus(b - OutlierBfp.OUTLIER_BITS), sc.exponent()),
                        Expr.mux(outlier, o.nan(), sc.nan()), sc.inf());
            }
            out.get(i).set(cfg.out() == null ? fixedLane("_" + i, e, sc) : floatLane("_" + i, e, sc, cfg.out()));
        }
        for (int j = 0; outExp != null && j < s; j++) {
            outExp.get(j).set(stage("exp_q2_" + j, scale[j].exponent().plus(cfg.minExponent()).resize(EXPONENT_BITS)));
            outNan.get(j).set(stage("nan_q2_" + j, scale[j].nan().or(scale[j].inf())));
        }
    }

    /** Width of out_exp: every scale exponent plus an element's smallest quantum lies in -512..511. */
    static final int EXPONENT_BITS = 10;

    static String moduleName(DequantConfig cfg) {
        String scale = cfg.scale() == Scale.S16 ? "s16f" + cfg.scaleFrac() : cfg.scale().name().toLowerCase(java.util.Locale.ROOT);
        String format = cfg.element() == Element.BFP ? "bfp" + cfg.mantissaBits()
                : cfg.element() == Element.BFP_OUTLIER ? "bfp" + cfg.mantissaBits() + "o" + cfg.outliers() : cfg.element().optionName();
        return "Dequant_" + format + (cfg.order() == PackOrder.AWQ ? "_awq" : "") + "_l" + cfg.lanes() + "_g" + cfg.groupSize() + "_" + scale
                + (cfg.zeroPoint() ? "_zp" : "") + "_" + (cfg.out() == null ? "fixed" : cfg.out().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Bits of a scale's magnitude: the significand with its hidden bit, |s16| (up to 2^15), or 1 for a power of two. */
    static int scaleMagnitudeBits(DequantConfig cfg) {
        return switch (cfg.scale()) {
            case BF16, FP16 -> cfg.scale().binaryFloat().mantissaBits() + 1;
            case S16 -> 16;
            case E8M0 -> 1;
        };
    }

    /** Bits of the largest |element| in units of its smallest quantum (the fixed output's element factor). */
    static int fixedElementBits(DequantConfig cfg) {
        MxElementType mx = cfg.element().mx();
        if (mx == null || mx == MxElementType.INT8) {
            return cfg.codeBits(); // |q - zp| <= 2^bits - 1, |-2^(bits-1)| = 2^(bits-1)
        }
        return BigInteger.valueOf((long) Math.scalb(mx.maxNormal(), -mx.minExponent())).bitLength();
    }

    /** Width of a fixed output lane: sign, element factor, scale magnitude. */
    public static int fixedLaneBits(DequantConfig cfg) {
        return fixedElementBits(cfg) + scaleMagnitudeBits(cfg) + 1;
    }

    /** The group's value: taken from the port on its first beat ({@code first} null: every beat), held for the others. */
    private Expr groupHeld(String name, Expr first, Signal port) {
        if (first == null) {
            return port;
        }
        Signal held = reg(name, port.type());
        Expr current = Expr.mux(first, port, held);
        held.setWhen(inValid.and(adv), current);
        return current;
    }

    private Parts scaleParts(Expr s) {
        BinaryFloat bf = cfg.scale().binaryFloat();
        return switch (cfg.scale()) {
            case BF16, FP16 -> {
                int m = bf.mantissaBits();
                Expr field = s.slice(m + bf.exponentBits() - 1, m);
                Expr mantissa = s.slice(m - 1, 0);
                Expr top = field.andReduce();
                Expr exponent = Expr.mux(field.eq(0), Expr.u(1, 1), field).toSInt().minus(bf.bias() + m);
                yield new Parts(s.msb(), Expr.cat(field.orReduce(), mantissa), exponent, top.and(mantissa.orReduce()),
                        top.and(mantissa.orReduce().not()));
            }
            case E8M0 -> new Parts(Expr.bool(false), Expr.u(1, 1), s.toSInt().minus(dev.qforge.numerics.Mx.SCALE_BIAS),
                    s.eq(dev.qforge.numerics.Mx.SCALE_NAN), Expr.bool(false));
            case S16 -> new Parts(s.msb(), magnitude(s.asSInt(), 16), Expr.s(-cfg.scaleFrac(), 5), Expr.bool(false), Expr.bool(false));
        };
    }

    /** |x| of a signed value as {@code bits} unsigned bits (enough for |min|). */
    private static Expr magnitude(Expr x, int bits) {
        return Expr.mux(x.msb(), x.negate(), x.extend(x.width() + 1)).slice(bits - 1, 0);
    }

    /** sign, magnitude, exponent shift (null for none) and NaN / infinity of one code. */
    private Parts elementParts(Expr code, Expr zp) {
        MxElementType mx = cfg.element().mx();
        if (mx == null || mx == MxElementType.INT8) {
            Expr q = mx == null && !cfg.integer().signed() ? code.toSInt() : code.asSInt();
            if (zp != null) {
                q = q.minus(zp.toSInt());
            }
            return new Parts(q.msb(), magnitude(q, cfg.codeBits()), null, Expr.bool(false), Expr.bool(false));
        }
        int m = mx.mantissaBits();
        Expr field = code.slice(m + mx.exponentBits() - 1, m);
        Expr mantissa = code.slice(m - 1, 0);
        Expr shift = Expr.mux(field.eq(0), Expr.u(0, mx.exponentBits()), field.minus(Expr.u(1, 1)).truncate(mx.exponentBits()));
        Expr nan = Expr.bool(false);
        Expr inf = Expr.bool(false);
        if (mx == MxElementType.FP8_E4M3) {
            nan = code.slice(6, 0).andReduce();
        } else if (mx == MxElementType.FP8_E5M2) {
            nan = field.andReduce().and(mantissa.orReduce());
            inf = field.andReduce().and(mantissa.orReduce().not());
        }
        return new Parts(code.msb(), Expr.cat(field.orReduce(), mantissa), shift, nan, inf);
    }

    /** The exact signed product, registered; 0 when the scale is not finite. */
    private Expr fixedLane(String l, Parts e, Parts sc) {
        Expr mag = e.exponent() == null ? e.magnitude() : e.magnitude().shl(e.exponent()).truncate(fixedElementBits(cfg));
        Expr product = mag.times(sc.magnitude()).toSInt();
        Expr lane = Expr.mux(e.sign().xor(sc.sign()), product.negate().truncate(product.width()), product);
        if (cfg.fixedHasExponent()) {
            lane = Expr.mux(sc.nan().or(sc.inf()), Expr.s(0, lane.width()), lane);
        }
        return stage("lane_q2" + l, lane);
    }

    /** sign * m * 2^E rounded once to nearest even into {@code f} (stages 2-6): the product (stage 2), then a {@link FloatRounder}. */
    private Expr floatLane(String l, Parts e, Parts sc, BinaryFloat f) {
        // stage 2: product and its exponent
        Signal sign = stage("sign_q2" + l, e.sign().xor(sc.sign()));
        Signal m = stage("m_q2" + l, e.magnitude().times(sc.magnitude()));
        Expr exponent = sc.exponent().plus(cfg.minExponent());
        if (e.exponent() != null) {
            exponent = exponent.plus(e.exponent().toSInt());
        }
        Signal ex = stage("e_q2" + l, exponent);
        Expr nanNow = e.nan().or(sc.nan());
        if (cfg.scale().binaryFloat() != null) {
            nanNow = nanNow.or(sc.inf().and(e.magnitude().eq(0)));
        }
        Signal nan = stage("nan_q2" + l, nanNow);
        Signal inf = stage("inf_q2" + l, e.inf().or(sc.inf()));

        // stages 3-6: normalised, shift amount, rounded, packed
        FloatRounder rounder = new FloatRounder(m.width(), ex.width(), f);
        var u = instance("round" + l, rounder);
        u.io(rounder.en).set(adv);
        u.io(rounder.sign).set(sign);
        u.io(rounder.magnitude).set(m);
        u.io(rounder.exponent).set(ex);
        u.io(rounder.nan).set(nan);
        u.io(rounder.inf).set(inf);
        return u.io(rounder.out);
    }

    private static int bitsFor(int max) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(max));
    }

    /** A wire holding {@code value}, so the Verilog reads it by name. */
    private Signal named(String name, Expr value) {
        Signal w = wire(name, value.type());
        w.set(value);
        return w;
    }

    /** A pipeline register advancing with the stream. */
    private Signal stage(String name, Expr value) {
        Signal r = reg(name, value.type());
        r.setWhen(adv, value);
        return r;
    }

    public DequantConfig config() {
        return cfg;
    }
}

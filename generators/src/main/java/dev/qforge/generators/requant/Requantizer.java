package dev.qforge.generators.requant;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Rounding;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Vec;
import dev.qforge.numerics.TfliteRequant;
import dev.qforge.numerics.TfliteRounding;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

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
    /** The DSPs' operand registers (AREG/BREG) and the four products (MREG) of {@link #product}. */
    private static final int MULTIPLY_STAGES = 2;
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
    /**
     * The longest carry chain of a stage. A processing element's accumulator adds accBits-bit sums
     * in one cycle, so pieces of accBits bits (with the carry of the piece below, from a register)
     * keep every adder here no slower than the grid that feeds it; at least 16 bits, the
     * multiplier's operand halves, since the DSP stages and the shifts' LUT levels are no faster
     * than a 16-bit chain.
     */
    private final int piece;
    /** The registered copies of {@link #chain}'s operand pieces, by value (its identity) and slice and age. */
    private final Map<Expr, Map<String, Expr>> delays = new IdentityHashMap<>();

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
        this.piece = Math.max(accBits, PIECE);
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

        int halfAt = halfAt(); // the stage registering 2 * MultiplyByQuantizedMultiplier, or that plus 1
        int clampAt = halfAt + pieces(HALF_BITS + 1);
        // The parameters are registered first too, so what is worked out of them starts at a register.
        // Saturating is monotone, so sat(max(act_min, min(act_max, y))), TFLite's clamp order and then
        // the type's range, is max(sat(act_min), min(sat(act_max), sat(y))): y is compared with the
        // bounds as the output type, and between them it is in range, so its low bits are the output
        Signal loOut = toOutput("act_min_out", stage("act_min_q", actMin), outBits, outSigned);
        Signal hiOut = toOutput("act_max_out", stage("act_max_q", actMax), outBits, outSigned);
        Expr zp = delay("out_zp", outZp, PARAMS_AT);
        // y = (half + 2 out_zp + r) >> 1 rounds half / 2 as TFLite's single rounding does (see singleRounding) and
        // adds out_zp: r, that rounding's bias for one bit, is a constant (HALF_UP's 1) and fills 2 out_zp's low bit
        Expr r = constant(TfliteRequant.SINGLE_ROUNDING_MODE.constant(1));
        Expr zp2 = delay("out_zp2", Expr.cat(zp.slice(outBits - 1, 0), r), halfAt - PARAMS_AT);
        // y > hi and y < lo, compared beside the add as half + 2 out_zp + r >= 2 (hi + 1) and half + 2 out_zp + r < 2 lo:
        // the signs of half + 2 (out_zp + ~hi) + r and of half + 2 (out_zp - lo) + r, whose second terms are
        // worked out ahead, so no LUT precedes the chains
        Expr hiBound = delay("act_max_zp", Expr.cat(zp.plus(hiOut.toSInt().not()), r).asSInt(), halfAt - PARAMS_AT);
        Expr loBound = delay("act_min_zp", Expr.cat(zp.minus(loOut.toSInt()), r).asSInt(), halfAt - PARAMS_AT);
        // TFLite's tie-break: act_min wins over act_max (where the saturated bounds tie, so do the results)
        Expr crossed = delay("crossed", loOut.gt(hiOut), clampAt - PARAMS_AT);
        Expr lo = delay("act_min_out", loOut, clampAt - PARAMS_AT);
        Expr hi = delay("act_max_out", hiOut, clampAt - PARAMS_AT);
        for (int i = 0; i < lanes; i++) {
            String l = "_" + i;
            // the lane's inputs are registered first, so no path runs on from the adder that produced acc
            Signal a = stage("acc_q" + l, acc.get(i));
            Signal b = stage("bias_q" + l, bias.get(i));
            Expr x = chain("x" + l, a.width() > 32 ? a.truncate(32) : a, b, null, 32, 0).asSInt();
            Signal sh = stage("shift_q" + l, shift.get(i));
            Expr half = mode == TfliteRounding.DOUBLE_ROUNDING ? doubleRounding(l, x, mult.get(i), sh) : singleRounding(l, x, mult.get(i), sh);
            // y's low bits, beside the two comparisons
            Expr y = delay("y" + l, chain("y" + l, half.slice(outBits, 0), zp2, null, outBits + 1, 1), pieces(HALF_BITS + 1) - pieces(outBits + 1));
            Expr above = chain("above" + l, half, hiBound, null, HALF_BITS + 1, HALF_BITS).asBool().not();
            Expr below = chain("below" + l, half, loBound, null, HALF_BITS + 1, HALF_BITS).asBool();
            // the clamp is lo, hi or y: the three comparisons run side by side and pick among values in the output type
            Expr between = outSigned ? y.asSInt() : y;
            Expr clamped = Expr.mux(above, Expr.mux(crossed, lo, hi), Expr.mux(below, lo, between));
            out.get(i).set(stage("q" + l, clamped));
        }
        Expr valid = inValid;
        for (int c = 1; c <= latency(); c++) {
            valid = enabled(reg("valid_d" + c, bool(), 0), valid);
        }
        outValid.set(valid);
    }

    /** Stage of the clamp bounds as the output type and of out_zp beside them. */
    private static final int PARAMS_AT = 3;
    /** Bits of "half": twice the scaled result, plus its rounding bit in SINGLE_ROUNDING. */
    private static final int HALF_BITS = 33;
    /** SRDHM's bias for its shift by 31, a constant (no carry), and its lowest set bit: see {@link #doubleRounding}. */
    private static final BigInteger NUDGE = TfliteRequant.HIGH_MUL_ROUNDING.constant(31);
    private static final int NUDGE_BIT = NUDGE.getLowestSetBit();

    /** Carry-chain pieces of an n-bit add. */
    private int pieces(int n) {
        return (n + piece - 1) / piece;
    }

    /** Stage of x = acc + bias. */
    private int xAt() {
        return 1 + pieces(32);
    }

    /** Cycles of {@link #product} after its x operand's stage. */
    private int productStages() {
        return MULTIPLY_STAGES + pieces(MID_BITS) + pieces(64 - PIECE);
    }

    /** Stage of "half" (see {@link #HALF_BITS}). */
    private int halfAt() {
        if (mode == TfliteRounding.DOUBLE_ROUNDING) {
            int p = xAt() + 1 + productStages();
            // SRDHM's add, its saturation, the alignment shift, RoundingDivideByPOT's add
            return p + pieces(63 - NUDGE_BIT) + 2 + pieces(63);
        }
        return xAt() + productStages() + 2; // the two shift steps
    }

    /**
     * RoundingDivideByPOT(SRDHM(x * 2^max(shift, 0), mult), max(-shift, 0)), doubled, at {@link #halfAt}.
     */
    private Expr doubleRounding(String l, Expr x, Signal m, Signal sh) {
        Expr shifted = stage("xs" + l, x.shl(delay("ls" + l, leftShift(sh), xAt() - 1)).truncate(32)); // overflow: outside the contract
        Expr product = product(l, shifted, xAt() + 1, m);
        // SRDHM: the product rounded / 2^31, (p + NUDGE) >> 31. Below its lowest set bit the constant adds nothing
        // and no carry, and that bit carries out the product's own bit, so the chain starts one bit higher with
        // the product's bit as its carry-in
        Expr rounded = chain("srdhm_r" + l, product.slice(63, NUDGE_BIT + 1), constant(NUDGE.shiftRight(NUDGE_BIT + 1)),
                product.bit(NUDGE_BIT), 63 - NUDGE_BIT, 0).asSInt();
        // only INT32_MIN^2 leaves int32, as 2^31 (bits 32..31 = 01, a product below 2^62 in magnitude
        // cannot reach -2^31 - 1), and saturates to INT32_MAX as gemmlowp's does: one LUT level, not
        // saturate's two 33-bit compares
        Expr over = rounded.bit(31).and(rounded.bit(32).not());
        Signal srdhm = stage("srdhm" + l, Expr.mux(over, Expr.s(Integer.MAX_VALUE, 32), rounded.truncate(32)));
        // Dividing by 2^rs, rs = 31 - k, rounds as shifting left by k and dividing by 2^31 does: the
        // sign, the kept bits and the dropped ones stay srdhm's, with zeros shifted in below them. So the
        // bias is the constant for 31 plus the carry of srdhm's sign and al's bit 31, the carry registered
        // beside al so no LUT precedes its chain
        int alAt = halfAt() - pieces(63);
        Expr al = srdhm.shl(delay("k" + l, alignShift(sh), alAt - 2));
        Signal aligned = stage("al" + l, al);
        Rounding pot = TfliteRequant.DIVIDE_BY_POT_ROUNDING;
        Signal carry = stage("al_pos" + l, pot.carry(srdhm.msb(), al.bit(31)));
        // srdhm / 2^rs rounded lies in int32, so bits 62..31 of the sum are the result
        Expr scaled = chain("sc" + l, aligned, constant(pot.constant(31)), carry, 63, 31);
        return Expr.cat(scaled, Expr.u(0, 1)).asSInt();
    }

    /**
     * 2 x * mult / 2^total rounded down, total = 31 - shift, at {@link #halfAt}: the constructor's
     * (half + r) >> 1 then rounds x * mult / 2^total as TFLite's single rounding does, as that
     * rounding's bias (HALF_UP's 2^(total - 1)) adds nothing below the bits kept here.
     */
    private Expr singleRounding(String l, Expr x, Signal m, Signal sh) {
        Expr product = product(l, x, xAt(), m);
        // p >> (total - 1), total - 1 = 30 - shift in 0..61: by multiples of 8, then by 0..7, three
        // multiplexer levels a cycle; only 33 bits are kept, the 40 the second step reads first
        Expr amount = delay("s30" + l, Expr.s(30, 6).minus(sh).slice(5, 0), xAt() + productStages() - 1);
        Signal coarse = stage("al_hi" + l, shiftRight(product, amount.slice(5, 3), 3).truncate(HALF_BITS + 7));
        return stage("al" + l, shiftRight(coarse, delay("s30_lo" + l, amount.slice(2, 0), 1), 0).truncate(HALF_BITS));
    }

    /** {@code v >> (amount << lo)} (arithmetic), a 2:1 multiplexer level per amount bit. */
    private static Expr shiftRight(Expr v, Expr amount, int lo) {
        Expr r = v;
        for (int b = amount.width() - 1; b >= 0; b--) {
            r = Expr.mux(amount.bit(b), r.shr(1 << (lo + b)).extend(r.width()), r);
        }
        return r;
    }

    /** Bits of the cross products' sum. */
    private static final int MID_BITS = 2 * PIECE + 2;

    /**
     * The 64-bit product of {@code x}, registered at stage {@code xStage}, and the input {@code m},
     * {@link #productStages} cycles later, from four DSP-sized products: with x = xh * 2^16 + xl and m = mh * 2^16 + ml (xl,
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
        Expr mid = chain("p_mid" + l, lh, hl, null, MID_BITS, 0).asSInt();
        // ll lies in 0..(2^16 - 1)^2, so its 32 low bits beside hh's 32 are hh * 2^32 + ll (each waits
        // in registers of its own, a chain Yosys packs into SRLs bit by bit on Xilinx)
        Expr outer = Expr.cat(delay("p_hh" + l, hh.truncate(2 * PIECE), pieces(MID_BITS)),
                delay("p_ll" + l, ll.slice(2 * PIECE - 1, 0), pieces(MID_BITS)));
        // the product fits 64 bits, so the add wraps only its growth
        Expr high = chain("p" + l, outer.slice(4 * PIECE - 1, PIECE), mid, null, 4 * PIECE - PIECE, 0);
        return Expr.cat(high, delay("p_low" + l, outer.slice(PIECE - 1, 0), pieces(4 * PIECE - PIECE))).asSInt();
    }

    /**
     * a + b + cin mod 2^n (a and b at most n bits, extended as their types say; cin a bit or null) in
     * carry chains of at most {@link #piece} bits: piece i is added i cycles after the first, with
     * the carry of piece i - 1 from a register, while the operands' higher pieces wait in registers
     * and the sum's lower ones after them. Returns the sum's bits from {@code low} up (pieces below it
     * keep only their carry) registered {@link #pieces}(n) cycles later.
     */
    private Expr chain(String name, Expr a, Expr b, Expr cin, int n, int low) {
        int k = pieces(n);
        Expr carry = cin;
        Expr result = null;
        for (int i = 0; i < k; i++) {
            int lo = i * piece;
            int hi = Math.min(n, lo + piece) - 1;
            int w = hi - lo + 1;
            String p = k == 1 ? name : name + "_p" + i;
            Expr ai = operand(name + "_a" + i, a, lo, hi, i);
            Expr bi = operand(name + "_b" + i, b, lo, hi, i);
            // a carry in enters as the low bit of both operands: one chain, a bit longer, in Yosys and the estimate alike
            Expr s = carry == null ? ai.plus(bi) : Expr.cat(ai, carry).plus(Expr.cat(bi, carry)).slice(w + 1, 1);
            boolean last = i == k - 1;
            int keep = Math.max(low, lo) - lo; // this piece's lowest bit kept
            if (keep >= w) {
                carry = stage(p, s.bit(w));
                continue;
            }
            Signal r = stage(p, last ? s.slice(w - 1, keep) : s.slice(w, keep));
            Expr bits = delay(p, r.slice(w - 1 - keep, 0), k - 1 - i);
            result = result == null ? bits : Expr.cat(bits, result);
            carry = last ? null : r.bit(w - keep);
        }
        return result;
    }

    /**
     * Bits lo..hi of v, extended past its width as its type says, as they were {@code cycles} cycles
     * ago: only v's own bits wait in registers, its extension as its sign bit alone, a constant in
     * none, and each once however many chains read it (Yosys would merge the copies).
     */
    private Expr operand(String name, Expr v, int lo, int hi, int cycles) {
        int w = hi - lo + 1;
        if (v instanceof Const c) {
            return Expr.lit(c.value().shiftRight(lo).and(BigInteger.ONE.shiftLeft(w).subtract(BigInteger.ONE)), uint(w));
        }
        int top = v.width() - 1;
        if (lo > top) {
            return v.isSigned() ? delayed(name, v, top, top, cycles).asSInt().extend(w).asUInt() : Expr.u(0, w);
        }
        Expr bits = delayed(name, v, lo, Math.min(hi, top), cycles);
        return hi <= top ? bits : v.isSigned() ? bits.asSInt().extend(w).asUInt() : bits.extend(w);
    }

    /** Bits lo..hi of v after {@code cycles} registers, shared by every reader. */
    private Expr delayed(String name, Expr v, int lo, int hi, int cycles) {
        if (cycles == 0) {
            return v.slice(hi, lo);
        }
        Map<String, Expr> of = delays.computeIfAbsent(v, e -> new HashMap<>());
        String key = lo + ":" + hi + ":" + cycles;
        Expr d = of.get(key);
        if (d == null) {
            d = stage(name + "_d" + cycles, delayed(name, v, lo, hi, cycles - 1));
            of.put(key, d);
        }
        return d;
    }

    /** c as an unsigned constant just wide enough, an operand of {@link #chain}. */
    private static Expr constant(BigInteger c) {
        return Expr.lit(c, uint(Math.max(1, c.bitLength())));
    }

    /** max(shift, 0) as UInt(5). */
    private static Expr leftShift(Signal sh) {
        return Expr.mux(sh.msb(), Expr.u(0, 5), sh.slice(4, 0));
    }

    /** 31 - max(-shift, 0) = min(shift + 31, 31) as UInt(5). */
    private static Expr alignShift(Signal sh) {
        return Expr.mux(sh.msb(), sh.plus(31).slice(4, 0), Expr.u(31, 5));
    }

    /** A signed value saturated to the output type, registered {@link #PARAMS_AT} - 1 cycles later. */
    private Signal toOutput(String name, Signal v, int outBits, boolean outSigned) {
        long max = outSigned ? (1L << (outBits - 1)) - 1 : (1L << outBits) - 1;
        long min = outSigned ? -(1L << (outBits - 1)) : 0;
        // its comparisons with the type's range a cycle ahead of the choice, so neither follows a carry chain
        Signal over = stage(name + "_over", v.gt(max));
        Signal under = stage(name + "_under", v.lt(min));
        Signal w = stage(name + "_in", v);
        Expr inRange = outSigned ? w.truncate(outBits) : w.slice(outBits - 1, 0);
        return stage(name, Expr.mux(over, Expr.lit(max, inRange.type()), Expr.mux(under, Expr.lit(min, inRange.type()), inRange)));
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
        return halfAt() + pieces(HALF_BITS + 1) + 1; // + the comparisons' chains, the clamp
    }
}

package dev.qforge.generators.quantize;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Record;
import dev.qforge.dsl.Rounding;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stream;
import dev.qforge.dsl.Vec;
import dev.qforge.lib.PipelineStage;
import dev.qforge.numerics.Binary32Blocks;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;

/**
 * A quantize unit: a stream of binary32 or bf16 values, {@code lanes} per beat, in; the same
 * elements as MX or BFP codes, with their block's E8M0 scale on every beat, out. Bit-exact with
 * {@link QuantizeGolden}; the arithmetic is {@link Binary32Blocks}' integer formulation.
 *
 * <p>A block's scale depends on its largest element, so the unit holds two blocks (ping-pong
 * registers): it takes block j + 1 while it sends block j. While a block comes in, its largest
 * exponent field and whether any element is nonzero are tracked; its last beat fixes the scale.
 * Elements are stored with their significands already normalised (the leading-zero count of
 * subnormals is taken on the way in); as beats leave, each element's exponent relative to the
 * scale and its rounding shift are registered, then its code. Timing: {@link QuantizeCycleModel}.
 *
 * <p>Ports: {@code in} (valid/ready; {@code in_data_i}, lane i of the beat; beat b of a block holds
 * elements b * lanes .. b * lanes + lanes - 1), {@code out} (valid/ready; {@code out_scale},
 * {@code out_last} on a block's last beat, {@code out_code_i}).
 */
public final class Quantizer extends Module {
    public final Stream in;
    public final Stream out;

    public Quantizer(QuantizeConfig cfg) {
        super(cfg.moduleName());
        int lanes = cfg.lanes();
        int beats = cfg.beatsPerBlock();
        int inBits = cfg.input().bits();
        Binary32Blocks.Element element = cfg.format().element();

        Record inRecord = Record.of("data_0", uint(inBits));
        Record outRecord = Record.of("scale", uint(8)).with("last", bool());
        for (int i = 0; i < lanes; i++) {
            inRecord = i == 0 ? inRecord : inRecord.with("data_" + i, uint(inBits));
            outRecord = outRecord.with("code_" + i, uint(element.bits()));
        }
        in = inStream("in", inRecord);
        out = outStream("out", outRecord);

        // Buffer slot = bank * beats + beat; the top bit of a pointer is its bank.
        int slotBits = Integer.numberOfTrailingZeros(2 * beats);
        Signal wPtr = reg("w_ptr", uint(slotBits), 0);
        Signal rPtr = reg("r_ptr", uint(slotBits), 0);
        Expr wBank = wPtr.msb();
        Expr rBank = rPtr.msb();
        Expr wLast = lastBeat(wPtr, slotBits);
        Expr rLast = lastBeat(rPtr, slotBits);
        Signal full0 = reg("full_0", bool(), 0);
        Signal full1 = reg("full_1", bool(), 0);
        Signal scale0 = reg("scale_0", uint(8));
        Signal scale1 = reg("scale_1", uint(8));

        Signal canTake = named("can_take", Expr.mux(wBank, full1, full0).not());
        Signal inFire = named("in_fire", in.valid().and(canTake));
        in.ready().set(canTake);

        // the block coming in: largest exponent field and any nonzero element so far
        Signal maxExp = reg("max_exp", uint(8), 0);
        Signal nonzero = reg("nonzero", bool(), 0);
        Expr[] exps = new Expr[lanes + 1];
        Expr beatNonzero = nonzero;
        for (int i = 0; i < lanes; i++) {
            Expr x = binary32(in.field("data_" + i), inBits);
            exps[i] = x.slice(30, 23);
            beatNonzero = beatNonzero.or(x.slice(30, 0).orReduce());
        }
        exps[lanes] = maxExp;
        Expr beatMax = maxTree(exps, 0, lanes + 1);
        Signal blockMax = named("block_max_exp", beatMax);
        Signal blockNonzero = named("block_nonzero", beatNonzero);
        Signal blockScale = named("block_scale", scaleByte(blockMax, blockNonzero, element.emax()));

        // two register stages on the way out: shift amounts, then codes; their input streams are driven here
        int sigBits = inBits - 8; // significand with its hidden bit: 24 (fp32) or 8 (bf16)
        Record midRecord = Record.of("scale", uint(8)).with("last", bool());
        for (int i = 0; i < lanes; i++) {
            midRecord = midRecord.with("sign_" + i, bool()).with("t_" + i, sint(10)).with("shift_" + i, uint(10))
                    .with("sig_" + i, uint(sigBits));
        }
        PipelineStage midDef = new PipelineStage(midRecord);
        Instance<PipelineStage> midInst = instance("mid_stage", midDef);
        Stream toMid = midInst.io(midDef.in);
        Stream mid = midInst.io(midDef.out);
        PipelineStage outDef = new PipelineStage(outRecord);
        Instance<PipelineStage> outInst = instance("out_stage", outDef);
        out.set(outInst.io(outDef.out));
        Stream toOut = outInst.io(outDef.in);
        toOut.valid().set(mid.valid());
        mid.ready().set(toOut.ready());
        Signal sendValid = wire("send_valid", bool()); // read here instead of the stage's input port
        Signal outFire = named("out_fire", sendValid.and(toMid.ready()));
        when(inFire, () -> {
            wPtr.set(wPtr.plus(1).truncate(slotBits));
            maxExp.set(Expr.mux(wLast, Expr.u(0, 8), blockMax));
            nonzero.set(wLast.not().and(blockNonzero));
        });
        when(outFire, () -> rPtr.set(rPtr.plus(1).truncate(slotBits)));
        Expr blockIn = inFire.and(wLast);
        Expr blockOut = outFire.and(rLast);
        // a bank fills only when empty and drains only when full, so the two never hit one bank at once
        full0.set(Expr.mux(blockIn.and(wBank.not()), Expr.bool(true), Expr.mux(blockOut.and(rBank.not()), Expr.bool(false), full0)));
        full1.set(Expr.mux(blockIn.and(wBank), Expr.bool(true), Expr.mux(blockOut.and(rBank), Expr.bool(false), full1)));
        when(blockIn.and(wBank.not()), () -> scale0.set(blockScale));
        when(blockIn.and(wBank), () -> scale1.set(blockScale));

        Signal scale = named("r_scale", Expr.mux(rBank, scale1, scale0));
        sendValid.set(Expr.mux(rBank, full1, full0));
        toMid.valid().set(sendValid);
        toMid.field("scale").set(scale);
        toMid.field("last").set(rLast);
        Signal midScale = named("mid_scale", mid.field("scale"));
        Signal nanBlock = named("nan_block", midScale.eq(Binary32Blocks.SPECIAL_EXPONENT));
        toOut.field("scale").set(midScale);
        toOut.field("last").set(mid.field("last"));
        for (int i = 0; i < lanes; i++) {
            String l = "_" + i;
            Expr entry = normalise(l, binary32(in.field("data_" + i), inBits), sigBits);
            Vec buf = regs("buf_" + i, 2 * beats, uint(entry.width()));
            buf.setAtWhen(inFire, wPtr, entry);
            Signal stored = named("stored_" + i, buf.at(rPtr));
            // t = e - scale and the right shift r, registered; then R, the magnitude and the code
            Signal t = named("t" + l, stored.slice(sigBits + 8, sigBits).asSInt().minus(scale.extend(9).asSInt()).resize(10));
            toMid.field("sign" + l).set(stored.msb());
            toMid.field("t" + l).set(t);
            toMid.field("shift" + l).set(rightShift(t, element, normBits(sigBits, element)));
            toMid.field("sig" + l).set(stored.slice(sigBits - 1, 0));
            Expr code = encode(l, mid.field("sign" + l), mid.field("t" + l), mid.field("shift" + l), mid.field("sig" + l), element);
            toOut.field("code_" + i).set(Expr.mux(nanBlock, Expr.u(0, element.bits()), code));
        }
    }


    /** Whether the pointer's beat is the last of its block (always, with one beat per block). */
    private static Expr lastBeat(Signal ptr, int slotBits) {
        return slotBits == 1 ? Expr.bool(true) : ptr.slice(slotBits - 2, 0).andReduce();
    }

    /** The binary32 pattern of an input lane (bf16: the pattern followed by 16 zero bits). */
    private static Expr binary32(Expr pattern, int inBits) {
        return inBits == 32 ? pattern : Expr.cat(pattern, Expr.u(0, 32 - inBits));
    }

    /** {@link Binary32Blocks#scaleByte(int, boolean, int)}: 0xFF, or max(E' - emax, 0). */
    private Expr scaleByte(Expr maxExp, Expr anyNonzero, int emax) {
        Expr e = Expr.mux(maxExp.eq(0).and(anyNonzero.not()), Expr.u(1, 8), maxExp);
        Expr clamped = emax == 0 ? e : Expr.mux(e.gt(emax), e.minus(emax).truncate(8), Expr.u(0, 8));
        return Expr.mux(maxExp.eq(Binary32Blocks.SPECIAL_EXPONENT), Expr.u(Binary32Blocks.SPECIAL_EXPONENT, 8), clamped);
    }

    /** The largest of values[from, to), as a balanced tree of compares. */
    private static Expr maxTree(Expr[] values, int from, int to) {
        if (to - from == 1) {
            return values[from];
        }
        int mid = (from + to) / 2;
        Expr a = maxTree(values, from, mid);
        Expr b = maxTree(values, mid, to);
        return Expr.mux(a.gt(b), a, b);
    }

    /**
     * What the buffer keeps of an element, so the output side starts from a normalised significand:
     * sign, the biased exponent of its leading bit max(E, 1) - lz (SInt(9), -22..254) and the
     * significand shifted up by its leading-zero count lz (a zero stays 0: its top bit is clear).
     * Only the top sigBits - 1 fraction bits are read (bf16 has no more).
     */
    private Expr normalise(String l, Expr x, int sigBits) {
        Expr exp = x.slice(30, 23);
        Expr normal = exp.orReduce();
        Signal s = named("sig" + l, Expr.cat(normal, x.slice(22, 24 - sigBits)));
        Signal lz = named("lz" + l, leadingZeros(Expr.cat(s, Expr.u((1 << (32 - sigBits)) - 1, 32 - sigBits)), 32));
        Expr norm = s.shl(lz).truncate(sigBits);
        Expr biased = Expr.mux(normal, exp, Expr.u(1, 8)).extend(9).asSInt().minus(lz.extend(6).asSInt()).resize(9);
        return Expr.cat(x.bit(31), biased.asUInt(), norm);
    }

    /** Leading zeros of a 2^k-bit value with a set bit, as a k-bit count: a tree of halves. */
    private static Expr leadingZeros(Expr v, int width) {
        if (width == 2) {
            return v.bit(1).not().asUInt();
        }
        int half = width / 2;
        Expr hi = v.slice(width - 1, half);
        Expr lo = v.slice(half - 1, 0);
        Expr hiZero = hi.orReduce().not();
        // an all-zero top half sends the count to the bottom half, which then has a set bit
        return Expr.cat(hiZero, Expr.mux(hiZero, leadingZeros(lo, half), leadingZeros(hi, half)));
    }

    /**
     * Bits of the significand the rounding reads: {@link Binary32Blocks} rounds the 24-bit binary32
     * significand, but below a bf16 significand's 8 bits lie only zeros, which round alike, so it
     * keeps them only as far as the code's M + 2 bits need (the rounding's shifters and adder are
     * then 8 + 3 bits wide rather than 27).
     */
    private static int normBits(int sigBits, Binary32Blocks.Element el) {
        return Math.max(sigBits, el.mantissaBits() + 2);
    }

    /**
     * r = S - 1 - M + max(0, 1 - bias - t) for a significand of S bits ({@link #normBits}): the right
     * shift that leaves the element's quantum in bit 0 (t in -278..254); 23 - M + ... for binary32's 24.
     */
    private static Expr rightShift(Expr t, Binary32Blocks.Element el, int normBits) {
        Expr below = Expr.s(1 - el.bias(), 6).minus(t).resize(11); // 1 - bias - t: how far below the normal range
        Expr extra = Expr.mux(below.msb(), Expr.u(0, 10), below.slice(9, 0));
        return extra.plus(Expr.u(normBits - 1 - el.mantissaBits(), 5)).truncate(10);
    }

    /**
     * The rest of {@link Binary32Blocks#encode} from the registered sign, t, r and normalised
     * significand: R = RNE(S / 2^r), magnitude = max(t + bias - 1, 0) * 2^M + R saturated;
     * sign-magnitude or two's complement code.
     */
    private Expr encode(String l, Expr sign, Expr t, Expr r, Expr sig, Binary32Blocks.Element el) {
        int m = el.mantissaBits();
        int n = normBits(sig.width(), el);
        Signal norm = named("norm" + l, sig.width() == n ? sig : Expr.cat(sig, Expr.u(0, n - sig.width())));
        Signal rounded = named("r" + l, norm.roundShiftRight(r, Rounding.HALF_EVEN).truncate(m + 2));
        int magBits = el.bits() - 1;
        Expr magnitude;
        if (el.integer()) {
            magnitude = rounded; // t <= 0 = emax: no exponent field
        } else {
            Expr top = t.plus(Expr.s(el.bias() - 1, 6)).resize(11); // t + bias - 1
            Expr expField = Expr.mux(top.msb(), Expr.u(0, el.exponentBits()), top.slice(el.exponentBits() - 1, 0));
            magnitude = Expr.cat(expField, Expr.u(0, m)).plus(rounded.extend(el.exponentBits() + m)).truncate(el.bits());
        }
        Signal mag = named("mag" + l, magnitude);
        Expr max = Expr.u(el.maxMagnitude(), magBits);
        Signal sat = named("sat" + l, Expr.mux(mag.gt(max), max, mag.truncate(magBits)));
        if (el.integer()) {
            Expr neg = sat.extend(el.bits()).asSInt().negate().truncate(el.bits()).asUInt();
            return Expr.mux(sign, neg, sat.extend(el.bits()));
        }
        return Expr.cat(sign, sat);
    }

    /** A wire holding {@code value}, so the Verilog reads it by name. */
    private Signal named(String name, Expr value) {
        Signal w = wire(name, value.type());
        w.set(value);
        return w;
    }
}

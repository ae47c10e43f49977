package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Record;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.SourceLocation;
import dev.qforge.dsl.Stream;
import dev.qforge.generators.requant.Requantizer;

import java.util.function.BiFunction;

import static dev.qforge.dsl.HwType.bool;

/**
 * What both GEMM engines share: the streams (declared in this order: cfg, wgt, bias, quant, scale,
 * act, out), lane-per-field payloads, pipelines that advance with the engine's one enable,
 * {@code en} (low while the output skid register holds a beat), the N fold stepping, the bias registers and the output stage.
 */
abstract class EngineModule extends Module {
    /** Every engine's controller starts and ends a GEMM in state 0. */
    protected static final int IDLE = 0;

    public final Stream cfgIn;
    public final Stream wgt;
    /** The per-column bias, or null. */
    public final Stream bias;
    /** The requantization parameters, or null. */
    public final Stream quant;
    /** The group scales, or null. */
    public final Stream scale;
    public final Stream act;
    public final Stream out;
    protected final SystolicConfig cfg;
    /** The beat at the start of each N fold: the bias, the requantization parameters, or null. */
    protected final Stream foldParams;
    /** Advances every register of the engine; low while a result waits for out_ready. */
    protected final Signal en;
    /** The zero point register of unsigned activations, loaded from each cfg beat; null for signed ones. */
    protected final Signal zp;
    /** Columns of N left from the N fold under way on, loaded from each cfg beat. */
    protected final Signal nLeft;
    /**
     * Whether N folds follow the one under way (n_left > C): a register set beside n_left, so no
     * comparison of it precedes the controller's next state; null when N never folds.
     */
    private final Signal moreN;

    EngineModule(SystolicConfig cfg, Dataflow dataflow, String otherEngine) {
        super("GemmEngine_" + cfg.shortName());
        if (cfg.dataflow() != dataflow) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " is " + (dataflow == Dataflow.WS ? "weight" : "output")
                    + "-stationary; build dataflow " + cfg.dataflow().cliName() + " with " + otherEngine);
        }
        this.cfg = cfg;
        cfgIn = cfgStream();
        // MX element codes are bit patterns
        wgt = inStream("wgt", lanes(cfg.cols(), cfg.mx() != null ? HwType.uint(cfg.weightBits()) : HwType.sint(cfg.weightBits())));
        bias = cfg.bias() ? inStream("bias", lanes(cfg.cols(), HwType.sint(SystolicConfig.BIAS_BITS))) : null;
        quant = cfg.requant() != null ? inStream("quant", quantLanes(cfg.cols())) : null;
        scale = cfg.scaled() ? inStream("scale", lanes(cfg.cols(), HwType.uint(cfg.scaleBits()))) : null;
        // an MX activation row comes with its block's E8M0 scale
        act = inStream("act", cfg.mx() != null ? lanes(cfg.rows(), HwType.uint(cfg.actBits())).with("scale", HwType.uint(8))
                : lanes(cfg.rows(), cfg.actSigned() ? HwType.sint(cfg.actBits()) : HwType.uint(cfg.actBits())));
        // float results are their formats' bit patterns
        out = outStream("out", lanes(cfg.cols(), cfg.scaled() ? HwType.uint(cfg.outBits()) : HwType.sint(cfg.outBits())));
        foldParams = bias != null ? bias : quant;
        en = wire("en", bool());
        if (cfg.actSigned()) {
            zp = null;
        } else {
            zp = reg("a_zp", cfgIn.field("zp").type());
            zp.setWhen(cfgIn.fire(), cfgIn.field("zp"));
        }
        nLeft = reg("n_left", cfgIn.field("n").type());
        nLeft.setWhen(cfgIn.fire(), cfgIn.field("n"));
        moreN = cfg.maxN() > cfg.cols() ? reg("more_n", bool()) : null;
        if (moreN != null) {
            moreN.setWhen(cfgIn.fire(), cfgIn.field("n").gt(cfg.cols()));
        }
    }

    /** {@code stages} datapath registers in a row, advancing with {@code en}; element j is {@code in} delayed j + 1 cycles. */
    protected final Signal[] pipe(String name, Expr in, int stages) {
        return stages(name, in, stages, (n, at) -> reg(n, in.type(), at));
    }

    /** Like {@link #pipe} for valid bits, which reset to 0. */
    protected final Signal[] validPipe(String name, Expr in, int stages) {
        return stages(name, in, stages, (n, at) -> reg(n, bool(), 0, at));
    }

    /** The registers of a pipe, each declared by {@code declare} (its name, where it is reported). */
    private Signal[] stages(String name, Expr in, int stages, BiFunction<String, SourceLocation, Signal> declare) {
        // one stack walk per pipe rather than two per register: a 256 x 256 engine has 6.6 * 10^4 skew and deskew registers
        SourceLocation at = SourceLocation.capture();
        Signal[] q = new Signal[stages];
        for (int j = 0; j < stages; j++) {
            Signal r = declare.apply(name + "_" + j, at);
            Expr d = j == 0 ? in : q[j - 1];
            when(en, at, () -> connect(r, d, at));
            q[j] = r;
        }
        return q;
    }

    /**
     * After an N fold's last inner fold (K folds, or M folds when output-stationary): the next N
     * fold from state {@code foldStart}, with the inner counters restarted by {@code restartInner}
     * (null when the inner dimension never folds), or idle after the last.
     */
    protected final void nextNFold(Signal state, Runnable restartInner, int foldStart) {
        if (moreN == null) {
            state.set(IDLE);
            return;
        }
        when(moreN, () -> {
            nLeft.set(nLeft.minus(cfg.cols()).truncate(nLeft.width()));
            moreN.set(nLeft.gt(2L * cfg.cols())); // n_left - C > C
            if (restartInner != null) {
                restartInner.run();
            }
            state.set(foldStart);
        }).otherwise(() -> state.set(IDLE));
    }

    /** One register per column holding the bias beat's lane, loaded when it fires; lanes past N cleared. */
    protected final Signal[] biasRegisters() {
        Signal[] q = new Signal[cfg.cols()];
        for (int c = 0; c < q.length; c++) {
            q[c] = reg("bias_q_" + c, HwType.sint(SystolicConfig.BIAS_BITS));
            q[c].setWhen(bias.fire(), masked(nLeft, c, lane(bias, c)));
        }
        return q;
    }

    /**
     * The output stage of result rows {@code values} valid with {@code valid}: a register per lane,
     * or the requantizer; then a skid register, which takes the stage's beat when the engine advanced
     * past it while out_ready was low. The engine advances while the skid register is empty, so its
     * enable is a register and no path runs from out_ready into the engine.
     */
    protected final void outputStage(Expr[] values, Expr valid) {
        Expr[] beat = new Expr[values.length];
        Expr beatValid = cfg.requant() == null ? outputRegister(values, valid, beat) : requantize(values, valid, beat);
        // the skid register is empty: the enable itself, a register
        Signal skidEmpty = reg("skid_empty", bool(), 1);
        en.set(skidEmpty);
        when(skidEmpty, () -> skidEmpty.set(beatValid.not().or(out.ready()))).otherwise(() -> skidEmpty.set(out.ready()));
        out.valid().set(skidEmpty.not().or(beatValid));
        for (int c = 0; c < beat.length; c++) {
            Signal skid = reg("skid_" + c, beat[c].type());
            skid.setWhen(skidEmpty, beat[c]);
            lane(out, c).set(Expr.mux(skidEmpty, beat[c], skid));
        }
    }

    /** The plain output stage: a register per lane ({@code beat}) and a valid bit, advancing with {@code en}; returns its valid. */
    private Expr outputRegister(Expr[] values, Expr valid, Expr[] beat) {
        Signal v = reg("out_valid_q", bool(), 0);
        v.setWhen(en, valid);
        for (int c = 0; c < values.length; c++) {
            Signal q = reg("out_q_" + c, values[c].type());
            q.setWhen(en, values[c]);
            beat[c] = q;
        }
        return v;
    }

    /**
     * The int8 output stage: each N fold's quant beat (lanes past N cleared) and each GEMM's output
     * zero point and clamp feed a {@link Requantizer}, whose output register is the stage's
     * ({@code beat}); returns its valid. The controller keeps both beats out until the last row using the old
     * values has entered the requantizer.
     */
    private Expr requantize(Expr[] values, Expr valid, Expr[] beat) {
        int cols = cfg.cols();
        Requantizer rq = new Requantizer(cols, cfg.accBits(), SystolicConfig.REQUANT_OUT_BITS, true, cfg.requant());
        Instance<Requantizer> u = instance("requant", rq);
        u.io(rq.en).set(en);
        u.io(rq.inValid).set(valid);
        for (String f : new String[] {"out_zp", "act_min", "act_max"}) {
            Signal q = reg(f + "_q", cfgIn.field(f).type());
            q.setWhen(cfgIn.fire(), cfgIn.field(f));
            u.io(rq.port(f)).set(q);
        }
        for (int c = 0; c < cols; c++) {
            u.io(rq.acc.get(c)).set(values[c]);
            for (String f : new String[] {"bias", "mult", "shift"}) {
                Signal in = quant.field(f + "_" + c);
                Signal q = reg(f + "_q_" + c, in.type());
                q.setWhen(quant.fire(), masked(nLeft, c, in));
                u.io(rq.port(f + "_" + c)).set(q);
            }
            beat[c] = u.io(rq.out.get(c));
        }
        return u.io(rq.outValid);
    }

    /** The quant beat: per column an int32 bias, an int32 multiplier and a 6-bit shift. */
    static Record quantLanes(int cols) {
        Record r = null;
        for (String f : new String[] {"bias", "mult", "shift"}) {
            for (int c = 0; c < cols; c++) {
                HwType t = HwType.sint(f.equals("shift") ? 6 : 32);
                r = r == null ? Record.of(f + "_" + c, t) : r.with(f + "_" + c, t);
            }
        }
        return r;
    }

    /** A payload of {@code n} lanes named 0..n-1, so stream {@code s} has ports s_0, s_1, ... */
    static Record lanes(int n, HwType t) {
        Record r = Record.of("0", t);
        for (int i = 1; i < n; i++) {
            r = r.with(Integer.toString(i), t);
        }
        return r;
    }

    static Signal lane(Stream s, int i) {
        return s.field(Integer.toString(i));
    }

    /** Lane {@code i} of a beat when it lies within the {@code left} remaining rows or columns, else 0. */
    static Expr masked(Signal left, int i, Expr lane) {
        Expr zero = Expr.lit(0, lane.type());
        // A lane the counter can never reach is always 0 (and a comparison with it would be constant).
        return i > left.type().max() - 1 ? zero : Expr.mux(left.gt(i), lane, zero);
    }

    /**
     * The cfg stream: m, k, n; the activation zero point when activations are unsigned; the output
     * zero point and clamp bounds with requant.
     */
    private Stream cfgStream() {
        Record r = Record.of("m", HwType.uint(bitsFor(cfg.maxM()))).with("k", HwType.uint(bitsFor(cfg.maxK())))
                .with("n", HwType.uint(bitsFor(cfg.maxN())));
        if (!cfg.actSigned()) {
            r = r.with("zp", HwType.uint(cfg.actBits()));
        }
        if (cfg.requant() != null) {
            r = r.with("out_zp", HwType.sint(16)).with("act_min", HwType.sint(16)).with("act_max", HwType.sint(16));
        }
        return inStream("cfg", r);
    }

    /** Activation lane i as the grid multiplies it: signed as is, unsigned minus the zero point. */
    protected final Expr activation(int i) {
        Signal a = lane(act, i);
        return zp == null ? a : a.toSInt().minus(zp.toSInt()).truncate(cfg.peActBits());
    }

    /** Bits of an unsigned counter that reaches {@code max} (at least 1). */
    static int bitsFor(int max) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(max));
    }
}

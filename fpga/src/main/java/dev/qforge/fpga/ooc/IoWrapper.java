package dev.qforge.fpga.ooc;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.Expr.cat;
import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;

/**
 * A block placed and routed out of context, when its ports outnumber the package's pins: one
 * serial input pin shifts through a register per input port bit, and every output is captured in a
 * register whose bits are XORed into one output pin. Every input bit is then a distinct register
 * and every output bit reaches a pin, so synthesis can neither fold a constant into the block nor
 * drop an unread output: the block's logic is kept whole (the report checks it module by module,
 * see {@link OutOfContextPlacement}), and every port is driven and read by a register, as the
 * estimate's out-of-context convention assumes.
 */
public final class IoWrapper extends Module {
    /** The wrapper's own pins besides clock and reset. */
    public static final String SERIAL_IN = "serial_in";
    public static final String PARITY_OUT = "parity_out";

    public IoWrapper(Module block) {
        super("IoWrapper_" + block.name());
        Instance<Module> dut = instance("dut", block);
        Expr serial = input(SERIAL_IN, bool());
        Expr parity = null;
        for (Signal p : block.ports()) {
            int w = p.width();
            if (p.kind() == Signal.Kind.INPUT) {
                Signal r = reg("in_" + p.name(), w == 1 ? bool() : uint(w));
                r.set(w == 1 ? serial : cat(r.slice(w - 2, 0), serial));
                dut.io(p).set(as(r, p.type()));
                serial = w == 1 ? r : r.msb();
            } else {
                Signal r = reg("out_" + p.name(), p.type());
                r.set(dut.io(p));
                Expr bits = w == 1 ? r : r.xorReduce();
                parity = parity == null ? bits : parity.xor(bits);
            }
        }
        if (parity == null) {
            throw new IllegalArgumentException("block " + block.name() + " has no output: nothing of it would be left to place");
        }
        output(PARITY_OUT, bool()).set(parity);
    }

    /** The raw bits of {@code r} read as {@code type}. */
    private static Expr as(Signal r, HwType type) {
        if (type.isBool()) {
            return r;
        }
        Expr x = type.isSigned() ? r.asSInt() : r;
        return type.isFixed() ? x.asFixed(type.frac()) : x;
    }
}

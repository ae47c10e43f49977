package dev.qforge.fpga.synth;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.Expr.cat;
import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;

/**
 * A block placed out of context for nextpnr-ice40, when its ports outnumber the package's pins: one
 * serial input shifts through a register per input port bit, and every output is captured in a
 * register whose bits are XORed to one output pin. Every port of the block is then driven and read
 * by a register, as the estimate's out-of-context convention assumes, and no logic is removed
 * (FINDINGS.md: logic cells within 0-2 of the block on its own pins). Calibration only: the bring-up
 * issue brings the product's wrapper.
 */
final class OutOfContext extends Module {
    OutOfContext(Module block) {
        super("OutOfContext_" + block.name());
        Instance<Module> dut = instance("dut", block);
        Expr serial = input("serial_in", bool());
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
        output("parity_out", bool()).set(parity);
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

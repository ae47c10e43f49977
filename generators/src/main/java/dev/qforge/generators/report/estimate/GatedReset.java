package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Target;

import java.util.List;

/**
 * A register loaded with a constant and with one value: whether Yosys can make the constant's
 * condition the flip-flop's synchronous reset on Xilinx. opt_dff reads the data input's multiplexers
 * from the flip-flop back: when the constant sits behind more than one condition (its load nested in a
 * state's branch, {@code if (state == 1) if (start) q <= 0}), the outermost multiplexer holds the
 * register, so opt_dff takes the clock enable first and the constant becomes a reset gated by that
 * enable ($sdffce). FDRE's R acts whatever CE is, so dfflegalize puts that reset back into the data
 * as a LUT per bit (iCE40's SB_DFFESR gates its reset by the enable, so there it stays free). A
 * constant behind one condition ({@code if (clr) q <= 0; else if (en) q <= d}) is the outermost
 * multiplexer and becomes R; a value that is a select itself (the divider's remainder, {@code fits ?
 * rem2 - sum : rem2}) has a LUT per bit already, with room for the constant's condition. Yosys 0.23,
 * 16 bits with a reset: the flat form 1 LUT on xc7 and xcup; nested under a state (the divider's
 * quotient) 16 and 16 (the model 20), without the reset 17 and 17 (the model 20).
 */
final class GatedReset {
    private GatedReset() { }

    /** Whether {@code ds} (two drivers, one of them a constant) leave a reset gated by the enable on {@code target}. */
    static boolean inData(Target target, List<Drivers.Driver> ds) {
        if (target.isIce40()) {
            return false;
        }
        boolean first = ds.get(0).assign().value() instanceof Const;
        Drivers.Driver constant = first ? ds.get(0) : ds.get(1);
        Expr value = Operators.strip((first ? ds.get(1) : ds.get(0)).assign().value());
        // a value that is a select already has a LUT per bit, which takes the constant's condition in
        return constant.path().size() > 1 && !(value instanceof Op op && op.kind() == Op.Kind.MUX);
    }
}

package dev.qforge.dsl;

import java.math.BigInteger;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;

/**
 * Negative constants in every place the emitter writes one: alone, extended into a wider value, as
 * an operand of add, bitwise, multiply, compare, mux, concatenation and arithmetic shift, negated,
 * and as ROM entries; each with -91 and with the most negative value of its width, whose magnitude
 * does not fit the width (-128 in 8 bits), and with a 48-bit value past the decimal range.
 */
final class NegativeConstants extends Module {
    NegativeConstants() {
        super("NegativeConstants");
        Signal s = input("s", sint(8));
        Signal u = input("u", uint(8));
        Signal sel = input("sel", bool());
        Signal amt = input("amt", uint(3));
        Expr m91 = Expr.s(-91, 8);
        Expr min = Expr.s(-128, 8);
        Expr wide = Expr.lit(BigInteger.ONE.shiftLeft(40).add(BigInteger.valueOf(5)).negate(), sint(48));
        Expr wideMin = Expr.lit(BigInteger.ONE.shiftLeft(47).negate(), sint(48));

        out("c_m91", m91);
        out("c_min", min);
        output("c_min_wide", sint(16)).set(min);
        out("c_wide", wide);
        out("c_wide_min", wideMin);
        out("sum_m91", s.plus(m91));
        out("sum_min", s.plus(min));
        out("xor_min", s.xor(min));
        out("and_m91", s.and(m91));
        out("prod_m91", s.times(m91));
        out("prod_min", s.times(min));
        out("prod_wide", s.times(wide));
        out("lt_m91", s.lt(m91));
        out("le_min", s.le(min));
        out("gt_wide", s.gt(wideMin));
        out("eq_m91", s.eq(-91));
        out("mux_min", Expr.mux(sel, min, s));
        out("cat_m91", Expr.cat(m91, u.slice(3, 0)));
        out("shr_min", min.shr(amt));
        out("neg_min", min.negate());
        out("sum_wide", s.plus(wide));
        Rom lut = rom("lut", sint(8), new long[] {-128, -91, -1, 127});
        out("rom_q", lut.read("lut_q", u.slice(1, 0)));
    }

    private void out(String name, Expr value) {
        output(name, value.type()).set(value);
    }
}

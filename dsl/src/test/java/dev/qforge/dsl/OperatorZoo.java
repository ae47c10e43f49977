package dev.qforge.dsl;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;

/**
 * One combinational output per operator form (plus a memory, ROMs, switch and a register) so the
 * emitter's handling of every one of them is linted, synthesised and simulated.
 */
final class OperatorZoo extends Module {
    final Signal a;
    final Signal b;
    final Signal u;
    final Signal v;
    final Signal sh;

    OperatorZoo() {
        super("OperatorZoo");
        a = input("a", sint(8));
        b = input("b", sint(8));
        u = input("u", uint(8));
        v = input("v", uint(8));
        sh = input("sh", uint(3));
        Signal sel = input("sel", uint(2));

        out("add_s", a.plus(b));
        out("sub_s", a.minus(b));
        out("sub_u", u.minus(v));
        out("mul_s", a.times(b));
        out("mul_u", u.times(v));
        out("neg", a.negate());
        out("mac_trunc", a.times(b).plus(a).truncate(12));
        out("mul_trunc_s", a.times(b).truncate(11));
        out("mul_trunc_su", a.times(v.toSInt()).truncate(13));
        out("sum_shr", a.plus(b).shr(1));
        out("and_u", u.and(v));
        out("or_s", a.or(b));
        out("xor_u", u.xor(v.slice(3, 0)));
        out("not_s", a.not());
        out("red", Expr.cat(u.orReduce(), u.andReduce(), u.xorReduce()));
        out("cmp_s", Expr.cat(a.lt(b), a.le(b), a.gt(b), a.ge(b), a.eq(b), a.ne(b)));
        out("cmp_u", Expr.cat(u.lt(v), u.le(v), u.gt(v), u.ge(v), u.eq(v), u.ne(v)));
        out("shl_c", a.shl(3));
        out("shr_c", a.shr(3));
        out("shl_d", u.shl(sh));
        out("shr_d_u", u.shr(sh));
        out("shr_d_s", a.shr(sh));
        out("slice_sum", u.plus(v).slice(8, 4));
        out("bit_prod", a.times(b).bit(15).asUInt());
        out("cat", Expr.cat(a, u.slice(2, 0), Expr.u(5, 3)));
        out("mux_s", Expr.mux(u.gt(v), a, b.extend(10)));
        out("ext_s", a.plus(b).extend(16));
        out("ext_u", u.minus(v).extend(16));
        out("resize_s", a.times(b).resize(10));
        out("sat_s", a.times(b).saturate(8));
        out("sat_u", u.times(v).saturate(8));
        for (Rounding r : Rounding.values()) {
            out("round_" + r.name().toLowerCase(java.util.Locale.ROOT), a.times(b).roundShiftRight(5, r));
        }
        out("round_u", u.times(v).roundShiftRight(3, Rounding.HALF_EVEN));
        out("as_u", a.asUInt().plus(u));
        out("to_s", u.toSInt().minus(a));
        out("fix_add", a.asFixed(4).plus(b.asFixed(2)).asSInt());
        out("fix_mul", a.asFixed(4).times(b.asFixed(4)).asSInt());
        Vec lanes = wires("lanes", 3, uint(8));
        lanes.get(0).set(u);
        lanes.get(1).set(v);
        lanes.get(2).set(u.xor(v));
        out("vec_at", lanes.at(sel));

        Signal picked = wire("picked", uint(8));
        switchOn(sel).is(0, () -> picked.set(u)).is(1, () -> picked.set(v)).otherwise(() -> picked.set(u.xor(v)));
        out("switched", picked);
        Signal pickedAll = wire("picked_all", uint(8));
        // every value of sel has a case: the last is the else branch, and there is no latch
        switchOn(sel).is(3, () -> pickedAll.set(v)).is(0, () -> pickedAll.set(u)).is(2, () -> pickedAll.set(u.and(v)))
                .is(1, () -> pickedAll.set(u.or(v)));
        out("switched_all", pickedAll);

        Rom table = rom("lut", sint(8), new long[] {-128, -1, 0, 1, 127});
        out("rom_comb", table.read("lut_q", u.slice(2, 0)));

        Mem ram = mem("ram", uint(8), 8);
        Signal we = input("we", bool());
        when(we, () -> ram.write(sh, u));
        out("ram_q", ram.readSync("ram_rd", v.slice(2, 0), we.not()));
        Signal acc = reg("acc", sint(20), 0);
        acc.set(acc.plus(a.times(b)).truncate(20));
        out("acc_q", acc);
    }

    private void out(String name, Expr value) {
        output(name, value.type()).set(value);
    }
}

package dev.qforge.fpga.synth.blocks;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Vec;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sfix;
import static dev.qforge.dsl.HwType.sint;

/** Dequantizes a group of 8 int4 values with the group's zero point and Q4.12 scale: y = (q - zp) * scale, registered. */
public final class GroupDequant extends Module {
    public GroupDequant() {
        super("GroupDequant");
        Vec q = inputs("q", 8, sint(4));
        Signal zp = input("zp", sint(4));
        Signal scale = input("scale", sfix(16, 12));
        Signal valid = input("valid", bool());
        Vec y = outputs("y", 8, sfix(21, 12));
        for (int i = 0; i < q.size(); i++) {
            Signal r = reg("y_q" + i, sfix(21, 12));
            int lane = i;
            when(valid, () -> r.set(q.get(lane).minus(zp).asFixed(0).times(scale)));
            y.get(i).set(r);
        }
    }
}

package dev.qforge.fpga.synth.blocks;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import static dev.qforge.dsl.Expr.cat;
import static dev.qforge.dsl.Expr.u;
import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;

/** CRC-16/CCITT (polynomial 0x1021) over one byte per cycle, the bit-serial loop unrolled. */
public final class Crc16 extends Module {
    static final int POLY = 0x1021;

    public Crc16() {
        super("Crc16");
        Signal data = input("data", uint(8));
        Signal valid = input("valid", bool());
        Signal init = input("init", bool());
        Signal crc = reg("crc_r", uint(16), 0xFFFF);
        Expr[] bit = new Expr[16];
        for (int i = 0; i < 16; i++) {
            bit[i] = crc.bit(i);
        }
        for (int k = 7; k >= 0; k--) {
            Expr feedback = bit[15].xor(data.bit(k));
            for (int i = 15; i > 0; i--) {
                bit[i] = (POLY >> i & 1) != 0 ? bit[i - 1].xor(feedback) : bit[i - 1];
            }
            bit[0] = feedback;
        }
        Expr next = bit[15];
        for (int i = 14; i >= 0; i--) {
            next = cat(next, bit[i]);
        }
        Expr nextCrc = next;
        when(init, () -> crc.set(u(0xFFFF, 16))).elsewhen(valid, () -> crc.set(nextCrc));
        output("crc", uint(16)).set(crc);
    }
}

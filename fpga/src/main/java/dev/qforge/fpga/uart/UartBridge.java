package dev.qforge.fpga.uart;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import java.util.ArrayList;
import java.util.List;

import static dev.qforge.dsl.Expr.bool;
import static dev.qforge.dsl.Expr.cat;
import static dev.qforge.dsl.Expr.u;
import static dev.qforge.dsl.HwType.uint;

/**
 * A UART (8N1) host bridge around a block whose ports are valid/ready streams, speaking the byte
 * protocol of {@link BridgeLayout}: frames from the host fill one beat register per input stream,
 * each accepted beat is acknowledged, and each result beat goes back as a frame. The host keeps at
 * most one beat in flight per input stream (it waits for the ack), so no byte is ever dropped
 * however long the block stalls. {@code reset_req} asks the board top to reset everything (the
 * host's {@link BridgeLayout#RESET}).
 */
public final class UartBridge extends Module {
    private static final HwType BYTE = uint(8);

    public UartBridge(Module block, BridgeLayout layout, int clocksPerBit) {
        super("UartBridge_" + block.name() + "_cpb" + clocksPerBit);
        requireParameter(clocksPerBit >= 4, "a UART bit needs at least 4 clock cycles, got " + clocksPerBit);
        Signal rxPin = input("uart_rx", HwType.bool());
        Signal txPin = output("uart_tx", HwType.bool());
        Signal resetReq = output("reset_req", HwType.bool());
        Instance<Module> dut = instance("block", block);
        HwType timer = uint(bits(clocksPerBit));

        // ---- receiver: two synchronizer stages, then sample each bit in its middle
        Signal rxMeta = reg("rx_meta", HwType.bool(), 1);
        Signal rx = reg("rx_sync", HwType.bool(), 1);
        rxMeta.set(rxPin);
        rx.set(rxMeta);
        Signal rxBusy = reg("rx_busy", HwType.bool(), 0);
        Signal rxTimer = reg("rx_timer", timer, 0);
        Signal rxBit = reg("rx_bit", uint(4), 0);
        Signal rxShift = reg("rx_shift", BYTE, 0);
        Signal rxDone = reg("rx_done", HwType.bool(), 0); // one cycle per byte received with a good stop bit
        rxDone.set(bool(false));
        when(rxBusy.not(), () -> when(rx.not(), () -> {
            rxBusy.set(bool(true));
            rxTimer.set(u(clocksPerBit / 2, timer.width()));
            rxBit.set(u(0, 4));
        })).elsewhen(rxTimer.ne(0), () -> rxTimer.set(rxTimer.minus(1).truncate(timer.width())))
                .otherwise(() -> {
                    rxTimer.set(u(clocksPerBit - 1, timer.width()));
                    rxBit.set(rxBit.plus(1).truncate(4));
                    when(rxBit.eq(0), () -> rxBusy.set(rx.not())) // a start bit gone high by its middle was a glitch
                            .elsewhen(rxBit.le(8), () -> rxShift.set(cat(rx, rxShift.slice(7, 1))))
                            .otherwise(() -> {
                                rxBusy.set(bool(false));
                                rxDone.set(rx);
                            });
                });

        // ---- frames from the host: a header byte, then the beat's bytes into that stream's register
        int maxBytes = layout.maxBytes();
        HwType count = uint(bits(maxBytes));
        Signal left = reg("rx_left", count, 0);
        Signal sel = reg("rx_stream", uint(bits(layout.inputs().size() - 1)), 0);
        Signal reset = reg("reset_q", HwType.bool(), 0);
        Signal ping = reg("ping_q", HwType.bool(), 0);
        resetReq.set(reset);
        Expr header = rxDone.and(left.eq(0));
        Expr payload = rxDone.and(left.ne(0));
        when(header.and(rxShift.eq(BridgeLayout.RESET)), () -> reset.set(bool(true)));
        when(header.and(rxShift.eq(BridgeLayout.PING)), () -> ping.set(bool(true)));
        when(payload, () -> left.set(left.minus(1).truncate(count.width())));
        List<Signal> acks = new ArrayList<>();
        for (BridgeLayout.StreamFormat s : layout.inputs()) {
            Signal buf = reg("in" + s.index() + "_beat", uint(8 * s.bytes()));
            Signal valid = reg("in" + s.index() + "_valid", HwType.bool(), 0);
            Signal ack = reg("in" + s.index() + "_ack", HwType.bool(), 0);
            acks.add(ack);
            Expr fire = valid.and(dut.io(s.name() + "_ready"));
            when(fire, () -> {
                valid.set(bool(false));
                ack.set(bool(true));
            });
            Expr mine = sel.eq(s.index());
            when(header.and(rxShift.eq(s.index())), () -> {
                sel.set(u(s.index(), sel.width()));
                left.set(u(s.bytes(), count.width()));
            });
            when(payload.and(mine), () -> {
                buf.set(s.bytes() == 1 ? rxShift : cat(rxShift, buf.slice(8 * s.bytes() - 1, 8)));
                when(left.eq(1), () -> valid.set(bool(true)));
            });
            dut.io(s.name() + "_valid").set(valid);
            int at = 0;
            for (BridgeLayout.Field f : s.fields()) {
                Signal port = block.port(f.port());
                dut.io(port).set(BridgeLayout.asPortType(buf.slice(at + f.width() - 1, at), port.type()));
                at += f.width();
            }
        }

        // ---- results: one beat at a time into a register the transmitter sends from
        Signal res = reg("res_beat", uint(8 * Math.max(maxBytes, 4)));
        Signal resFull = reg("res_full", HwType.bool(), 0);
        Signal resStarted = reg("res_started", HwType.bool(), 0);
        Signal resTag = reg("res_tag", BYTE, 0);
        Signal resLeft = reg("res_left", uint(bits(Math.max(maxBytes, 4))), 0);
        Expr taken = ping; // the ping's answer goes first, then output streams in order
        when(resFull.not().and(ping), () -> {
            ping.set(bool(false));
            resFull.set(bool(true));
            resTag.set(u(BridgeLayout.PING, 8));
            resLeft.set(u(4, resLeft.width()));
            res.set(u(layout.id() & 0xFFFFFFFFL, 32).extend(res.width()));
        });
        for (BridgeLayout.StreamFormat s : layout.outputs()) {
            Signal valid = dut.io(s.name() + "_valid");
            Expr ready = resFull.not().and(taken.not());
            dut.io(s.name() + "_ready").set(ready);
            List<Expr> parts = new ArrayList<>();
            for (BridgeLayout.Field f : s.fields()) {
                Signal v = dut.io(f.port());
                parts.add(0, v.type().isBool() ? v : v.asUInt());
            }
            Expr bitsOut = cat(parts.toArray(new Expr[0]));
            when(ready.and(valid), () -> {
                resFull.set(bool(true));
                resTag.set(u(BridgeLayout.RESULT + s.index(), 8));
                resLeft.set(u(s.bytes(), resLeft.width()));
                res.set(bitsOut.extend(res.width()));
            });
            taken = taken.or(valid);
        }

        // ---- transmitter: a result frame's bytes back to back; acks between frames
        Signal txFrame = reg("tx_frame", uint(10), 0x3FF); // {stop, data, start}, shifted out LSB first; idles at 1
        Signal txBits = reg("tx_bits", uint(4), 0);
        Signal txTimer = reg("tx_timer", timer, 0);
        txPin.set(txFrame.bit(0));
        Expr idle = txBits.eq(0);
        when(idle.not(), () -> when(txTimer.ne(0), () -> txTimer.set(txTimer.minus(1).truncate(timer.width()))).otherwise(() -> {
            txTimer.set(u(clocksPerBit - 1, timer.width()));
            txFrame.set(cat(bool(true), txFrame.slice(9, 1)));
            txBits.set(txBits.minus(1).truncate(4));
        }));
        Expr anyAck = bool(false);
        for (Signal a : acks) {
            anyAck = anyAck.or(a);
        }
        Expr pendingAck = anyAck;
        when(idle.and(resStarted), () -> {
            send(txFrame, txBits, txTimer, res.slice(7, 0), clocksPerBit);
            res.set(cat(u(0, 8), res.slice(res.width() - 1, 8)));
            resLeft.set(resLeft.minus(1).truncate(resLeft.width()));
            when(resLeft.eq(1), () -> {
                resStarted.set(bool(false));
                resFull.set(bool(false));
            });
        }).elsewhen(idle.and(pendingAck), () -> {
            // the lowest pending ack
            Expr earlier = bool(false);
            for (int i = 0; i < acks.size(); i++) {
                Signal a = acks.get(i);
                int index = i;
                when(a.and(earlier.not()), () -> {
                    a.set(bool(false));
                    send(txFrame, txBits, txTimer, u(BridgeLayout.ACK + index, 8), clocksPerBit);
                });
                earlier = earlier.or(a);
            }
        }).elsewhen(idle.and(resFull), () -> {
            send(txFrame, txBits, txTimer, resTag, clocksPerBit);
            resStarted.set(bool(true));
        });
    }

    private static void send(Signal frame, Signal bits, Signal timer, Expr data, int clocksPerBit) {
        frame.set(cat(bool(true), data, bool(false)));
        bits.set(u(10, 4));
        timer.set(u(clocksPerBit - 1, timer.width()));
    }

    /** Bits to hold 0..max. */
    private static int bits(int max) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(max));
    }
}

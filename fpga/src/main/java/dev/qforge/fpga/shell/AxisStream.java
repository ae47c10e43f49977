package dev.qforge.fpga.shell;

import dev.qforge.fpga.uart.BridgeLayout;

import java.util.Arrays;

/**
 * One AXI4-Stream interface of the shell, carrying one valid/ready stream of the block. TDATA
 * holds the beat's payload fields back to back, the block's first payload port in the least
 * significant bits, each its port's width in two's complement; the rest of TDATA is zero, and
 * TDATA is {@link #bytes()} bytes: the next power of two (so an AXI DMA of that width moves it).
 * In memory a beat is those bytes, least significant first.
 *
 * @param bus    the interface name, the prefix of its ports: {@code s_axis_<stream>} or {@code m_axis_<stream>}
 * @param format the block stream's name, number and fields
 * @param bytes  TDATA width in bytes
 */
public record AxisStream(String bus, BridgeLayout.StreamFormat format, int bytes) {
    public boolean input() {
        return bus.startsWith("s_");
    }

    public String name() {
        return format.name();
    }

    /** A beat's TDATA bytes (least significant first) from its field values. */
    public byte[] pack(long[] beat) {
        return Arrays.copyOf(format.pack(beat), bytes);
    }

    /** A beat's field values from its TDATA bytes. */
    public long[] unpack(byte[] tdata) {
        return format.unpack(Arrays.copyOf(tdata, format.bytes()));
    }
}

package dev.qforge.testbenches.verilator;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;

/**
 * A top-level port as the harness sees it: a little-endian field of a per-cycle frame (inputs or
 * outputs), sized like Verilator's storage for it (1, 2, 4 or 8 bytes, or 4-byte words above 64
 * bits), so both sides copy it with one memcpy.
 */
public final class Port {
    static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final int width;
    private final boolean signed;
    private final boolean input;
    private final int offset;
    private final int bytes;

    Port(String name, int width, boolean signed, boolean input, int offset) {
        this.name = name;
        this.width = width;
        this.signed = signed;
        this.input = input;
        this.offset = offset;
        this.bytes = storageBytes(width);
    }

    /** Bytes Verilator uses to store a port of {@code width} bits (CData, SData, IData, QData, VlWide). */
    static int storageBytes(int width) {
        if (width <= 8) {
            return 1;
        }
        if (width <= 16) {
            return 2;
        }
        if (width <= 32) {
            return 4;
        }
        return width <= 64 ? 8 : 4 * ((width + 31) / 32);
    }

    public String name() { return name; }
    public int width() { return width; }
    public boolean isSigned() { return signed; }
    public boolean isInput() { return input; }
    /** Byte offset inside the frame. */
    public int offset() { return offset; }
    /** Bytes inside the frame. */
    public int bytes() { return bytes; }
    public boolean isWide() { return width > 64; }

    /**
     * Writes {@code value} into the frame starting at {@code base}. Accepts the port's unsigned
     * range and its two's complement range (so -1 and 255 both fill an 8-bit port).
     */
    void write(byte[] frame, int base, long value) {
        if (width < 64 && (value >>> width) != 0 && (value >> (width - 1)) != -1) {
            throw new IllegalArgumentException(value + " does not fit in " + width + "-bit port '" + name + "'");
        }
        if (isWide()) {
            write(frame, base, BigInteger.valueOf(value));
            return;
        }
        long v = width == 64 ? value : value & ((1L << width) - 1);
        int at = base + offset;
        switch (bytes) {
            case 1 -> frame[at] = (byte) v;
            case 2 -> SHORT.set(frame, at, (short) v);
            case 4 -> INT.set(frame, at, (int) v);
            default -> LONG.set(frame, at, v);
        }
    }

    /** Reads the port's value: sign-extended when the port is signed. Ports above 64 bits: use {@link #readBig}. */
    long read(byte[] frame, int base) {
        if (isWide()) {
            throw new IllegalArgumentException("port '" + name + "' has " + width + " bits; read it as a BigInteger");
        }
        int at = base + offset;
        long v = switch (bytes) {
            case 1 -> frame[at] & 0xffL;
            case 2 -> (short) SHORT.get(frame, at) & 0xffffL;
            case 4 -> (int) INT.get(frame, at) & 0xffff_ffffL;
            default -> (long) LONG.get(frame, at);
        };
        return signed ? v << (64 - width) >> (64 - width) : v;
    }

    void write(byte[] frame, int base, BigInteger value) {
        BigInteger limit = BigInteger.ONE.shiftLeft(width);
        if (value.signum() < 0 ? value.negate().compareTo(limit.shiftRight(1)) > 0 : value.compareTo(limit) >= 0) {
            throw new IllegalArgumentException(value + " does not fit in " + width + "-bit port '" + name + "'");
        }
        BigInteger v = value.signum() < 0 ? value.add(limit) : value;
        byte[] be = v.toByteArray(); // big-endian, possibly with a leading sign byte
        int at = base + offset;
        for (int i = 0; i < bytes; i++) {
            int src = be.length - 1 - i;
            frame[at + i] = src >= 0 ? be[src] : 0;
        }
    }

    BigInteger readBig(byte[] frame, int base) {
        byte[] be = new byte[bytes + 1]; // leading zero byte keeps the magnitude positive
        int at = base + offset;
        for (int i = 0; i < bytes; i++) {
            be[bytes - i] = frame[at + i];
        }
        BigInteger v = new BigInteger(be);
        return signed && v.testBit(width - 1) ? v.subtract(BigInteger.ONE.shiftLeft(width)) : v;
    }

    @Override
    public String toString() {
        return (input ? "input " : "output ") + (signed ? "signed " : "") + width + "-bit '" + name + "'";
    }
}

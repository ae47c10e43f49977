package dev.qforge.testbenches.verilator;

import java.util.List;

/**
 * Ports of the same direction, width (at most 32 bits) and signedness that a testbench sets or
 * reads together, such as the elements of a vector port ({@code a_in_0}, {@code a_in_1}, ...).
 * {@link Frames#set(int, PortGroup, int[], int)} checks the frame, the direction and every
 * value's range once per call and then stores plainly, where setting each port on its own checks
 * each one: the difference shows when Java feeds a model a million cycles a second.
 */
public final class PortGroup {
    private final Port[] ports;
    private final int[] offsets;
    private final int bytes;
    private final int width;
    private final boolean input;
    private final boolean signed;

    PortGroup(List<Port> list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("a port group needs at least one port");
        }
        Port first = list.get(0);
        for (Port p : list) {
            if (p.width() > 32) {
                throw new IllegalArgumentException("a port group takes ports of at most 32 bits; " + p + " is wider: set it on its own");
            }
            if (p.width() != first.width() || p.isSigned() != first.isSigned() || p.isInput() != first.isInput()) {
                throw new IllegalArgumentException("a port group takes ports of one direction, width and signedness: "
                        + first + " and " + p + " differ");
            }
        }
        this.ports = list.toArray(new Port[0]);
        this.offsets = list.stream().mapToInt(Port::offset).toArray();
        this.bytes = first.bytes();
        this.width = first.width();
        this.input = first.isInput();
        this.signed = first.isSigned();
    }

    public int size() { return ports.length; }
    public Port port(int k) { return ports[k]; }
    public boolean isInput() { return input; }

    /**
     * Writes {@code values[from + k]} into port k of the frame at {@code base}, for every k. Like
     * {@link Port#write}, accepts the unsigned and the two's complement range; a value outside
     * both is rejected, naming the port, before anything is written.
     */
    void write(byte[] frame, int base, int[] values, int from) {
        if (width < 32) {
            int lo = -(1 << (width - 1));
            int span = (int) ((1L << width) - 1 - lo); // values lo .. 2^width - 1 fit
            boolean bad = false;
            for (int k = 0; k < ports.length; k++) {
                bad |= Integer.compareUnsigned(values[from + k] - lo, span) > 0;
            }
            if (bad) {
                for (int k = 0; k < ports.length; k++) {
                    ports[k].write(frame, base, values[from + k]); // throws at the first value that does not fit
                }
            }
        }
        int mask = width == 32 ? -1 : (1 << width) - 1;
        switch (bytes) {
            case 1 -> {
                for (int k = 0; k < ports.length; k++) {
                    frame[base + offsets[k]] = (byte) (values[from + k] & mask);
                }
            }
            case 2 -> {
                for (int k = 0; k < ports.length; k++) {
                    Port.SHORT.set(frame, base + offsets[k], (short) (values[from + k] & mask));
                }
            }
            default -> {
                for (int k = 0; k < ports.length; k++) {
                    Port.INT.set(frame, base + offsets[k], values[from + k] & mask);
                }
            }
        }
    }

    /** Reads port k of the frame at {@code base} into {@code values[from + k]}, sign-extended when the ports are signed. */
    void read(byte[] frame, int base, int[] values, int from) {
        int shift = 32 - width;
        for (int k = 0; k < ports.length; k++) {
            int at = base + offsets[k];
            int v = switch (bytes) {
                case 1 -> frame[at] & 0xff;
                case 2 -> (short) Port.SHORT.get(frame, at) & 0xffff;
                default -> (int) Port.INT.get(frame, at);
            };
            values[from + k] = signed ? v << shift >> shift : v;
        }
    }
}

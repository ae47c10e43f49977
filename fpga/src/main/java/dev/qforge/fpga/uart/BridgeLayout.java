package dev.qforge.fpga.uart;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Module;
import dev.qforge.testbenches.verilator.Port;
import dev.qforge.testbenches.verilator.PortLayout;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * How a block's valid/ready streams cross the UART ({@link UartBridge} on the board, {@link UartHost}
 * on the host): the byte protocol's constants, and per stream its index and the bit layout of a beat.
 * A beat is its payload fields back to back, the first field in the least significant bits, each
 * its port's width in two's complement; padded with zeros to whole bytes and sent least significant
 * byte first. The layout id (a CRC-32 of this description) lets the host check that the board runs
 * the design it expects.
 */
public final class BridgeLayout {
    /** Host to board: this byte as a frame header resets the board (engine and bridge); no reply. */
    public static final int RESET = 0xFF;
    /** Host to board: asks for the layout id; the board answers {@code PING} and the id's 4 bytes, least significant first. */
    public static final int PING = 0xFE;
    /** Board to host: {@code ACK + s}, the beat the host sent on input stream s entered the engine. */
    public static final int ACK = 0x40;
    /** Board to host: {@code RESULT + o} then one beat of output stream o. */
    public static final int RESULT = 0x80;
    /** Input streams are numbered 0 .. MAX_STREAMS-1, output streams likewise. */
    public static final int MAX_STREAMS = 0x40;

    /** A payload field: the engine port it drives or reads. */
    public record Field(String port, int width, boolean signed) { }

    /** One stream: its number in the protocol and the fields of a beat, first field at bit 0. */
    public record StreamFormat(String name, int index, List<Field> fields) {
        public int bits() {
            return fields.stream().mapToInt(Field::width).sum();
        }

        public int bytes() {
            return (bits() + 7) / 8;
        }

        /** The beat's bytes as they cross the UART (without the frame header). */
        public byte[] pack(long[] beat) {
            if (beat.length != fields.size()) {
                throw new IllegalArgumentException("a beat of stream '" + name + "' has " + fields.size() + " fields, got " + beat.length);
            }
            BigInteger v = BigInteger.ZERO;
            int at = 0;
            for (int i = 0; i < beat.length; i++) {
                Field f = fields.get(i);
                BigInteger x = BigInteger.valueOf(beat[i]);
                BigInteger lo = f.signed() ? BigInteger.ONE.shiftLeft(f.width() - 1).negate() : BigInteger.ZERO;
                BigInteger hi = BigInteger.ONE.shiftLeft(f.signed() ? f.width() - 1 : f.width()).subtract(BigInteger.ONE);
                if (x.compareTo(lo) < 0 || x.compareTo(hi) > 0) {
                    throw new IllegalArgumentException(beat[i] + " does not fit field '" + f.port() + "' (" + (f.signed() ? "signed " : "unsigned ")
                            + f.width() + " bits) of stream '" + name + "'");
                }
                v = v.or(x.and(mask(f.width())).shiftLeft(at));
                at += f.width();
            }
            byte[] out = new byte[bytes()];
            for (int i = 0; i < out.length; i++) {
                out[i] = v.shiftRight(8 * i).byteValue();
            }
            return out;
        }

        /** The beat's field values from its bytes (signed fields sign-extended). */
        public long[] unpack(byte[] bytes) {
            BigInteger v = BigInteger.ZERO;
            for (int i = bytes.length - 1; i >= 0; i--) {
                v = v.shiftLeft(8).or(BigInteger.valueOf(bytes[i] & 0xFF));
            }
            long[] beat = new long[fields.size()];
            int at = 0;
            for (int i = 0; i < beat.length; i++) {
                Field f = fields.get(i);
                BigInteger x = v.shiftRight(at).and(mask(f.width()));
                if (f.signed() && x.testBit(f.width() - 1)) {
                    x = x.subtract(BigInteger.ONE.shiftLeft(f.width()));
                }
                beat[i] = x.longValueExact();
                at += f.width();
            }
            return beat;
        }

        private static BigInteger mask(int width) {
            return BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
        }
    }

    private final String block;
    private final List<StreamFormat> inputs;
    private final List<StreamFormat> outputs;
    private final int id;

    private BridgeLayout(String block, List<StreamFormat> inputs, List<StreamFormat> outputs) {
        this.block = block;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        StringBuilder d = new StringBuilder(block);
        for (StreamFormat s : concat()) {
            d.append(';').append(s.name());
            s.fields().forEach(f -> d.append(',').append(f.port()).append(':').append(f.signed() ? 's' : 'u').append(f.width()));
        }
        CRC32 crc = new CRC32();
        crc.update(d.toString().getBytes(StandardCharsets.UTF_8));
        this.id = (int) crc.getValue();
    }

    /**
     * The layout of {@code block}'s streams; refused, naming the port, when a port is not part of a
     * valid/ready stream (the bridge has nothing to drive it with) or a field is wider than 64 bits.
     */
    public static BridgeLayout of(Module block) {
        PortLayout ports = PortLayout.of(Design.elaborate(block));
        requireOnlyStreams(ports, block, "the UART bridge");
        List<StreamFormat> ins = new ArrayList<>();
        List<StreamFormat> outs = new ArrayList<>();
        for (PortLayout.StreamPorts s : ports.inStreams()) {
            ins.add(format(block, s, ins.size(), 64));
        }
        for (PortLayout.StreamPorts s : ports.outStreams()) {
            outs.add(format(block, s, outs.size(), 64));
        }
        if (ins.isEmpty() || outs.isEmpty() || ins.size() > MAX_STREAMS || outs.size() > MAX_STREAMS) {
            throw new IllegalArgumentException("the UART bridge needs 1.." + MAX_STREAMS + " input and 1.." + MAX_STREAMS
                    + " output streams; " + block.name() + " has " + ins.size() + " and " + outs.size());
        }
        return new BridgeLayout(block.name(), ins, outs);
    }

    /** Refuses, naming the port, a block with a port that belongs to no valid/ready stream ({@code carrier} has nothing to drive it with). */
    public static void requireOnlyStreams(PortLayout ports, Module block, String carrier) {
        List<Port> loose = ports.unstreamed();
        if (!loose.isEmpty()) {
            throw new IllegalArgumentException(carrier + " carries valid/ready streams only, but port '" + loose.get(0).name() + "' of "
                    + block.name() + " belongs to no stream (a stream is X_valid, X_ready and its X_... payload ports)");
        }
    }

    /** Stream {@code s} as stream number {@code index}; refused, naming the port, when a field is wider than {@code maxField} bits. */
    public static StreamFormat format(Module block, PortLayout.StreamPorts s, int index, int maxField) {
        List<Field> fields = new ArrayList<>();
        for (Port p : s.payload()) {
            if (p.width() > maxField) {
                throw new IllegalArgumentException("port '" + p.name() + "' of " + block.name() + " is " + p.width()
                        + " bits wide; the UART bridge carries fields of at most " + maxField + " bits");
            }
            fields.add(new Field(p.name(), p.width(), p.isSigned()));
        }
        return new StreamFormat(s.name(), index, fields);
    }

    /** A field's raw bits (a slice of a beat) read as its port's type. */
    public static Expr asPortType(Expr bits, HwType type) {
        if (type.isBool()) {
            return bits.bit(0);
        }
        Expr v = type.isSigned() ? bits.asSInt() : bits;
        return type.isFixed() ? v.asFixed(type.frac()) : v;
    }

    public String block() { return block; }
    public List<StreamFormat> inputs() { return inputs; }
    public List<StreamFormat> outputs() { return outputs; }
    /** The CRC-32 of the block's name and its streams' layouts, as the board reports it to {@link #PING}. */
    public int id() { return id; }

    /** The widest beat in bytes over all streams. */
    public int maxBytes() {
        return concat().stream().mapToInt(StreamFormat::bytes).max().orElse(1);
    }

    public StreamFormat input(String name) {
        return find(inputs, name);
    }

    public StreamFormat output(String name) {
        return find(outputs, name);
    }

    private StreamFormat find(List<StreamFormat> list, String name) {
        return list.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                block + " has no stream '" + name + "'; it has " + String.join(", ", concat().stream().map(StreamFormat::name).toList())));
    }

    private List<StreamFormat> concat() {
        List<StreamFormat> all = new ArrayList<>(inputs);
        all.addAll(outputs);
        return all;
    }
}

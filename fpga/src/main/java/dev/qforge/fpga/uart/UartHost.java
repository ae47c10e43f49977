package dev.qforge.fpga.uart;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host side of the {@link BridgeLayout} byte protocol over a serial line: {@code in} and
 * {@code out} are the port's byte streams (a real /dev/ttyUSB* or a simulated board), where a
 * {@code read()} of -1 means nothing arrived within the line's timeout. One beat in flight per
 * input stream: the next is sent once the board acknowledges the last, so the board never drops a
 * byte however long the block stalls.
 */
public final class UartHost {
    private final BridgeLayout layout;
    private final InputStream in;
    private final OutputStream out;

    public UartHost(BridgeLayout layout, InputStream in, OutputStream out) {
        this.layout = layout;
        this.in = in;
        this.out = out;
    }

    /**
     * Resets the board: enough {@link BridgeLayout#RESET} bytes to complete any frame the board was
     * in the middle of and then be read as a header, whatever state the last session left.
     */
    public void reset() throws IOException {
        byte[] b = new byte[layout.maxBytes() + 1];
        java.util.Arrays.fill(b, (byte) BridgeLayout.RESET);
        out.write(b);
        out.flush();
    }

    /**
     * Asks the board for its layout id and checks it against this host's; bytes before the answer
     * (the tail of a session before the reset) are skipped.
     */
    public void ping() throws IOException {
        out.write(BridgeLayout.PING);
        out.flush();
        int skipped = 0;
        while (true) {
            int b = read("the answer to a ping");
            if (b == BridgeLayout.PING) {
                break;
            }
            if (++skipped > 4096) {
                throw new ProtocolException("the board sends bytes but never answers a ping: is this a qforge bridge at this baud rate?");
            }
        }
        int id = 0;
        for (int i = 0; i < 4; i++) {
            id |= read("the layout id") << (8 * i);
        }
        if (id != layout.id()) {
            throw new ProtocolException(String.format("the board runs another design (layout id %08x, expected %08x for %s): "
                    + "load the bitstream built for this design", id, layout.id(), layout.block()));
        }
    }

    /**
     * Sends every beat of {@code send} (input stream name -> beats, in order) and collects
     * {@code receive} (output stream name -> number of beats) result beats, as field values.
     */
    public Map<String, List<long[]>> run(Map<String, List<long[]>> send, Map<String, Integer> receive) throws IOException {
        int n = layout.inputs().size();
        List<Deque<long[]>> queues = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            queues.add(new ArrayDeque<>());
        }
        send.forEach((name, beats) -> queues.get(layout.input(name).index()).addAll(beats));
        boolean[] inFlight = new boolean[n];
        Map<String, List<long[]>> results = new LinkedHashMap<>();
        int wanted = 0;
        for (Map.Entry<String, Integer> e : receive.entrySet()) {
            layout.output(e.getKey());
            results.put(e.getKey(), new ArrayList<>());
            wanted += e.getValue();
        }
        int got = 0;
        while (true) {
            boolean busy = false;
            for (int s = 0; s < n; s++) {
                if (!inFlight[s] && !queues.get(s).isEmpty()) {
                    BridgeLayout.StreamFormat f = layout.inputs().get(s);
                    out.write(s);
                    out.write(f.pack(queues.get(s).poll()));
                    inFlight[s] = true;
                }
                busy |= inFlight[s];
            }
            out.flush();
            if (!busy && got == wanted) {
                return results;
            }
            int b = read(got < wanted ? "result beat " + got + " of " + wanted : "an acknowledgement");
            if (b >= BridgeLayout.ACK && b < BridgeLayout.ACK + n && inFlight[b - BridgeLayout.ACK]) {
                inFlight[b - BridgeLayout.ACK] = false;
            } else if (b >= BridgeLayout.RESULT && b < BridgeLayout.RESULT + layout.outputs().size()) {
                BridgeLayout.StreamFormat f = layout.outputs().get(b - BridgeLayout.RESULT);
                byte[] beat = new byte[f.bytes()];
                for (int i = 0; i < beat.length; i++) {
                    beat[i] = (byte) read("byte " + i + " of a '" + f.name() + "' beat");
                }
                List<long[]> list = results.get(f.name());
                if (list == null) {
                    throw new ProtocolException("the board sent a beat on output stream '" + f.name() + "', which this run does not expect");
                }
                list.add(f.unpack(beat));
                if (++got > wanted) {
                    throw new ProtocolException("the board sent more result beats than the " + wanted + " expected");
                }
            } else {
                throw new ProtocolException(String.format("unexpected byte 0x%02x from the board", b));
            }
        }
    }

    private int read(String what) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new ProtocolException("no answer from the board while waiting for " + what
                    + " (is the bitstream loaded, the port right, the baud rate the board's?)");
        }
        return b;
    }

    /** The board answered something the protocol does not allow, or nothing. */
    public static final class ProtocolException extends IOException {
        public ProtocolException(String message) {
            super(message);
        }
    }
}

package dev.qforge.testbenches.verilator;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.emit.VerilogEmitter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ports of a top module laid out as the harness frames them: one input frame (the implicit
 * {@code rst} first, when the module has it) and one output frame per cycle, plus the valid/ready
 * streams found among the ports. The clock is not a port here: the harness drives it.
 */
public final class PortLayout {
    /** A valid/ready stream: {@code <name>_valid}, {@code <name>_ready} and its payload ports. */
    public record StreamPorts(String name, boolean input, Port valid, Port ready, List<Port> payload) {
        /** Bytes of one beat: the payload ports' fields, back to back. */
        public int beatBytes() {
            return payload.stream().mapToInt(Port::bytes).sum();
        }
    }

    private final String top;
    private final boolean clock;
    private final boolean reset;
    private final List<Port> inputs;
    private final List<Port> outputs;
    private final Map<String, Port> byName = new LinkedHashMap<>();
    private final int inputBytes;
    private final int outputBytes;
    private final List<StreamPorts> inStreams = new ArrayList<>();
    private final List<StreamPorts> outStreams = new ArrayList<>();

    private PortLayout(String top, boolean clock, boolean reset, List<Signal> ports) {
        this.top = top;
        this.clock = clock;
        this.reset = reset;
        List<Port> ins = new ArrayList<>();
        List<Port> outs = new ArrayList<>();
        int inOff = 0;
        int outOff = 0;
        if (reset) {
            ins.add(new Port("rst", 1, false, true, 0));
            inOff = 1;
        }
        for (Signal s : ports) {
            boolean in = s.kind() == Signal.Kind.INPUT;
            Port p = new Port(s.name(), s.width(), s.isSigned(), in, in ? inOff : outOff);
            (in ? ins : outs).add(p);
            if (in) {
                inOff += p.bytes();
            } else {
                outOff += p.bytes();
            }
        }
        this.inputs = Collections.unmodifiableList(ins);
        this.outputs = Collections.unmodifiableList(outs);
        this.inputBytes = inOff;
        this.outputBytes = outOff;
        for (Port p : ins) {
            byName.put(p.name(), p);
        }
        for (Port p : outs) {
            byName.put(p.name(), p);
        }
        findStreams();
    }

    /** The layout of the top module of {@code design}. */
    public static PortLayout of(Design design) {
        Module top = design.top();
        VerilogEmitter.Clocking c = design.clocking(top);
        return new PortLayout(top.name(), c.clock(), c.reset(), top.ports());
    }

    /**
     * Streams are recognised by name: {@code X_valid} with a {@code X_ready} of the opposite
     * direction; its payload is every other port named {@code X_...} on the valid side that no
     * stream with a longer name claims.
     */
    private void findStreams() {
        List<String> names = new ArrayList<>();
        for (Port p : byName.values()) {
            if (p.name().endsWith("_valid") && p.width() == 1) {
                String n = p.name().substring(0, p.name().length() - "_valid".length());
                Port ready = byName.get(n + "_ready");
                if (ready != null && ready.isInput() != p.isInput() && ready.width() == 1) {
                    names.add(n);
                }
            }
        }
        for (String n : names) {
            Port valid = byName.get(n + "_valid");
            Port ready = byName.get(n + "_ready");
            List<Port> payload = new ArrayList<>();
            for (Port p : valid.isInput() ? inputs : outputs) {
                if (p != valid && p.name().startsWith(n + "_") && owner(p.name(), names).equals(n)) {
                    payload.add(p);
                }
            }
            StreamPorts s = new StreamPorts(n, valid.isInput(), valid, ready, List.copyOf(payload));
            (s.input() ? inStreams : outStreams).add(s);
        }
    }

    private static String owner(String portName, List<String> streams) {
        String best = "";
        for (String n : streams) {
            if (portName.startsWith(n + "_") && n.length() > best.length()) {
                best = n;
            }
        }
        return best;
    }

    public String top() { return top; }
    /** Whether the module has a clock; without one a "cycle" only re-evaluates the logic. */
    public boolean hasClock() { return clock; }
    /** Whether the module has the implicit {@code rst} (the first input of the frame). */
    public boolean hasReset() { return reset; }
    public List<Port> inputs() { return inputs; }
    public List<Port> outputs() { return outputs; }
    public int inputBytes() { return inputBytes; }
    public int outputBytes() { return outputBytes; }
    public List<StreamPorts> inStreams() { return Collections.unmodifiableList(inStreams); }
    public List<StreamPorts> outStreams() { return Collections.unmodifiableList(outStreams); }

    /** Ports that belong to no stream, the implicit {@code rst} aside: what a wrapper carrying only streams cannot drive. */
    public List<Port> unstreamed() {
        java.util.Set<String> carried = new java.util.HashSet<>(List.of("rst"));
        for (List<StreamPorts> list : List.of(inStreams, outStreams)) {
            for (StreamPorts s : list) {
                carried.add(s.valid().name());
                carried.add(s.ready().name());
                s.payload().forEach(p -> carried.add(p.name()));
            }
        }
        return byName.values().stream().filter(p -> !carried.contains(p.name())).toList();
    }

    public Port port(String name) {
        Port p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("module " + top + " has no port '" + name + "'; ports: " + String.join(", ", byName.keySet()));
        }
        return p;
    }

    /** The ports {@code <name>_0} .. {@code <name>_<count-1>} (a vector port's elements), to set or read together. */
    public PortGroup group(String name, int count) {
        List<Port> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(port(name + "_" + i));
        }
        return new PortGroup(ports);
    }

    public StreamPorts stream(String name) {
        for (List<StreamPorts> list : List.of(inStreams, outStreams)) {
            for (StreamPorts s : list) {
                if (s.name().equals(name)) {
                    return s;
                }
            }
        }
        List<String> known = new ArrayList<>();
        inStreams.forEach(s -> known.add(s.name()));
        outStreams.forEach(s -> known.add(s.name()));
        throw new IllegalArgumentException("module " + top + " has no valid/ready stream '" + name + "'; streams: "
                + (known.isEmpty() ? "none" : String.join(", ", known)));
    }
}

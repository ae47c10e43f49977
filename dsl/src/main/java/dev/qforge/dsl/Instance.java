package dev.qforge.dsl;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One instance of a submodule inside a parent. Its ports are seen from the parent as signals:
 * {@code io(def.a)} of an input is driven by the parent ({@code .set(...)}), of an output is read.
 */
public final class Instance<M extends Module> {
    private final String name;
    private final M def;
    private final SourceLocation createdAt;
    private final Signal[] io;
    private final List<Signal> ioView;

    Instance(String name, M def, Module parent, SourceLocation createdAt) {
        this.name = name;
        this.def = def;
        this.createdAt = createdAt;
        List<Signal> ports = def.ports();
        this.io = new Signal[ports.size()];
        for (int i = 0; i < io.length; i++) {
            Signal p = ports.get(i);
            Signal.Kind k = p.kind() == Signal.Kind.INPUT ? Signal.Kind.INSTANCE_INPUT : Signal.Kind.INSTANCE_OUTPUT;
            io[i] = new Signal(name + "_" + p.name(), k, p.type(), parent, createdAt, null, this, p, i);
        }
        this.ioView = Collections.unmodifiableList(Arrays.asList(io)); // one view: checks and emitter ask for it per instance, repeatedly
    }

    public String name() { return name; }
    /** The instantiated module. */
    public M def() { return def; }
    public SourceLocation createdAt() { return createdAt; }
    /** The parent-side signals of all ports, in the submodule's port order. */
    public List<Signal> io() { return ioView; }

    /** The parent-side signal of the submodule port {@code port}. */
    public Signal io(Signal port) {
        ElaborationException.requireNonNull(port, "port of instance '" + name + "'");
        if (port.owner() != def || port.index >= io.length || io[port.index].instancePort() != port) {
            throw new ElaborationException(port + " is not a port of " + def.name() + " (instance '" + name + "')", SourceLocation.capture());
        }
        return io[port.index];
    }

    public Signal io(String portName) {
        return io(def.port(portName));
    }

    /** The parent-side view of one of the submodule's streams. */
    public Stream io(Stream port) {
        ElaborationException.requireNonNull(port, "stream port of instance '" + name + "'");
        return port.map(this::io);
    }
}

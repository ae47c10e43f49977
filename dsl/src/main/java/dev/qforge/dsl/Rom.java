package dev.qforge.dsl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A read-only table built from Java values; read combinationally or registered (block-RAM friendly). */
public final class Rom {
    /** One read port; {@code enable} is null for a combinational read. */
    public record ReadPort(Signal data, Expr addr, Expr enable, SourceLocation at) { }

    private final String name;
    private final HwType type;
    private final long[] values;
    private final Module owner;
    private final SourceLocation declaredAt;
    private final List<ReadPort> reads = new ArrayList<>();

    Rom(String name, HwType type, long[] values, Module owner, SourceLocation declaredAt) {
        if (values.length < 2) {
            throw new ElaborationException("ROM '" + name + "' needs at least 2 entries, got " + values.length, declaredAt);
        }
        this.name = name;
        this.type = type;
        this.values = values;
        this.owner = owner;
        this.declaredAt = declaredAt;
    }

    public String name() { return name; }
    public HwType type() { return type; }
    public int depth() { return values.length; }
    public long value(int i) { return values[i]; }
    public SourceLocation declaredAt() { return declaredAt; }
    public List<ReadPort> reads() { return Collections.unmodifiableList(reads); }
    public int addressWidth() { return Mem.addressWidth(values.length); }

    /** Combinational read; addresses past the table read 0. */
    public Signal read(String portName, Expr addr) {
        return addPort(portName, addr, null, Signal.Kind.ROM_READ);
    }

    /** Registered read, updated when {@code enable} is high; addresses past the table read 0. */
    public Signal readSync(String portName, Expr addr, Expr enable) {
        Expr.requireCondition(enable);
        return addPort(portName, addr, enable, Signal.Kind.MEM_READ);
    }

    private Signal addPort(String portName, Expr addr, Expr enable, Signal.Kind kind) {
        SourceLocation at = SourceLocation.capture();
        String problem = Mem.addressProblem("ROM", name, values.length, addr);
        if (problem != null) {
            owner.report(new Diagnostic(problem, at));
        }
        Signal data = owner.readPort(portName, kind, type, at);
        reads.add(new ReadPort(data, addr, enable, at));
        return data;
    }
}

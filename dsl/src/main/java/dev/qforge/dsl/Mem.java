package dev.qforge.dsl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A memory of {@code depth} words with synchronous writes and registered reads (the pattern Yosys
 * and Vivado map to block RAM). Read data is available the cycle after the address.
 *
 * <p>When {@code depth} is not a power of two, the address reaches past the last word, and those
 * words are undefined, as a RAM's are: no guard logic stands in front of the RAM (a compare per
 * port, on every memory). A read there gives X in Icarus and 0 in Verilator ({@code --x-assign 0});
 * Yosys maps the whole address range into block RAM, where a write past the depth is kept and read
 * back, while in flip-flops such a read gives another word (checked on synth_ice40, Yosys 0.23).
 * Keep addresses below the depth; a {@link Rom} instead reads 0 past its last entry.
 */
public final class Mem {
    /** One registered read port: {@code if (enable) data <= mem[addr]}. */
    public record ReadPort(Signal data, Expr addr, Expr enable, SourceLocation at) { }

    private final String name;
    private final HwType type;
    private final int depth;
    private final Module owner;
    private final SourceLocation declaredAt;
    private final List<ReadPort> reads = new ArrayList<>();

    Mem(String name, HwType type, int depth, Module owner, SourceLocation declaredAt) {
        if (depth < 2) {
            throw new ElaborationException("memory '" + name + "' needs a depth of at least 2, got " + depth, declaredAt);
        }
        this.name = name;
        this.type = type;
        this.depth = depth;
        this.owner = owner;
        this.declaredAt = declaredAt;
    }

    public String name() { return name; }
    public HwType type() { return type; }
    public int depth() { return depth; }
    public SourceLocation declaredAt() { return declaredAt; }
    public List<ReadPort> reads() { return Collections.unmodifiableList(reads); }

    /** Address width: ceil(log2(depth)). */
    public int addressWidth() { return addressWidth(depth); }

    static int addressWidth(int depth) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(depth - 1));
    }

    /** Write {@code data} at {@code addr} on the next clock edge (on the current {@code when} path). */
    public void write(Expr addr, Expr data) {
        owner.memWrite(this, addr, data, SourceLocation.capture());
    }

    /** A registered read port named {@code portName}, updated when {@code enable} is high. */
    public Signal readSync(String portName, Expr addr, Expr enable) {
        SourceLocation at = SourceLocation.capture();
        String problem = checkAddress(addr);
        if (problem != null) {
            owner.report(new Diagnostic(problem, at));
        }
        Expr.requireCondition(enable);
        Signal data = owner.readPort(portName, Signal.Kind.MEM_READ, type, at);
        reads.add(new ReadPort(data, addr, enable, at));
        return data;
    }

    public Signal readSync(String portName, Expr addr) {
        return readSync(portName, addr, Expr.bool(true));
    }

    String checkAddress(Expr addr) {
        return addressProblem("memory", name, depth, addr);
    }

    /** Null when {@code addr} is a valid address of a table of {@code depth} entries, else the error. */
    static String addressProblem(String what, String name, int depth, Expr addr) {
        int aw = addressWidth(depth);
        ElaborationException.requireNonNull(addr, "address of " + what + " '" + name + "'");
        if (addr.isSigned() || addr.width() != aw) {
            return "address of " + what + " '" + name + "' (depth " + depth + ") must be UInt(" + aw + "), got " + addr.type();
        }
        return null;
    }
}

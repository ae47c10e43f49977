package dev.qforge.dsl;

import java.math.BigInteger;

/** A named value in a module: a port, wire, register, memory read port or an instance's port. */
public final class Signal extends Expr {
    public enum Kind {
        INPUT, OUTPUT, WIRE, REG,
        /** registered read data of a memory or ROM */ MEM_READ,
        /** combinational read data of a ROM */ ROM_READ,
        /** seen from the parent: an input of a submodule instance (the parent drives it) */ INSTANCE_INPUT,
        /** seen from the parent: an output of a submodule instance (the parent reads it) */ INSTANCE_OUTPUT
    }

    private final String name;
    private final Kind kind;
    private final Module owner;
    private final SourceLocation declaredAt;
    private final BigInteger resetValue;
    private final Instance<?> instance;
    private final Signal instancePort;
    final int index;
    private final int serial;
    /** For an element of a vector: the vector's name and the element's position; else null and -1. */
    private String vector;
    private int lane = -1;

    Signal(String name, Kind kind, HwType type, Module owner, SourceLocation declaredAt, BigInteger resetValue,
           Instance<?> instance, Signal instancePort, int index) {
        super(type);
        this.name = name;
        this.kind = kind;
        this.owner = owner;
        this.declaredAt = declaredAt;
        this.resetValue = resetValue;
        this.instance = instance;
        this.instancePort = instancePort;
        this.index = index;
        this.serial = owner.nextSerial();
    }

    public String name() { return name; }
    public Kind kind() { return kind; }
    public Module owner() { return owner; }
    public SourceLocation declaredAt() { return declaredAt; }
    /** Reset value of a register, or null when it has none. */
    public BigInteger resetValue() { return resetValue; }
    /** For INSTANCE_INPUT/OUTPUT: the instance; otherwise null. */
    public Instance<?> instance() { return instance; }
    /** For INSTANCE_INPUT/OUTPUT: the port of the instantiated module; otherwise null. */
    public Signal instancePort() { return instancePort; }
    /** Position among the module's ports (ports and instance ports) or among its other signals. */
    public int index() { return index; }
    /**
     * A dense number among all signals of the owner module (ports, wires, registers, read ports and
     * instance ports), from 0 in creation order: passes index arrays with it instead of hashing
     * signals, which dominated on arrays of 10^5 signals.
     */
    public int serial() { return serial; }

    void placeInVector(String vectorName, int position) {
        vector = vectorName;
        lane = position;
    }

    /** The name of the vector this signal is an element of, or null. */
    public String vector() { return vector; }
    /** The position of this signal in its vector, or -1. */
    public int lane() { return lane; }

    /** Whether this signal is a state element (its value changes only at the clock edge). */
    public boolean isState() { return kind == Kind.REG || kind == Kind.MEM_READ; }

    /** Whether the module's own logic may assign this signal. */
    public boolean isDrivable() {
        return kind == Kind.OUTPUT || kind == Kind.WIRE || kind == Kind.REG || kind == Kind.INSTANCE_INPUT;
    }

    /**
     * Drive this signal. A wire/output takes the value combinationally, a register at the next
     * clock edge. Inside {@code when} blocks the assignment applies on that path only; a later,
     * more deeply nested assignment overrides an earlier default.
     */
    public void set(Expr value) {
        owner.assign(this, value, SourceLocation.capture());
    }

    public void set(long value) {
        set(Expr.lit(value, type()));
    }

    /** Register update with an enable: {@code if (enable) this <= value}. */
    public void setWhen(Expr enable, Expr value) {
        // one stack walk for both statements: they come from the same user line (a pipeline register each)
        SourceLocation at = SourceLocation.capture();
        owner.when(enable, at, () -> owner.assign(this, value, at));
    }

    @Override
    public int operandCount() { return 0; }

    @Override
    public Expr operand(int i) { throw new IndexOutOfBoundsException(i); }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " '" + name + "' " + type();
    }
}

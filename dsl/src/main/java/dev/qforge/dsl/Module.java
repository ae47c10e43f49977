package dev.qforge.dsl;

import dev.qforge.dsl.check.Checks;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A hardware module. A generator is a Java class extending Module whose constructor takes the
 * parameters and builds the hardware; the name passed to {@code super} is the Verilog module name
 * and must state the parameters ({@code MacPe_s8xs8_acc32}), so identical (generator, parameters)
 * pairs emit one module.
 *
 * <p>Every module has one implicit clock {@code clk} and synchronous active-high reset {@code rst};
 * they become ports only when the module (or a submodule) has state.
 *
 * <p>To instantiate a submodule many times, build it once and pass the same object to
 * {@link #instance} for each instance: the body is then elaborated once. Its body is complete once
 * a parent instantiates it: the parent reaches it through the instance's ports, and a statement
 * into the submodule's own signals or memories is an error at the parent's line.
 */
public abstract class Module {
    private static final String INTERNALS = "a submodule is reached only through its instance's ports";
    private final String name;
    private final SourceLocation createdAt;
    private final List<Signal> ports = new ArrayList<>();
    private final List<Signal> signals = new ArrayList<>();
    private final List<Instance<?>> instances = new ArrayList<>();
    private final List<Mem> mems = new ArrayList<>();
    private final List<Rom> roms = new ArrayList<>();
    private final Stmt.Block body = new Stmt.Block();
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<String, SourceLocation> names = new HashMap<>();
    /** Signals and memories whose assignment had a type error (see {@link #reportMistyped}). */
    private final Set<Object> mistyped = Collections.newSetFromMap(new IdentityHashMap<>());
    private Stmt.Block current = body;
    private int serials;
    /** The first instance of this module and the module holding it; null until a parent instantiates it. */
    private Instance<?> instantiation;
    private Module instantiatedIn;

    protected Module(String name) {
        this.createdAt = SourceLocation.capture();
        this.name = name;
        String problem = Identifiers.problem(name);
        if (problem != null) {
            diagnostics.add(new Diagnostic("module name " + problem, createdAt));
        }
    }

    /**
     * Stops a generator whose parameters make no sense, at the line that called the generator's
     * constructor for library blocks (the line inside the generator for other generators).
     */
    protected static void requireParameter(boolean ok, String problem) {
        if (!ok) {
            throw new ElaborationException(problem, SourceLocation.capture());
        }
    }

    public final String name() { return name; }
    public final SourceLocation createdAt() { return createdAt; }
    /** Ports in declaration order. */
    public final List<Signal> ports() { return Collections.unmodifiableList(ports); }
    /** Wires, registers and memory read ports in declaration order. */
    public final List<Signal> signals() { return Collections.unmodifiableList(signals); }
    public final List<Instance<?>> instances() { return Collections.unmodifiableList(instances); }
    public final List<Mem> mems() { return Collections.unmodifiableList(mems); }
    public final List<Rom> roms() { return Collections.unmodifiableList(roms); }
    public final Stmt.Block body() { return body; }
    /** Problems found while the module was built (reported together by {@link Design#elaborate}). */
    public final List<Diagnostic> diagnostics() { return Collections.unmodifiableList(diagnostics); }
    /** How many signals this module owns, counting its instances' ports: every {@link Signal#serial()} is below it. */
    public final int signalCount() { return serials; }

    public final Signal port(String portName) {
        for (Signal p : ports) {
            if (p.name().equals(portName)) {
                return p;
            }
        }
        throw new ElaborationException("module " + name + " has no port '" + portName + "'", SourceLocation.capture());
    }

    // ---- declarations -------------------------------------------------------------------------

    protected final Signal input(String n, HwType t) { return port(n, Signal.Kind.INPUT, t); }
    protected final Signal output(String n, HwType t) { return port(n, Signal.Kind.OUTPUT, t); }
    protected final Signal wire(String n, HwType t) { return declare(n, Signal.Kind.WIRE, t, null, SourceLocation.capture()); }

    /** A register cleared to {@code resetValue} by {@code rst}. */
    protected final Signal reg(String n, HwType t, long resetValue) { return reg(n, t, resetValue, SourceLocation.capture()); }

    /** A register without reset (datapath registers: cheaper, and X until first written in simulation). */
    protected final Signal reg(String n, HwType t) { return reg(n, t, SourceLocation.capture()); }

    /**
     * {@link #reg(String, HwType, long)} reported at {@code at}: a generator declaring a row of registers
     * from one line (a pipeline) spares a stack walk per register.
     */
    protected final Signal reg(String n, HwType t, long resetValue, SourceLocation at) {
        BigInteger rv = BigInteger.valueOf(resetValue);
        requireType(n, t, at);
        if (!Expr.fits(rv, t)) {
            diagnostics.add(new Diagnostic("reset value " + resetValue + " of register '" + n + "' does not fit in " + t, at));
        }
        return declare(n, Signal.Kind.REG, t, rv, at);
    }

    /** {@link #reg(String, HwType)} reported at {@code at}, as {@link #reg(String, HwType, long, SourceLocation)}. */
    protected final Signal reg(String n, HwType t, SourceLocation at) { return declare(n, Signal.Kind.REG, t, null, at); }

    protected final Vec inputs(String n, int count, HwType t) { return vec(n, count, i -> input(n + "_" + i, t)); }
    protected final Vec outputs(String n, int count, HwType t) { return vec(n, count, i -> output(n + "_" + i, t)); }
    protected final Vec wires(String n, int count, HwType t) { return vec(n, count, i -> wire(n + "_" + i, t)); }
    protected final Vec regs(String n, int count, HwType t, long resetValue) { return vec(n, count, i -> reg(n + "_" + i, t, resetValue)); }
    protected final Vec regs(String n, int count, HwType t) { return vec(n, count, i -> reg(n + "_" + i, t)); }

    private static Vec vec(String n, int count, java.util.function.IntFunction<Signal> make) {
        if (count < 1) {
            throw new ElaborationException("vector '" + n + "' needs at least one element, got " + count, SourceLocation.capture());
        }
        Signal[] elems = new Signal[count];
        for (int i = 0; i < count; i++) {
            elems[i] = make.apply(i);
            elems[i].placeInVector(n, i);
        }
        return new Vec(n, elems);
    }

    /** A wire per field of {@code r}, named {@code <n>_<field>}; drive and read them together as a bundle. */
    protected final Bundle wire(String n, Record r) { return record(n, r).declare(f -> wire(n + "_" + f.getKey(), f.getValue())); }

    /** A register (without reset) per field of {@code r}, named {@code <n>_<field>}: e.g. a stream payload held for a stall. */
    protected final Bundle reg(String n, Record r) { return record(n, r).declare(f -> reg(n + "_" + f.getKey(), f.getValue())); }

    private static Record record(String n, Record r) {
        return ElaborationException.requireNonNull(r, "record of '" + n + "'");
    }

    /** An input stream: {@code <n>_valid}, {@code <n>_<field>...} in, {@code <n>_ready} out. */
    protected final Stream inStream(String n, Record payload) {
        record(n, payload);
        Signal valid = input(n + "_valid", HwType.bool());
        Signal ready = output(n + "_ready", HwType.bool());
        return new Stream(valid, ready, payload.declare(f -> input(n + "_" + f.getKey(), f.getValue())));
    }

    /** An output stream: {@code <n>_valid}, {@code <n>_<field>...} out, {@code <n>_ready} in. */
    protected final Stream outStream(String n, Record payload) {
        record(n, payload);
        Signal valid = output(n + "_valid", HwType.bool());
        Signal ready = input(n + "_ready", HwType.bool());
        return new Stream(valid, ready, payload.declare(f -> output(n + "_" + f.getKey(), f.getValue())));
    }

    protected final Stream inStream(String n, HwType data) { return inStream(n, Record.of("data", data)); }
    protected final Stream outStream(String n, HwType data) { return outStream(n, Record.of("data", data)); }

    /** A memory with synchronous read ports, inferred as block RAM by Yosys and Vivado. */
    protected final Mem mem(String n, HwType t, int depth) {
        ElaborationException.requireNonNull(t, "type of memory '" + n + "'");
        Mem m = new Mem(n, t, depth, this, SourceLocation.capture());
        claimName(n, m.declaredAt());
        mems.add(m);
        return m;
    }

    /** A read-only table; {@code values} are the entries' values in the type's range. */
    protected final Rom rom(String n, HwType t, long[] values) {
        ElaborationException.requireNonNull(t, "type of ROM '" + n + "'");
        ElaborationException.requireNonNull(values, "value array of ROM '" + n + "'");
        Rom r = new Rom(n, t, values.clone(), this, SourceLocation.capture());
        claimName(n, r.declaredAt());
        for (int i = 0; i < values.length; i++) {
            if (!Expr.fits(BigInteger.valueOf(values[i]), t)) {
                diagnostics.add(new Diagnostic("ROM '" + n + "' entry " + i + " = " + values[i] + " does not fit in " + t, r.declaredAt()));
            }
        }
        roms.add(r);
        return r;
    }

    /** Instantiate a submodule. Pass the same object for every instance of one definition. */
    protected final <M extends Module> Instance<M> instance(String n, M def) {
        return instance(n, def, SourceLocation.capture());
    }

    /**
     * {@link #instance(String, Module)} reported at {@code at}. A library block (a generator of qforge's
     * own block library) reports everything it builds at the user's line that built it, its
     * {@link #createdAt()}: passing that spares a large block a stack walk per instance.
     */
    protected final <M extends Module> Instance<M> instance(String n, M def, SourceLocation at) {
        ElaborationException.requireNonNull(def, "module instantiated as '" + n + "'", at);
        if (def == this) {
            throw new ElaborationException("module " + name + " instantiates itself", at);
        }
        claimName(n, at);
        Instance<M> inst = new Instance<>(n, def, this, at);
        instances.add(inst);
        Module child = def; // (a type variable's private fields are out of reach)
        if (child.instantiation == null) {
            child.instantiation = inst;
            child.instantiatedIn = this;
        }
        return inst;
    }

    // ---- behaviour ----------------------------------------------------------------------------

    /**
     * {@code target.set(value)} reported at {@code at}: for a library block, its {@link #createdAt()}
     * (see {@link #instance(String, Module, SourceLocation)}), one stack walk instead of one per connection.
     */
    protected final void connect(Signal target, Expr value, SourceLocation at) {
        target.owner().assign(target, value, at);
    }

    /** Statements in {@code body} apply only while {@code cond} is true. */
    protected final When when(Expr cond, Runnable thenBody) {
        return when(cond, SourceLocation.capture(), thenBody);
    }

    /** {@link #when(Expr, Runnable)} reported at {@code at} (see {@link #connect}). */
    protected final When when(Expr cond, SourceLocation at, Runnable thenBody) {
        Expr.requireCondition(cond);
        Stmt.If stmt = new Stmt.If(cond, new Stmt.Block(), new Stmt.Block(), at);
        current.add(stmt);
        runIn(stmt.then(), thenBody);
        return new When(this, stmt);
    }

    protected final Switch switchOn(Expr selector) {
        ElaborationException.requireNonNull(selector, "switch selector");
        return new Switch(this, selector);
    }

    void runIn(Stmt.Block block, Runnable bodyCode) {
        ElaborationException.requireNonNull(bodyCode, "the body of a when");
        Stmt.Block saved = current;
        current = block;
        try {
            bodyCode.run();
        } finally {
            current = saved;
        }
    }

    void assign(Signal target, Expr value, SourceLocation at) {
        ElaborationException.requireNonNull(value, "value assigned to '" + target.name() + "'", at);
        if (instantiation != null) {
            throw fromOutside("drive '" + target.name() + "'", switch (target.kind()) {
                case INPUT -> "drive the instance's input: " + instantiation.name() + ".io(\"" + target.name() + "\").set(...)";
                case OUTPUT -> "it is driven by " + name + " itself; read it as " + instantiation.name() + ".io(\"" + target.name() + "\")";
                default -> INTERNALS;
            }, at);
        }
        if (!target.isDrivable()) {
            String why = switch (target.kind()) {
                case INPUT -> "is an input of " + name + "; it is driven from outside";
                case INSTANCE_OUTPUT -> "is an output of instance '" + target.instance().name() + "'; it is driven by that instance";
                default -> "is a read port; it is driven by its memory";
            };
            diagnostics.add(new Diagnostic("cannot drive '" + target.name() + "': it " + why, at, target));
            return;
        }
        if (!MismatchHints.assignable(target.type(), value.type())) { // (the message's names are built only when needed)
            String mismatch = MismatchHints.assignment(target.type(), value.type(), "'" + target.name() + "'", declarationOf(target));
            reportMistyped(target, value, new Diagnostic(mismatch, at, target));
        }
        current.add(new Stmt.Assign(target, value, at));
    }

    void memWrite(Mem m, Expr addr, Expr data, SourceLocation at) {
        ElaborationException.requireNonNull(data, "data written to memory '" + m.name() + "'", at);
        if (instantiation != null) {
            throw fromOutside("write memory '" + m.name() + "'", INTERNALS, at);
        }
        String mismatch = m.checkAddress(addr);
        if (mismatch != null) {
            diagnostics.add(new Diagnostic(mismatch, at));
        }
        String memory = "memory '" + m.name() + "'";
        String dataMismatch = MismatchHints.assignment(m.type(), data.type(), memory, memory);
        if (dataMismatch != null) {
            reportMistyped(m, data, new Diagnostic(dataMismatch, at));
        }
        current.add(new Stmt.MemWrite(m, addr, data, at));
    }

    /**
     * The error of a statement that would add to this module's body after a parent instantiated it, such as a
     * parent's {@code child.out.set(x)}: the child's hardware would change under the parent's code.
     * {@code action} names the statement, {@code instead} says what to write.
     */
    private ElaborationException fromOutside(String action, String instead, SourceLocation at) {
        return new ElaborationException("cannot " + action + " of module " + name + " from outside it (" + name
                + " is instantiated as '" + instantiation.name() + "' in " + instantiatedIn.name() + " at "
                + instantiation.createdAt() + "): " + instead, at);
    }

    /** What to re-declare to change a target's type: the vector for its elements, the submodule's port for an instance input. */
    private static String declarationOf(Signal target) {
        if (target.vector() != null) {
            return "'" + target.vector() + "'";
        }
        if (target.kind() == Signal.Kind.INSTANCE_INPUT) {
            return "port '" + target.instancePort().name() + "' of " + target.instance().def().name();
        }
        return "'" + target.name() + "'";
    }

    /**
     * Reports a type error of an assignment unless its value reads a signal whose own assignment
     * already had one: that error follows from the first (a wrong declaration propagates to
     * everything computed from it), and the user fixes both by fixing the first.
     */
    private void reportMistyped(Object target, Expr value, Diagnostic d) {
        boolean[] follows = {false};
        if (!mistyped.isEmpty()) {
            Checks.forEachSignal(value, Collections.newSetFromMap(new IdentityHashMap<>()), s -> follows[0] |= mistyped.contains(s));
        }
        if (!follows[0]) {
            diagnostics.add(d);
        }
        mistyped.add(target);
    }

    int nextSerial() {
        return serials++;
    }

    void report(Diagnostic d) {
        diagnostics.add(d);
    }

    // ---- naming -------------------------------------------------------------------------------

    private Signal port(String n, Signal.Kind kind, HwType t) {
        SourceLocation at = SourceLocation.capture();
        requireType(n, t, at);
        claimName(n, at);
        Signal s = new Signal(n, kind, t, this, at, null, null, null, ports.size());
        ports.add(s);
        return s;
    }

    private Signal declare(String n, Signal.Kind kind, HwType t, BigInteger reset, SourceLocation at) {
        requireType(n, t, at);
        claimName(n, at);
        Signal s = new Signal(n, kind, t, this, at, reset, null, null, signals.size());
        signals.add(s);
        return s;
    }

    private static void requireType(String n, HwType t, SourceLocation at) {
        ElaborationException.requireNonNull(t, "type of '" + n + "'", at);
    }

    Signal readPort(String n, Signal.Kind kind, HwType t, SourceLocation at) {
        if (instantiation != null) {
            throw fromOutside("add read port '" + n + "'", INTERNALS, at);
        }
        claimName(n, at);
        Signal s = new Signal(n, kind, t, this, at, null, null, null, signals.size());
        signals.add(s);
        return s;
    }

    void claimName(String n, SourceLocation at) {
        String problem = Identifiers.problem(n);
        if (problem != null) {
            diagnostics.add(new Diagnostic("name " + problem, at));
            return;
        }
        if (Identifiers.isReservedPort(n)) {
            diagnostics.add(new Diagnostic("name '" + n + "' is reserved for the implicit clock/reset of every module", at));
            return;
        }
        SourceLocation first = names.putIfAbsent(n, at);
        if (first != null) {
            diagnostics.add(new Diagnostic("name clash: '" + n + "' is declared twice in module " + name + ", first at " + first, at));
        }
    }

    @Override
    public String toString() {
        return "module " + name;
    }
}

package dev.qforge.dsl;

import dev.qforge.dsl.check.Checks;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.dsl.emit.VerilogEmitter;
import dev.qforge.dsl.output.OutputFolder;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An elaborated, checked design: the distinct modules under a top module (children first) and
 * their Verilog. {@link #elaborate} reports every problem it finds in one exception.
 */
public final class Design {
    private final Module top;
    private final List<Module> modules;
    private final Map<String, String> verilog;
    private final Map<Module, VerilogEmitter.Clocking> clocking;
    /** Per distinct module, the drivers its checks and emitter read, kept so the estimator does not build them again. */
    private final Map<Module, Drivers> drivers;

    private Design(Module top, List<Module> modules, Map<String, String> verilog, Map<Module, VerilogEmitter.Clocking> clocking,
                   Map<Module, Drivers> drivers) {
        this.top = top;
        this.modules = modules;
        this.verilog = verilog;
        this.clocking = clocking;
        this.drivers = drivers;
    }

    /**
     * Checks the design rooted at {@code top} and emits its Verilog. Each module is emitted as soon as
     * it passes its checks, so two different modules sharing a name are found in the same run as
     * every other problem.
     */
    public static Design elaborate(Module top) {
        ElaborationException.requireNonNull(top, "top module");
        List<Module> order = postOrder(top);
        List<Diagnostic> problems = new ArrayList<>();
        Map<Module, BitSet[]> combPaths = new IdentityHashMap<>();
        Map<Module, VerilogEmitter.Clocking> clocking = new IdentityHashMap<>();
        Map<String, Module> firstByName = new LinkedHashMap<>();
        Map<String, String> verilog = new LinkedHashMap<>();
        List<Module> distinct = new ArrayList<>();
        Map<Module, Drivers> drivers = new IdentityHashMap<>();
        for (Module m : order) {
            Drivers d = new Drivers(m);
            Checks checks = new Checks(m, d, combPaths);
            List<Diagnostic> found = SameLineErrors.merge(checks.run());
            problems.addAll(found);
            if (checks.combPaths() != null) {
                combPaths.put(m, checks.combPaths());
            }
            clocking.put(m, clockingOf(m, clocking));
            if (!found.isEmpty()) {
                continue; // a module with errors has no meaningful Verilog to compare with a namesake
            }
            String text = VerilogEmitter.emit(m, d, clocking);
            Module first = firstByName.putIfAbsent(m.name(), m);
            if (first == null) {
                verilog.put(m.name(), text);
                distinct.add(m);
                drivers.put(m, d);
            } else if (!verilog.get(m.name()).equals(text)) {
                problems.add(new Diagnostic("two different modules are both named " + m.name() + ", created at " + first.createdAt()
                        + " and at " + m.createdAt() + "; a generator's module name must state every parameter that changes its hardware",
                        m.createdAt()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ElaborationException(problems);
        }
        return new Design(top, Collections.unmodifiableList(distinct), Collections.unmodifiableMap(verilog), clocking, drivers);
    }

    private static VerilogEmitter.Clocking clockingOf(Module m, Map<Module, VerilogEmitter.Clocking> done) {
        boolean clock = !m.mems().isEmpty();
        boolean reset = false;
        for (Signal s : m.signals()) {
            clock |= s.isState();
            reset |= s.kind() == Signal.Kind.REG && s.resetValue() != null;
        }
        for (Instance<?> inst : m.instances()) {
            VerilogEmitter.Clocking c = done.get(inst.def());
            clock |= c.clock();
            reset |= c.reset();
        }
        return new VerilogEmitter.Clocking(clock, reset);
    }

    /** Every distinct module object under {@code top}, each after all of its submodules. */
    private static List<Module> postOrder(Module top) {
        List<Module> order = new ArrayList<>();
        Map<Module, Boolean> state = new IdentityHashMap<>(); // false = in progress, true = done
        ArrayDeque<Module> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        stack.push(top);
        next.push(0);
        state.put(top, false);
        while (!stack.isEmpty()) {
            Module m = stack.peek();
            int k = next.pop();
            if (k < m.instances().size()) {
                next.push(k + 1);
                Instance<?> inst = m.instances().get(k);
                Module child = inst.def();
                Boolean st = state.get(child);
                if (st == null) {
                    state.put(child, false);
                    stack.push(child);
                    next.push(0);
                } else if (!st) {
                    throw new ElaborationException("module " + child.name() + " instantiates itself through instance '" + inst.name() + "'",
                            inst.createdAt());
                }
            } else {
                state.put(m, true);
                order.add(m);
                stack.pop();
            }
        }
        return order;
    }

    public Module top() { return top; }

    /** The distinct modules, each after its submodules; the top module is last. */
    public List<Module> modules() { return modules; }

    /** Module name to Verilog text, in {@link #modules()} order. */
    public Map<String, String> verilog() { return verilog; }

    /** Whether module {@code m} of this design has the implicit {@code clk} and {@code rst} ports. */
    public VerilogEmitter.Clocking clocking(Module m) {
        VerilogEmitter.Clocking c = clocking.get(m);
        if (c == null) {
            throw new IllegalArgumentException(m + " is not part of the design of " + top.name());
        }
        return c;
    }

    /** Who drives what in module {@code m} of {@link #modules()}. */
    public Drivers drivers(Module m) {
        Drivers d = drivers.get(m);
        if (d == null) {
            throw new IllegalArgumentException(m + " is not one of the modules of the design of " + top.name());
        }
        return d;
    }

    public String verilog(String moduleName) {
        String v = verilog.get(moduleName);
        if (v == null) {
            throw new IllegalArgumentException("no module " + moduleName + " in the design of " + top.name());
        }
        return v;
    }

    /** The text of filelist.f: one file per line, submodules first. */
    public String fileList() {
        StringBuilder sb = new StringBuilder();
        for (String name : verilog.keySet()) {
            sb.append(name).append(".v\n");
        }
        return sb.toString();
    }

    /** Total lines of Verilog over all modules. */
    public long lineCount() {
        long n = 0;
        for (String v : verilog.values()) {
            for (int i = v.indexOf('\n'); i >= 0; i = v.indexOf('\n', i + 1)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Writes {@code <Module>.v} for every module and {@code filelist.f} into {@code dir} (created if
     * needed) as an {@link OutputFolder}: a file qforge did not write, or that changed since it
     * did, is never overwritten (the write is refused before anything changes), and modules of an
     * earlier generation that this design no longer has are removed. Returns the paths written.
     */
    public List<Path> write(Path dir) {
        OutputFolder folder = OutputFolder.at(dir);
        addTo(folder);
        return folder.commit();
    }

    /**
     * Stages the Verilog files and {@code filelist.f} in {@code folder}, and the removal of the
     * modules that an earlier {@code filelist.f} qforge wrote there lists and this design does not
     * have; write them together with other outputs (a report, a README) by committing the folder.
     */
    public void addTo(OutputFolder folder) {
        folder.ownContent(FILE_LIST).ifPresent(previous -> previous.lines().filter(line -> !line.isBlank())
                .forEach(line -> folder.remove(line.strip())));
        for (Map.Entry<String, String> e : verilog.entrySet()) {
            folder.put(e.getKey() + ".v", e.getValue());
        }
        folder.put(FILE_LIST, fileList());
    }

    /** The list of Verilog files, submodules first, that simulators and synthesis read. */
    public static final String FILE_LIST = "filelist.f";
}

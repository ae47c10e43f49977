package dev.qforge.dsl;

import dev.qforge.dsl.check.Checks;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.dsl.emit.VerilogEmitter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    private Design(Module top, List<Module> modules, Map<String, String> verilog, Map<Module, VerilogEmitter.Clocking> clocking) {
        this.top = top;
        this.modules = modules;
        this.verilog = verilog;
        this.clocking = clocking;
    }

    /**
     * Checks the design rooted at {@code top} and emits its Verilog. Each module is emitted as soon as
     * it passes its checks, so two different modules sharing a name are found in the same run as
     * every other problem.
     */
    public static Design elaborate(Module top) {
        List<Module> order = postOrder(top);
        List<Diagnostic> problems = new ArrayList<>();
        Map<Module, BitSet[]> combPaths = new IdentityHashMap<>();
        Map<Module, VerilogEmitter.Clocking> clocking = new IdentityHashMap<>();
        Map<String, Module> firstByName = new LinkedHashMap<>();
        Map<String, String> verilog = new LinkedHashMap<>();
        List<Module> distinct = new ArrayList<>();
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
            } else if (!verilog.get(m.name()).equals(text)) {
                problems.add(new Diagnostic("two different modules are both named " + m.name() + ", created at " + first.createdAt()
                        + " and at " + m.createdAt() + "; a generator's module name must state every parameter that changes its hardware",
                        m.createdAt()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ElaborationException(problems);
        }
        return new Design(top, Collections.unmodifiableList(distinct), Collections.unmodifiableMap(verilog), clocking);
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
            n += v.chars().filter(c -> c == '\n').count();
        }
        return n;
    }

    /** First line of every file qforge writes; only files that start with it are ever replaced. */
    static final String GENERATED_MARK = "// Generated by qforge";

    /**
     * Writes {@code <Module>.v} for every module and {@code filelist.f} into {@code dir} (created if
     * needed). Files from an earlier generation that this design no longer has are removed; any
     * file qforge did not generate is never overwritten (the write stops with an error instead)
     * and other files in the folder are left alone. Returns the paths written.
     */
    public List<Path> write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path list = dir.resolve("filelist.f");
            List<Path> previous = previousOutputs(list);
            for (String name : verilog.keySet()) {
                requireGenerated(dir.resolve(name + ".v"));
            }
            List<Path> written = new ArrayList<>();
            for (Map.Entry<String, String> e : verilog.entrySet()) {
                Path f = dir.resolve(e.getKey() + ".v");
                Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
                written.add(f);
            }
            for (Path old : previous) {
                if (!written.contains(old)) {
                    Files.deleteIfExists(old);
                }
            }
            Files.writeString(list, fileList(), StandardCharsets.UTF_8);
            written.add(list);
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Verilog to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The files an earlier write listed in filelist.f; refuses a filelist.f that lists files qforge did not write. */
    private static List<Path> previousOutputs(Path list) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.exists(list)) {
            return files;
        }
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            Path f = list.resolveSibling(line.trim());
            if (!line.trim().endsWith(".v") || line.contains("/") || !isGeneratedOrMissing(f)) {
                throw new IllegalStateException("refusing to overwrite " + list + ": it lists '" + line.trim()
                        + "', which qforge did not generate; choose an empty or qforge-owned output folder");
            }
            files.add(f);
        }
        return files;
    }

    private static void requireGenerated(Path f) throws IOException {
        if (!isGeneratedOrMissing(f)) {
            throw new IllegalStateException("refusing to overwrite " + f + ": it was not generated by qforge; "
                    + "choose an empty or qforge-owned output folder");
        }
    }

    private static boolean isGeneratedOrMissing(Path f) throws IOException {
        if (!Files.exists(f)) {
            return true;
        }
        try (java.io.BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            return first != null && first.startsWith(GENERATED_MARK);
        }
    }
}

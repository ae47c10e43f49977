package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Target;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.qforge.generators.report.estimate.Operators.unwire;

/**
 * Write-address decoders: registers each loaded when a value equals its own constant, under the same
 * other conditions (a register file's write port, {@code Vec.setAtWhen}). ABC builds each register's
 * enable as one LUT reading two low address bits and a line shared by the enables that differ only
 * in them; the lines decode the remaining address bits together with the other conditions, the same
 * way again, until all of them fit one LUT. So the compares cost nothing of their own and the
 * enables are the decoder's outputs. Yosys 0.23 synth_ice40, one write enable, 2^n one-bit or
 * four-bit registers: n = 3: 8 LUTs (8 outputs, compare and enable in one LUT4), n = 4: 20
 * (16 + 4), n = 5: 41 (32 + 8 + 0, modelled 40), n = 6: 80 (64 + 16 + 4, modelled 84); each
 * compare with its own enable had cost 2 or 3 LUT4s.
 */
final class Decoders {
    /** A condition of a register's load, and on which side of it the load is. */
    private record Cond(Expr cond, boolean then) { }

    /** The compares with constants of one value, and the other conditions every register they load shares. */
    private static final class Group {
        final Set<BigInteger> constants = new HashSet<>();
        final List<Op> compares = new ArrayList<>();
        Set<Cond> others;
        boolean valid = true;
    }

    /** A decoder: the constants its compares test, the width of the value they read, and how many other conditions its loads share. */
    private record Decoder(Set<BigInteger> constants, int width, int others) { }

    private final Set<Op> outputs = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Decoder> decoders = new ArrayList<>();

    /** Finds the decoders of a module, the same on every target (only their LUTs, {@link #luts}, depend on its LUT width). */
    Decoders(Liveness liveness) {
        Map<Expr, Group> groups = new LinkedHashMap<>();
        Set<Op> values = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Liveness.LiveTarget t : liveness.liveTargets()) { // the driven signals whose width is live, in order
            Signal s = t.signal();
            List<Drivers.Driver> ds = t.drivers();
            for (int i = 0; i < ds.size(); i++) { // indexed, as in Liveness.forEachRoot
                Drivers.Driver d = ds.get(i);
                if (d.assign().value() instanceof Op v) {
                    values.add(v);
                }
                for (int j = 0; j < d.path().size(); j++) {
                    Drivers.Step step = d.path().get(j);
                    if (!(step.stmt().cond() instanceof Op eq) || constantOf(eq) == null) {
                        continue;
                    }
                    Group g = groups.computeIfAbsent(unwire(eq.operand(constantIndex(eq) == 1 ? 0 : 1)), k -> new Group());
                    Set<Cond> others = new HashSet<>();
                    d.path().forEach(o -> {
                        if (o != step) {
                            others.add(new Cond(unwire(o.stmt().cond()), o.then()));
                        }
                    });
                    // a load of a register of its own, one driver, on the compare's true side, under the group's other conditions
                    boolean fits = step.then() && s.kind() == Signal.Kind.REG && ds.size() == 1
                            && liveness.consumers(eq).isEmpty() && liveness.wireOf(eq) == null && (g.others == null || g.others.equals(others));
                    g.valid &= fits;
                    g.others = others;
                    g.constants.add(constantOf(eq));
                    g.compares.add(eq);
                }
            }
        }
        for (Map.Entry<Expr, Group> e : groups.entrySet()) {
            Group g = e.getValue();
            int n = e.getKey().width();
            if (!g.valid || g.constants.size() < 4 || g.compares.stream().anyMatch(values::contains)) {
                continue;
            }
            outputs.addAll(g.compares);
            decoders.add(new Decoder(g.constants, n, g.others.size()));
        }
    }

    /** Whether this compare is one output of a decoder, its LUT the register's enable ({@link #luts}). */
    boolean isOutput(Op op) {
        return outputs.contains(op);
    }

    /** LUTs of every decoder of the module on {@code target}, enables included. */
    long luts(Target target) {
        long luts = 0;
        for (Decoder d : decoders) {
            luts += decoderLuts(target.lutInputs(), d.constants(), d.width(), d.others());
        }
        return luts;
    }

    /**
     * LUTs of a decoder of {@code constants} of an n-bit value under {@code others} further conditions,
     * in k-input LUTs: one LUT per output when all fit one LUT, else an output LUT over two low bits and a line, and
     * the lines decoded the same way.
     */
    static long decoderLuts(int k, Set<BigInteger> constants, int n, int others) {
        if (n + others <= k || n <= 0) {
            return (long) constants.size() * Math.max(1, Operators.ceilDiv(n + others - 1, k - 1));
        }
        int low = k - 2;
        Set<BigInteger> lines = new HashSet<>();
        constants.forEach(c -> lines.add(c.shiftRight(low)));
        return constants.size() + decoderLuts(k, lines, n - low, others);
    }

    private static int constantIndex(Op eq) {
        return eq.operand(1) instanceof Const ? 1 : eq.operand(0) instanceof Const ? 0 : -1;
    }

    private static BigInteger constantOf(Op eq) {
        if (eq.kind() != Op.Kind.EQ || eq.operandCount() != 2) {
            return null;
        }
        int i = constantIndex(eq);
        return i < 0 || unwire(eq.operand(1 - i)) instanceof Const ? null : ((Const) eq.operand(i)).value();
    }
}

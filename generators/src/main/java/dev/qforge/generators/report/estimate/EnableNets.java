package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stmt;
import dev.qforge.dsl.check.Drivers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The clock-enable nets nextpnr-ice40 routes through a global buffer. A register none of whose
 * drivers is unconditional holds its value through its flip-flops' clock enable; registers loaded
 * under the same conditions share one enable net (opt_merge builds it once). nextpnr's packer
 * (promote_globals) promotes an enable net driving more than 15 flip-flops, the four most loaded,
 * to a global buffer: the net then runs from its LUT to the buffer at the die's edge, through it,
 * and over the global network to every CEN. Seen on the CRC (its 16-bit register, enabled by init
 * or valid) and the enables of the Fir5, Timer, GroupDequant and both examples' user blocks, all
 * promoted. Counted per module: an enable a parent passes to its instances becomes one net once
 * Yosys flattens them, which this model leaves out (the engines' {@code en}, not on their critical
 * paths).
 */
final class EnableNets {
    /** nextpnr-ice40's enable_fanout_thresh: a net is promoted with more flip-flop enables than this. */
    private static final int PROMOTED_ABOVE = 15;
    /** The global buffers nextpnr-ice40 gives enable nets at most (cens_available). */
    private static final int PROMOTED_AT_MOST = 4;

    private final Set<Signal> promoted = Collections.newSetFromMap(new IdentityHashMap<>());

    EnableNets(Liveness liveness, DspAbsorption dsps) {
        // per net, the registers it enables, first seen first so that ties rank the same on every run; by its
        // conditions, hashed once per register (a large array has ~10^5 registers, most on nets of their own)
        Map<LogicCost.IdentityList, Integer> index = new HashMap<>();
        List<List<Liveness.LiveTarget>> nets = new ArrayList<>();
        for (Liveness.LiveTarget t : liveness.liveTargets()) {
            // a register a DSP absorbs is enabled inside it, not by a logic cell's CEN
            if (t.signal().kind() == Signal.Kind.REG && !dsps.isAbsorbed(t.signal()) && hasEnable(t.drivers())) {
                LogicCost.IdentityList key = conditions(t.drivers());
                if (key.items().length == 0) {
                    continue; // loaded on every path: no enable
                }
                Integer net = index.putIfAbsent(key, nets.size());
                if (net == null) {
                    nets.add(new ArrayList<>(1));
                }
                nets.get(net == null ? nets.size() - 1 : net).add(t);
            }
        }
        int[] flipFlops = new int[nets.size()]; // summed once, not per comparison
        for (int i = 0; i < nets.size(); i++) {
            flipFlops[i] = flipFlops(nets.get(i));
        }
        IntStream.range(0, nets.size()).boxed()
                .filter(i -> flipFlops[i] > PROMOTED_ABOVE)
                .sorted(Comparator.comparingInt((Integer i) -> flipFlops[i]).reversed())
                .limit(PROMOTED_AT_MOST)
                .forEach(i -> nets.get(i).forEach(t -> promoted.add(t.signal())));
    }

    /** Whether {@code reg}'s clock enable runs through a global buffer. */
    boolean isPromoted(Signal reg) {
        return promoted.contains(reg);
    }

    /** The conditions of {@code ds}'s enable, each with the sides its loads take: registers with the same share the net. */
    private static LogicCost.IdentityList conditions(List<Drivers.Driver> ds) {
        List<Object> key = new ArrayList<>();
        for (Stmt.If c : enabling(ds)) {
            boolean then = false;
            boolean otherwise = false;
            for (int i = 0; i < ds.size(); i++) { // indexed, as in Liveness.forEachRoot
                List<Drivers.Step> path = ds.get(i).path();
                for (int j = 0; j < path.size(); j++) {
                    then |= path.get(j).stmt() == c && path.get(j).then();
                    otherwise |= path.get(j).stmt() == c && !path.get(j).then();
                }
            }
            key.add(c);
            key.add(List.of(then, otherwise)); // a list: compared by value
        }
        return new LogicCost.IdentityList(key.toArray());
    }

    /**
     * The conditions a register's clock enable is a function of, in the drivers' order, for a
     * register none of whose drivers is unconditional. Drivers on both sides of every branch that
     * tells them apart load under the conditions all share (same side) alone; else the enable ORs
     * every condition on their paths.
     */
    static List<Stmt.If> enabling(List<Drivers.Driver> ds) {
        if (ds.size() == 1) {
            // one driver: the conditionals on its path, each once and on one side, all shared (most registers of a large array)
            List<Drivers.Step> steps = ds.get(0).path();
            List<Stmt.If> path = new ArrayList<>(steps.size());
            for (int i = 0; i < steps.size(); i++) { // indexed, as in Liveness.forEachRoot
                path.add(steps.get(i).stmt());
            }
            return path;
        }
        Map<Stmt.If, Integer> onPaths = new IdentityHashMap<>(4); // Stmt.If is a record: compared by identity here
        Map<Stmt.If, Set<Boolean>> sides = new IdentityHashMap<>(4);
        List<Stmt.If> order = new ArrayList<>();
        for (Drivers.Driver d : ds) {
            Set<Stmt.If> path = Collections.newSetFromMap(new IdentityHashMap<>(4));
            for (Drivers.Step step : d.path()) {
                if (path.add(step.stmt()) && onPaths.merge(step.stmt(), 1, Integer::sum) == 1) {
                    order.add(step.stmt());
                }
                sides.computeIfAbsent(step.stmt(), k -> new HashSet<>(2)).add(step.then());
            }
        }
        Set<Stmt.If> shared = Collections.newSetFromMap(new IdentityHashMap<>(4));
        for (Stmt.If c : order) {
            if (onPaths.get(c) == ds.size() && sides.get(c).size() == 1) {
                shared.add(c);
            }
        }
        boolean covered = order.stream().allMatch(c -> shared.contains(c) || sides.get(c).size() == 2);
        return order.stream().filter(c -> ds.size() > 1 && !covered || shared.contains(c)).toList();
    }

    private static int flipFlops(List<Liveness.LiveTarget> regs) {
        int sum = 0;
        for (int i = 0; i < regs.size(); i++) {
            sum += regs.get(i).liveWidth();
        }
        return sum;
    }

    /**
     * Whether a register loaded by {@code ds} holds its value through a clock enable: none of its
     * drivers is unconditional. A loop, not a stream: asked per register of a large array.
     */
    static boolean hasEnable(List<Drivers.Driver> ds) {
        for (int i = 0; i < ds.size(); i++) {
            if (ds.get(i).isUnconditional()) {
                return false;
            }
        }
        return true;
    }
}

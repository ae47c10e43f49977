package dev.qforge.spec.compose;

import dev.qforge.dsl.Module;
import dev.qforge.generators.BlockInfo;
import dev.qforge.generators.MemoryTraffic;
import dev.qforge.generators.Performance;
import dev.qforge.generators.PortDoc;
import dev.qforge.spec.check.Block;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.workload.LayerResult;
import dev.qforge.spec.workload.WorkloadResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A spec's composed top as a report and a port-table README see it: its parameters are the
 * target, the clock, each block with its options and each connection; each top-level port is
 * documented by the block port it brings out; its cycle model and memory traffic are the spec's
 * workloads, one after another.
 */
public final class ComposedBlock implements BlockInfo {
    private final CheckedSpec spec;
    private final ComposedTop top;

    public ComposedBlock(CheckedSpec spec) {
        this.spec = spec;
        this.top = (ComposedTop) spec.design().top();
    }

    @Override
    public String designName() { return spec.name(); }

    @Override
    public Module top() { return top; }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("target", spec.device().name());
        p.put("clock", spec.clockMhz() > 0 ? spec.clockMhz() + " MHz" : "not given");
        for (Block b : spec.blocks()) {
            p.put("block " + b.name(), b.generator().name() + "(" + b.options().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining(", ")) + ")");
        }
        for (Link l : spec.links()) {
            p.put("connection " + l.from() + " -> " + l.to(), l.fifoDepth() > 0 ? "through a FIFO of depth " + l.fifoDepth() : "direct");
        }
        return p;
    }

    /** clk and rst, then each exported stream's or port's rows as its block documents them, renamed to the top's ports. */
    @Override
    public List<PortDoc> ports() {
        List<PortDoc> docs = new ArrayList<>();
        docs.add(new PortDoc("clk", "in", 1, "clock", "every register samples on the rising edge"));
        docs.add(new PortDoc("rst", "in", 1, "synchronous reset, active high", "resets every block and FIFO"));
        for (ComposedTop.Export e : top.exports()) {
            Block b = spec.blocks().stream().filter(x -> x.name().equals(e.block())).findFirst().orElseThrow();
            for (PortDoc d : b.info().ports()) {
                boolean mine = e.stream() ? d.name().startsWith(e.port() + "_") && b.stream(e.port()) != null : d.name().equals(e.port());
                if (mine) {
                    String name = e.stream() ? d.name().replace(e.port() + "_", e.top() + "_") : e.top();
                    docs.add(new PortDoc(name, d.direction(), d.width(), d.protocol().replace("'" + e.port() + "'", "'" + e.top() + "'"),
                            e.block() + "." + e.port() + ": " + d.meaning()));
                }
            }
        }
        return docs;
    }

    /** All workloads in a row as one transaction: their cycles and MACs; null without a workload. */
    @Override
    public Performance performance() {
        long cycles = spec.workloads().stream().mapToLong(WorkloadResult::cycles).sum();
        if (cycles == 0) {
            return null;
        }
        long macs = spec.workloads().stream().mapToLong(WorkloadResult::macs).sum();
        return new Performance(workloadName(), cycles, cycles, cycles, (double) macs / cycles, 0);
    }

    /** The bytes all workloads move to and from external memory, layer by layer as the checker counted them; null without a workload. */
    @Override
    public MemoryTraffic memoryTraffic() {
        List<LayerResult> layers = spec.workloads().stream().flatMap(w -> w.layers().stream()).toList();
        if (layers.isEmpty()) {
            return null;
        }
        return MemoryTraffic.of(workloadName(), layers.stream().mapToLong(LayerResult::macs).sum(),
                8 * layers.stream().mapToLong(LayerResult::weightBytes).sum(), 0, 8 * layers.stream().mapToLong(LayerResult::activationBytes).sum(),
                8 * layers.stream().mapToLong(LayerResult::resultBytes).sum(), null, null);
    }

    private String workloadName() {
        return "workload " + spec.workloads().stream().map(WorkloadResult::name).collect(Collectors.joining(" + "));
    }
}

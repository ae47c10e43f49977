package dev.qforge.generators;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A plain DSL module seen as a block: its ports and the parameters it was built with, no cycle model. */
public final class ModuleBlockInfo implements BlockInfo {
    private final String designName;
    private final Module top;
    private final Map<String, String> parameters;

    public ModuleBlockInfo(String designName, Module top, Map<String, String> parameters) {
        this.designName = designName;
        this.top = top;
        this.parameters = Collections.unmodifiableMap(parameters);
    }

    @Override
    public String designName() { return designName; }

    @Override
    public Module top() { return top; }

    @Override
    public Map<String, String> parameters() { return parameters; }

    @Override
    public List<PortDoc> ports() {
        List<PortDoc> docs = new ArrayList<>();
        for (Signal p : top.ports()) {
            docs.add(new PortDoc(p.name(), p.kind() == Signal.Kind.INPUT ? "in" : "out", p.width(), "wire", p.type().toString()));
        }
        return docs;
    }

    @Override
    public Performance performance() { return null; }
}

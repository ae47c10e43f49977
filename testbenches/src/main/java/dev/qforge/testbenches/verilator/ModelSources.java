package dev.qforge.testbenches.verilator;

import dev.qforge.dsl.Design;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a model build compiles: the RTL files (name to text, submodules first), the top
 * module's name and port layout, and the C++ main.
 */
public record ModelSources(PortLayout layout, Map<String, String> rtl, String main) {
    /** The design's RTL with the generated co-simulation harness. */
    public static ModelSources of(Design design) {
        PortLayout layout = PortLayout.of(design);
        Map<String, String> rtl = new LinkedHashMap<>();
        design.verilog().forEach((module, text) -> rtl.put(module + ".v", text));
        return new ModelSources(layout, Collections.unmodifiableMap(rtl), HarnessGenerator.generate(layout));
    }

    /** The same RTL with another C++ main (a hand-written benchmark loop, or a broken one in a test). */
    public ModelSources withMain(String cpp) {
        return new ModelSources(layout, rtl, cpp);
    }

    public String top() {
        return layout.top();
    }
}

package dev.qforge.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code <design>} of the plugin configuration:
 * <pre>
 *   &lt;design>
 *     &lt;name>mac8&lt;/name>                          output folder rtl-out/mac8
 *     &lt;generator>dev.qforge.lib.MacPe&lt;/generator> a Module or BlockInfo class
 *     &lt;parameters>&lt;parameter>8&lt;/parameter>...&lt;/parameters>   constructor arguments, in order
 *   &lt;/design>
 * </pre>
 * or, for a generator with a static {@code fromOptions(String designName, Map<String, String> options)}
 * (such as {@code dev.qforge.generators.systolic.GemmEngineBlock}), named options instead of parameters:
 * <pre>
 *     &lt;options>&lt;rows>8&lt;/rows>&lt;requant>tflite&lt;/requant>&lt;/options>
 * </pre>
 */
public class DesignSpec {
    private String name;
    private String generator;
    private List<String> parameters = new ArrayList<>();
    /** Sorted by name, so the same options always give the same fingerprint. */
    private Map<String, String> options = new TreeMap<>();

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getGenerator() { return generator; }
    public void setGenerator(String generator) { this.generator = generator; }
    public List<String> getParameters() { return parameters; }
    public void setParameters(List<String> parameters) { this.parameters = parameters == null ? new ArrayList<>() : parameters; }
    public Map<String, String> getOptions() { return options; }
    public void setOptions(Map<String, String> options) { this.options = options == null ? new TreeMap<>() : new TreeMap<>(options); }

    @Override
    public String toString() {
        return name + "=" + generator + parameters + options;
    }
}

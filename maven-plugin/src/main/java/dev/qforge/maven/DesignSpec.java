package dev.qforge.maven;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code <design>} of the plugin configuration:
 * <pre>
 *   &lt;design>
 *     &lt;name>mac8&lt;/name>                          output folder rtl-out/mac8
 *     &lt;generator>dev.qforge.lib.MacPe&lt;/generator> a Module or BlockInfo class
 *     &lt;parameters>&lt;parameter>8&lt;/parameter>...&lt;/parameters>   constructor arguments, in order
 *   &lt;/design>
 * </pre>
 */
public class DesignSpec {
    private String name;
    private String generator;
    private List<String> parameters = new ArrayList<>();

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getGenerator() { return generator; }
    public void setGenerator(String generator) { this.generator = generator; }
    public List<String> getParameters() { return parameters; }
    public void setParameters(List<String> parameters) { this.parameters = parameters; }

    @Override
    public String toString() {
        return name + "=" + generator + parameters;
    }
}

package dev.qforge.generators;

import dev.qforge.generators.registry.InvalidOption;

import java.util.Map;

/**
 * A bad parameter of a block configuration: {@link #parameter()} is the name the configuration
 * gives it (a record component, or a GEMM dimension M, K, N), {@link #problem()} what is wrong
 * with it; the message is both ("rows must be in 1..256, got 0"), so a caller with other names
 * for the parameters (the registry's options) can say the same in its own.
 */
public final class InvalidParameter extends IllegalArgumentException {
    private final String parameter;
    private final String problem;

    public InvalidParameter(String parameter, String problem) {
        super(parameter + " " + problem);
        this.parameter = parameter;
        this.problem = problem;
    }

    public String parameter() { return parameter; }

    public String problem() { return problem; }

    /** The same problem named as the option that sets the parameter ({@code optionOf}: parameter -> option; unlisted names are the option's). */
    public InvalidOption asOption(Map<String, String> optionOf) {
        return new InvalidOption(optionOf.getOrDefault(parameter, parameter), problem);
    }
}

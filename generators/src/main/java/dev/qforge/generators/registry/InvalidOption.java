package dev.qforge.generators.registry;

/**
 * A generator option that is unknown or has a bad value: {@link #option()} names it (as declared,
 * without {@code --}), {@link #problem()} says what is wrong; the message is both ("rows must be in
 * 1..256, got 0"), so the command line can write {@code --rows ...} and a pom {@code <rows>}.
 */
public final class InvalidOption extends IllegalArgumentException {
    private final String option;
    private final String problem;

    public InvalidOption(String option, String problem) {
        super(option + " " + problem, null);
        this.option = option;
        this.problem = problem;
    }

    public String option() { return option; }

    public String problem() { return problem; }
}

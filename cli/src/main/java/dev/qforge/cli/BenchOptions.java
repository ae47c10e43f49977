package dev.qforge.cli;

import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Option;
import dev.qforge.generators.registry.OptionTable;

import java.util.Map;

/**
 * A bench's options that are a generator's, read through the generator's one declaration with only
 * the bench's defaults (a realistic shape) overlaid: names, ranges, choices, "does not apply" rules,
 * combination checks and their messages are {@code qforge generate}'s, so the two cannot drift.
 */
final class BenchOptions {
    private BenchOptions() { }

    /** The options of {@code g} given on the command line, as generate reads them. */
    static Map<String, String> given(Args args, Generator g) {
        return GenerateCommand.options(args, g);
    }

    /** Every option of {@code g} (with the bench's defaults): the given ones checked, the others defaulted. */
    static Map<String, String> resolve(Generator g, Map<String, String> given) {
        try {
            return g.resolve(given);
        } catch (InvalidOption e) {
            throw Args.UsageException.of(e);
        }
    }

    /** The one option {@code o} of a generator, at the bench's {@code benchDefault} when absent, checked as generate checks it. */
    static int integer(Args args, Option o, int benchDefault) {
        String v = args.string("--" + o.name(), null);
        try {
            return Integer.parseInt(o.check(v != null ? v : Integer.toString(benchDefault)));
        } catch (InvalidOption e) {
            throw Args.UsageException.of(e);
        }
    }

    /** The help page's option list: the generator's options from their declarations, then the bench's own {@code more} (usage -> doc). */
    static String help(Generator g, Map<String, String> more) {
        return "options (defaults in brackets):\n" + OptionTable.help(g, more);
    }
}

package dev.qforge.cli;

import dev.qforge.generators.Suggestions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} options of a subcommand; every option must be known and read: a command
 * reads each of its options (with a fallback when absent), and {@link #requireAllRead} then
 * rejects whatever the user gave that the command did not read, so a misspelt option is an
 * error, never silently the default.
 */
final class Args {
    /** A command-line mistake, printed without a stack trace. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> flags = new LinkedHashSet<>();
    private final String operand;
    private final Set<String> readAsValue = new HashSet<>();
    private final Set<String> readAsFlag = new HashSet<>();

    /** Options, optionally preceded by one operand (a folder, say) when the command takes one. */
    Args(String[] argv, boolean takesOperand) {
        boolean hasOperand = takesOperand && argv.length > 0 && !argv[0].startsWith("-");
        operand = hasOperand ? argv[0] : null;
        for (int i = hasOperand ? 1 : 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("-")) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            // A following word is this option's value unless it is itself an option ("-o", "--x"); "-5" is a value.
            if (i + 1 < argv.length && !argv[i + 1].matches("-[A-Za-z-].*")) {
                values.put(a, argv[++i]);
            } else {
                flags.add(a);
            }
        }
    }

    /** The command's operand; {@code what} names it in the error when it is missing. */
    String operand(String what) {
        if (operand == null) {
            throw new UsageException("missing " + what);
        }
        return operand;
    }

    String string(String name, String fallback) {
        readAsValue.add(name);
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback, int min, int max) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new UsageException(name + " must be in " + min + ".." + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes a whole number, got '" + v + "'");
        }
    }

    boolean flag(String name) {
        readAsFlag.add(name);
        return flags.contains(name);
    }

    /**
     * Rejects every option given but not read by the command: unknown ones (naming the closest
     * known one), a value after a flag, a missing value. Call it after reading all options and
     * before doing any work; {@link Main} also calls it after every command, so none can skip it.
     */
    void requireAllRead() {
        for (String f : flags) {
            if (!readAsFlag.contains(f)) {
                throw new UsageException(readAsValue.contains(f) ? f + " needs a value" : unknown(f));
            }
        }
        for (Map.Entry<String, String> v : values.entrySet()) {
            if (!readAsValue.contains(v.getKey())) {
                throw new UsageException(readAsFlag.contains(v.getKey()) ? v.getKey() + " takes no value, got '" + v.getValue() + "'"
                        : unknown(v.getKey()));
            }
        }
    }

    private String unknown(String option) {
        List<String> known = new ArrayList<>(readAsValue);
        known.addAll(readAsFlag);
        known.sort(null);
        String closest = Suggestions.closest(option, known);
        return "unknown option '" + option + "'" + (closest != null ? " (did you mean " + closest + "?)"
                : known.isEmpty() ? "; this command takes no options" : "; options: " + String.join(" ", known));
    }
}

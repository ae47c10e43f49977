package dev.qforge.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of a subcommand; every option must be known and read. */
final class Args {
    /** A command-line mistake, printed without a stack trace. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final String operand;

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
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback, int min, int max) {
        String v = values.get(name);
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
        return flags.contains(name);
    }
}

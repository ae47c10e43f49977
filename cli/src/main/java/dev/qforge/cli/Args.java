package dev.qforge.cli;

import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.generators.registry.DidYouMean;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Option;

import java.nio.file.Files;
import java.nio.file.Path;
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

        /** A generator option's error in the command line's words: {@code --kv-group applies only to ...}. */
        static UsageException of(InvalidOption e) {
            return new UsageException("--" + e.option() + " " + e.problem());
        }
    }

    /**
     * Long spellings users write for a short option, which edit distance cannot reach: --out is 3 edits from
     * -o but 2 from --act, so it would be hinted towards the wrong option.
     */
    private static final Map<String, String> LONG_SPELLINGS = Map.of("--out", "-o", "--output", "-o", "--outdir", "-o",
            "--out-dir", "-o", "--output-dir", "-o");

    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Set<String> flags = new LinkedHashSet<>();
    /** Flags given more than once: an error when read, as an option's value given twice is. */
    private final Set<String> repeatedFlags = new HashSet<>();
    private final List<String> operands = new ArrayList<>();
    private int operandsRead;
    private final Set<String> readAsValue = new HashSet<>();
    private final Set<String> readAsFlag = new HashSet<>();
    /** A word after an option's value (index into argv -> the option), taken only by {@link #pair}. */
    private final Map<String, String> strays = new LinkedHashMap<>();

    /** Options, optionally preceded by operands (a folder, a generator name) when the command takes them. */
    Args(String[] argv, boolean takesOperand) {
        int first = 0;
        while (takesOperand && first < argv.length && !argv[first].startsWith("-")) {
            operands.add(argv[first++]);
        }
        for (int i = first; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("-")) {
                if (i == first || !values.containsKey(argv[i - 2]) || strays.containsValue(argv[i - 2])) {
                    throw new UsageException("unexpected argument '" + a + "'");
                }
                strays.put(a, argv[i - 2]); // a second value, as in "--emit slurm DIR": an error unless the command asks for the pair
                continue;
            }
            // A following word is this option's value unless it is itself an option ("-o", "--x"); "-5" is a value.
            if (i + 1 < argv.length && !argv[i + 1].matches("-[A-Za-z-].*")) {
                values.computeIfAbsent(a, k -> new ArrayList<>()).add(argv[++i]);
            } else if (!flags.add(a)) {
                repeatedFlags.add(a);
            }
        }
    }

    /** The command's operand; {@code what} names it in the error when it is missing (or empty: '' would be the working folder). */
    String operand(String what) {
        String o = optionalOperand();
        if (o == null || o.isBlank()) {
            throw new UsageException("missing " + what);
        }
        return o;
    }

    /** The command's operand, or null when none is given. */
    String optionalOperand() {
        operandsRead = Math.max(operandsRead, 1);
        return operands.isEmpty() ? null : operands.get(0);
    }

    /** Whether an operand is given, without taking it. */
    boolean hasOperand() {
        return !operands.isEmpty();
    }

    /** Every operand, for a command that takes several. */
    List<String> operands() {
        operandsRead = operands.size();
        return operands;
    }

    /** The option's value, or {@code fallback} when it is absent; given twice, it is a usage error. */
    String string(String name, String fallback) {
        List<String> all = strings(name);
        if (all.size() > 1) {
            throw new UsageException(name + " is given " + all.size() + " times (" + String.join(", ", all) + "); give it once");
        }
        return all.isEmpty() ? fallback : all.get(0);
    }

    /**
     * The output folder option {@code name} ({@code -o}), or {@code fallback} when it is absent: an empty
     * name (which would be the working folder) or an existing file is refused before any work is done.
     */
    String folder(String name, String fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        if (v.isBlank()) {
            throw new UsageException(name + " needs a folder name, got '" + v + "'");
        }
        requireNoFileAt(name + " " + v, Path.of(v));
        return v;
    }

    /** Refuses {@code path}, given as {@code given} ({@code -o out}, {@code --emit slurm out}), when a file is where its folder goes. */
    static void requireNoFileAt(String given, Path path) {
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new UsageException(OutputFolder.notAFolder(given));
        }
    }

    /** Every value of a repeatable option, in the order given. */
    List<String> strings(String name) {
        readAsValue.add(name);
        return values.getOrDefault(name, List.of());
    }

    /** An option given with two values ({@code --emit slurm DIR}), or null when absent; given with one, a usage error naming {@code second}. */
    String[] pair(String name, String second) {
        String first = string(name, null);
        if (first == null) {
            return null;
        }
        String other = strays.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new UsageException(name + " " + first + " needs a " + second + " after it: " + name + " " + first + " " + second));
        strays.remove(other);
        return new String[] {first, other};
    }

    /** Whether {@code --help} (or {@code -h}) is among the options: the command then prints its help page instead. */
    boolean wantsHelp() {
        readAsFlag.add("--help");
        readAsFlag.add("-h");
        return flags.contains("--help") || flags.contains("-h");
    }

    /** The option's whole number in {@code min..max}, or {@code fallback} when it is absent; checked as a generator's options are. */
    int integer(String name, int fallback, int min, int max) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(Option.integer(name, min, max, fallback, "").check(v));
        } catch (InvalidOption e) {
            throw new UsageException(e.getMessage());
        }
    }

    boolean flag(String name) {
        readAsFlag.add(name);
        if (repeatedFlags.contains(name)) {
            throw new UsageException(name + " is given more than once; give it once");
        }
        return flags.contains(name);
    }

    /**
     * Rejects every option given but not read by the command: unknown ones (naming the closest
     * known one), a value after a flag, a missing value. Call it after reading all options and
     * before doing any work; {@link Main} also calls it after every command, so none can skip it.
     */
    void requireAllRead() {
        if (operands.size() > operandsRead) {
            throw new UsageException("unexpected argument '" + operands.get(operandsRead) + "'");
        }
        if (!strays.isEmpty()) {
            throw new UsageException("unexpected argument '" + strays.keySet().iterator().next() + "'");
        }
        for (String f : flags) {
            if (!readAsFlag.contains(f)) {
                throw new UsageException(readAsValue.contains(f) ? f + " needs a value" : unknown(f));
            }
        }
        for (Map.Entry<String, List<String>> v : values.entrySet()) {
            if (!readAsValue.contains(v.getKey())) {
                throw new UsageException(readAsFlag.contains(v.getKey()) ? v.getKey() + " takes no value, got '" + v.getValue().get(0) + "'"
                        : unknown(v.getKey()));
            }
        }
    }

    private String unknown(String option) {
        // an option read both as a flag and with a value (--requant, --requant tflite) is listed once
        java.util.SortedSet<String> names = new java.util.TreeSet<>(readAsValue);
        names.addAll(readAsFlag);
        names.removeAll(List.of("--help", "-h")); // every command takes them; listing them would hide its own options
        List<String> known = new ArrayList<>(names);
        int eq = option.indexOf('=');
        if (eq > 0 && names.contains(option.substring(0, eq))) { // --max-k=4096, as GNU tools take it
            return "write " + option.substring(0, eq) + " " + option.substring(eq + 1) + ", not " + option + ": a value follows its option after a space";
        }
        String shortOne = LONG_SPELLINGS.get(option);
        String hint = shortOne != null && names.contains(shortOne) ? " (did you mean " + shortOne + "?)" : DidYouMean.hint(option, known);
        return "unknown option '" + option + "'" + (!hint.isEmpty() ? hint
                : known.isEmpty() ? "; this command takes no options" : "; options: " + String.join(" ", known));
    }
}

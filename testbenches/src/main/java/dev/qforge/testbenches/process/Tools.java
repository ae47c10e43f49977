package dev.qforge.testbenches.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Finds external tools (verilator, ccache, iverilog, ...) on the PATH, or at a path a system property names. */
public final class Tools {
    /** How to install every HDL tool at once; {@link #installHint} names the packages of the missing ones. */
    public static final String INSTALL_HINT = "in a qforge checkout, 'bash scripts/setup-tools.sh' installs every HDL tool qforge uses "
            + "('./qforge test' runs it before the tests)";

    /** The Debian/Ubuntu package of each tool (the names scripts/setup-tools.sh installs). */
    private static final Map<String, String> PACKAGES = Map.of("verilator", "verilator", "yosys", "yosys", "iverilog", "iverilog",
            "vvp", "iverilog", "nextpnr-ice40", "nextpnr-ice40", "icepack", "fpga-icestorm", "ccache", "ccache");

    /** Tools that only work together with others: Icarus compiles with iverilog and runs with vvp. */
    private static final Map<String, List<String>> COMPANIONS = Map.of("iverilog", List.of("vvp"));

    private Tools() { }

    /**
     * The executable {@code name}: the value of system property {@code qforge.<name>} when set (a
     * path; useful to test without the tool), else the first match on the PATH.
     */
    public static Optional<Path> find(String name) {
        String override = override(name);
        if (override != null) {
            Path p = Path.of(override);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** The executable {@code name}, or a {@link ToolMissingException} that says where it was looked for and how to install it. */
    public static Path require(String name) {
        return find(name).orElseThrow(() -> new ToolMissingException(notFound(List.of(name)) + "; " + installHint(List.of(name))));
    }

    /** Which of {@code tools} (and the tools they need, such as vvp for iverilog) cannot be found, in order. */
    public static List<String> missing(List<String> tools) {
        Set<String> all = new LinkedHashSet<>();
        for (String t : tools) {
            all.add(t);
            all.addAll(COMPANIONS.getOrDefault(t, List.of()));
        }
        return all.stream().filter(t -> find(t).isEmpty()).toList();
    }

    /**
     * Where the {@code missing} tools were looked for: "yosys and iverilog were not found on the
     * PATH", or, for a tool whose path a system property sets, that path and the property.
     */
    public static String notFound(List<String> missing) {
        List<String> clauses = new ArrayList<>();
        List<String> onPath = new ArrayList<>();
        for (String t : missing) {
            String override = override(t);
            if (override != null) {
                clauses.add(t + " was not found at " + override + " (system property qforge." + t + ")");
            } else {
                onPath.add(t);
            }
        }
        if (!onPath.isEmpty()) {
            clauses.add(String.join(" and ", onPath) + (onPath.size() > 1 ? " were" : " was") + " not found on the PATH");
        }
        return String.join("; ", clauses);
    }

    /** The install command for the packages of the {@code missing} tools, then {@link #INSTALL_HINT}. */
    public static String installHint(List<String> missing) {
        Set<String> packages = new LinkedHashSet<>();
        missing.forEach(t -> packages.add(PACKAGES.getOrDefault(t, t)));
        return "install " + (packages.size() > 1 ? "them" : "it") + " with 'sudo apt-get install " + String.join(" ", packages)
                + "', or " + INSTALL_HINT;
    }

    private static String override(String name) {
        return System.getProperty("qforge." + name);
    }

    /** A required tool is not installed. */
    public static final class ToolMissingException extends RuntimeException {
        public ToolMissingException(String message) {
            super(message, null, false, false);
        }
    }
}

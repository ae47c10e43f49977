package dev.qforge.testbenches.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds external tools (verilator, ccache, iverilog) on the PATH, or at a path a system property names. */
public final class Tools {
    /** What to tell a user whose machine lacks an HDL tool. */
    public static final String INSTALL_HINT = "install it with 'sudo apt-get install verilator iverilog', "
            + "or run './qforge test', which installs the HDL tools before running the tests";

    private Tools() { }

    /**
     * The executable {@code name}: the value of system property {@code qforge.<name>} when set (a
     * path; useful to test without the tool), else the first match on the PATH.
     */
    public static Optional<Path> find(String name) {
        String override = System.getProperty("qforge." + name);
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

    /** The executable {@code name}, or a {@link ToolMissingException} that says how to install it. */
    public static Path require(String name) {
        String override = System.getProperty("qforge." + name);
        String where = override != null ? "at " + override + " (system property qforge." + name + ")" : "on the PATH";
        return find(name).orElseThrow(() -> new ToolMissingException(name + " was not found " + where + "; " + INSTALL_HINT));
    }

    /** A required tool is not installed. */
    public static final class ToolMissingException extends RuntimeException {
        public ToolMissingException(String message) {
            super(message, null, false, false);
        }
    }
}

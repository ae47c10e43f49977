package dev.qforge.cli;

import dev.qforge.generators.report.Report;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code qforge report <folder>}: prints the text report of a generated design folder. */
final class ReportCommand {
    /** Where reports come from. */
    static final String WRITERS = "reports are written by qforge demo (into rtl-out/demo), qforge generate systolic (into its -o "
            + "folder) and the generate-rtl Maven goal (into rtl-out/<design>)";

    private ReportCommand() { }

    static int run(Args args) {
        String folder = args.operand("the design folder, e.g. qforge report rtl-out/demo");
        args.requireAllRead();
        Path dir = Path.of(folder);
        if (!Files.isDirectory(dir)) {
            throw new Args.UsageException("no folder " + folder + "; " + WRITERS);
        }
        Path json = dir.resolve(Report.JSON_FILE);
        if (!Files.isRegularFile(json)) {
            throw new Args.UsageException(folder + " has no " + Report.JSON_FILE + "; " + WRITERS);
        }
        try {
            System.out.print(Report.read(json).toText());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new Args.UsageException(e.getMessage());
        }
        return 0;
    }
}

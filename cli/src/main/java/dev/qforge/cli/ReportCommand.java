package dev.qforge.cli;

import dev.qforge.generators.report.Report;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code qforge report <folder>}: prints the text report of a generated design folder. */
final class ReportCommand {
    private ReportCommand() { }

    static int run(Args args) {
        String folder = args.operand("the design folder, e.g. qforge report rtl-out/fifo");
        Path json = Path.of(folder).resolve("report.json");
        if (!Files.exists(json)) {
            throw new Args.UsageException("no report.json in " + folder + "; generate the design first (qforge generate ..., or the generate-rtl Maven goal)");
        }
        System.out.print(Report.read(json).toText());
        return 0;
    }
}

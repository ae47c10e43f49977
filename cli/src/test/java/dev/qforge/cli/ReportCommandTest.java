package dev.qforge.cli;

import dev.qforge.dsl.Design;
import dev.qforge.fpga.ReportBuilder;
import dev.qforge.generators.ModuleBlockInfo;
import dev.qforge.lib.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReportCommandTest {
    private static void writeCounterReport(Path dir) {
        Counter counter = new Counter(8);
        ReportBuilder.build(new ModuleBlockInfo("counter", counter, Map.of("width", "8")), Design.elaborate(counter), false).writeTo(dir);
    }

    @Test
    void printsTheTextReportOfAFolder(@TempDir Path dir) throws Exception {
        writeCounterReport(dir);
        String[] r = Cli.run("report", dir.toString());
        assertEquals("0", r[0]);
        assertEquals(Files.readString(dir.resolve("report.txt")), r[1]);
    }

    @Test
    void aMissingFolderIsNamedWithWhereReportsComeFrom(@TempDir Path dir) {
        String[] r = Cli.run("report", dir.resolve("nope").toString());
        assertEquals("2", r[0]);
        assertEquals("qforge report: no folder " + dir.resolve("nope") + "; " + ReportCommand.WRITERS + "\n", r[2]);
    }

    @Test
    void aFolderWithoutReportSaysSo(@TempDir Path dir) {
        String[] r = Cli.run("report", dir.toString());
        assertEquals("2", r[0]);
        assertEquals("qforge report: " + dir + " has no report.json; " + ReportCommand.WRITERS + "\n", r[2]);
    }

    @Test
    void aReportOfAnotherSchemaIsRefusedClearly(@TempDir Path dir) throws Exception {
        writeCounterReport(dir);
        Path json = dir.resolve("report.json");
        Files.writeString(json, Files.readString(json).replace("qforge-report/1", "qforge-report/2"));
        String[] r = Cli.run("report", dir.toString());
        assertEquals("2", r[0]);
        assertEquals("qforge report: " + json + " has schema 'qforge-report/2'; this qforge reads qforge-report/1\n", r[2]);
    }
}

package dev.qforge.cli;

import dev.qforge.dsl.Design;
import dev.qforge.fpga.ReportBuilder;
import dev.qforge.generators.ModuleBlockInfo;
import dev.qforge.lib.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReportCommandTest {
    @Test
    void printsTheTextReportOfAFolder(@TempDir Path dir) throws Exception {
        Counter counter = new Counter(8);
        ReportBuilder.build(new ModuleBlockInfo("counter", counter, Map.of("width", "8")), Design.elaborate(counter), false).writeTo(dir);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(new String[] {"report", dir.toString()}));
        } finally {
            System.setOut(saved);
        }
        assertEquals(Files.readString(dir.resolve("report.txt")), buf.toString(StandardCharsets.UTF_8));
    }
}

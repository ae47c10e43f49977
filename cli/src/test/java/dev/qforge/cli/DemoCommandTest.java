package dev.qforge.cli;

import dev.qforge.testbenches.junit.Cosim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main job without synthesis: bit-exact co-simulation, and measured latency and initiation interval equal to the report's. */
@Cosim // skipped without verilator, failed under CI=true
class DemoCommandTest {
    @Test
    void demoCosimulatesAndItsReportLatencyMatchesTheMeasuredCycles(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(new String[] {"demo", "--no-synth", "--gemms", "6", "--seed", "7", "-o", dir.toString()});
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        assertTrue(out.contains("first-in -> first-out 603 cycles measured, 603 predicted; first-in -> last-out 5216 measured, 5216 predicted; "
                + "initiation interval 5201 measured, 5201 predicted"),
                out);
        assertTrue(out.contains("bit-exact: 8 GEMMs"), out);
        String report = Files.readString(dir.resolve("report.txt"));
        assertTrue(report.contains("|                   603 |                 5216 |"), report);
        assertTrue(Files.readString(dir.resolve("filelist.f")).contains("GemmEngine_ws_8x8_s8xs8_acc22_m64k64n64_p3_rqsgl.v"));
        assertTrue(out.strip().endsWith("files in " + dir), out);

        // a rerun over its own output (the user's notes beside it) succeeds and writes the same files
        Files.writeString(dir.resolve("notes.md"), "mine");
        var first = OutputProtectionTest.contents(dir);
        String[] again = Cli.run("demo", "--no-synth", "--gemms", "6", "--seed", "7", "-o", dir.toString());
        assertEquals("0", again[0], again[1] + again[2]);
        assertEquals(first, OutputProtectionTest.contents(dir));
    }
}

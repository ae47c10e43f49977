package dev.qforge.fpga;

import dev.qforge.dsl.Design;
import dev.qforge.generators.report.Measured;
import dev.qforge.generators.report.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report with Yosys and nextpnr figures beside the estimates, and what it says when a tool fails. */
class SynthesizedReportTest {
    /** Small enough for the 39 pins of the UP5K's sg48 package: it places and routes on both iCE40 parts. */
    private static final SystolicInfo TINY = new SystolicInfo(2, 2, 4, 4, 10);

    @Test
    void synthesizedColumnsAreFilledIn(@TempDir Path tmp) {
        RequiresTools.require("yosys", "nextpnr-ice40");
        Report r = ReportBuilder.build(TINY, Design.elaborate(TINY.top()), true);
        for (Report.TargetReport t : r.targets()) {
            assertEquals(Measured.SYNTHESIZED, t.synthesis(), t.target());
            assertTrue(t.synthesisTool().startsWith("Yosys "), t.synthesisTool());
            assertNotNull(t.total().synthesized(), t.target());
            assertTrue(t.total().synthesized().get("FF") > 0, t.target());
            for (Report.ModuleRow m : t.modules()) {
                assertNotNull(m.synthesized(), m.module());
            }
        }
        for (String ice40 : new String[] {"up5k", "hx8k"}) {
            Report.PlaceAndRoute pnr = r.targets().stream().filter(t -> t.target().equals(ice40)).findFirst().orElseThrow()
                    .timing().placeAndRoute();
            assertEquals(Report.PlaceAndRoute.FITS, pnr.status(), ice40 + ": " + pnr.reason());
            assertNotNull(pnr.fmaxMhz(), ice40);
            assertTrue(pnr.utilization().get("ICESTORM_LC").used() > 0, ice40);
        }
        r.writeTo(tmp);
        assertEquals(r, Report.read(tmp.resolve("report.json")));
        String text = r.toText();
        assertTrue(text.contains("synthesis: synthesized, Yosys"), text);
        assertTrue(text.contains("place and route: fits"), text);
    }

    @Test
    void designTooWideForThePackageDoesNotFit() {
        RequiresTools.require("yosys", "nextpnr-ice40");
        SystolicInfo wide = new SystolicInfo(2, 2, 8, 8, 32); // 99 port bits: more than the sg48 package's 39 pins
        Report r = ReportBuilder.build(wide, Design.elaborate(wide.top()), true);
        Report.PlaceAndRoute up5k = r.targets().get(2).timing().placeAndRoute();
        assertEquals("up5k", r.targets().get(2).target());
        assertEquals(Report.PlaceAndRoute.DOES_NOT_FIT, up5k.status());
        assertTrue(up5k.reason().contains("99 I/O port bits"), up5k.reason());
        assertTrue(r.toText().contains("place and route: does not fit (99 I/O port bits"), r.toText());
    }

    @Test
    void failingYosysIsReportedWithCommandAndOutput(@TempDir Path tmp) throws IOException {
        Path fake = tmp.resolve("yosys");
        Files.writeString(fake, "#!/bin/sh\nif [ \"$1\" = -V ]; then echo 'Yosys 0.0 (fake)'; exit 0; fi\n"
                + "echo 'ERROR: cannot synthesize this'\nexit 3\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        String oldTool = System.setProperty("qforge.yosys", fake.toString());
        String oldCache = System.setProperty("qforge.synthCache", tmp.resolve("cache").toString());
        try {
            Report r = ReportBuilder.build(TINY, Design.elaborate(TINY.top()), true);
            String status = r.targets().get(0).synthesis();
            assertTrue(status.startsWith("failed: yosys -q -l yosys.log synth.ys failed with exit code 3"), status);
            assertTrue(status.contains("ERROR: cannot synthesize this"), status);
            assertTrue(r.toText().contains("synthesis: failed: yosys"), r.toText());
        } finally {
            restore("qforge.yosys", oldTool);
            restore("qforge.synthCache", oldCache);
        }
    }

    private static void restore(String key, String old) {
        if (old == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, old);
        }
    }
}

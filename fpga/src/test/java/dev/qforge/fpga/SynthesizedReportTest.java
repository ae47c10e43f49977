package dev.qforge.fpga;

import dev.qforge.dsl.Design;
import dev.qforge.generators.report.Measured;
import dev.qforge.generators.report.Report;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
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
    /** A 1 x 1 int2 GEMM engine: its 25 port bits fit the 39 pins of the UP5K's sg48 package, so both iCE40 parts place it. */
    private static final GemmEngineBlock TINY = new GemmEngineBlock("gemm_ws_1x1_int2",
            SystolicConfig.int8(1, 1, 2, 2, 2, false).withTypes(2, true, 2));

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
            Report.PlaceAndRoute pnr = placeAndRoute(r, ice40);
            assertEquals(Report.PlaceAndRoute.FITS, pnr.status(), ice40 + ": " + pnr.reason());
            assertNotNull(pnr.fmaxMhz(), ice40);
            long placed = pnr.utilization().get("ICESTORM_LC").used();
            assertTrue(placed > 0, ice40);
            // Yosys does not pack logic cells: the synthesized LC figure is nextpnr's
            Report.Figures total = r.targets().stream().filter(t -> t.target().equals(ice40)).findFirst().orElseThrow().total();
            assertEquals(placed, total.synthesized().get("LC"), ice40);
            assertEquals(Report.errorPercent(total.estimate().get("LC"), placed), total.errorPercent().get("LC"), ice40);
        }
        r.writeTo(tmp);
        assertEquals(r, Report.read(tmp.resolve("report.json")));
        String text = r.toText();
        assertTrue(text.contains("synthesis: synthesized, Yosys"), text);
        assertTrue(text.contains("place and route: fits"), text);
    }

    @Test
    void engineTooWideForThePackageIsPlacedOutOfContext() {
        RequiresTools.require("yosys", "nextpnr-ice40");
        // 2 x 2 int8: 92 port bits, more than the UP5K sg48's 39 pins, fewer than the HX8K ct256's 206
        GemmEngineBlock engine = new GemmEngineBlock("gemm_ws_2x2", SystolicConfig.int8(2, 2, 8, 8, 8, false));
        Report r = ReportBuilder.build(engine, Design.elaborate(engine.top()), true);
        Report.PlaceAndRoute up5k = placeAndRoute(r, "up5k");
        assertEquals(Report.PlaceAndRoute.FITS, up5k.status(), up5k.reason());
        assertTrue(up5k.reason().startsWith("out of context (92 I/O port bits, the sg48 package has 39 pins): placed inside IoWrapper_"), up5k.reason());
        assertNotNull(up5k.fmaxMhz());
        assertEquals(4L, up5k.utilization().get("SB_IO").used());
        assertTrue(r.toText().contains("place and route: fits (out of context (92 I/O port bits"), r.toText());
        Report.PlaceAndRoute hx8k = placeAndRoute(r, "hx8k");
        assertEquals(Report.PlaceAndRoute.FITS, hx8k.status(), hx8k.reason());
        assertEquals("", hx8k.reason());
        assertNotNull(hx8k.fmaxMhz());
        assertEquals(92L, hx8k.utilization().get("SB_IO").used());
    }

    private static Report.PlaceAndRoute placeAndRoute(Report r, String target) {
        return r.targets().stream().filter(t -> t.target().equals(target)).findFirst().orElseThrow().timing().placeAndRoute();
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

package dev.qforge.fpga.ice40;

import dev.qforge.fpga.board.Board;
import dev.qforge.testbenches.process.Tools;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flow's failures say what is wrong: a missing tool and how to install it, a design too large by how much. */
class IceFlowErrorsTest {
    @Test
    void aMissingToolIsNamedWithItsPackage() {
        String old = System.setProperty("qforge.icepack", "/nonexistent/icepack");
        try {
            Tools.ToolMissingException e = assertThrows(Tools.ToolMissingException.class,
                    () -> IceFlow.build(Board.ICEBREAKER, Map.of(), null, null));
            assertTrue(e.getMessage().startsWith("the iCE40 bitstream flow needs yosys, nextpnr-ice40, icepack: icepack was not found at "
                    + "/nonexistent/icepack (system property qforge.icepack); install it with 'sudo apt-get install fpga-icestorm'"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty("qforge.icepack");
            } else {
                System.setProperty("qforge.icepack", old);
            }
        }
    }

    @Test
    void aDesignTooLargeForTheDeviceSaysByHowMuch() {
        // nextpnr-ice40's utilization lines as it prints them before giving up on an 8x8 engine
        String log = "Info: Device utilisation:\n"
                + "Info: \t         ICESTORM_LC: 14970/ 5280   283%\n"
                + "Info: \t        ICESTORM_RAM:     0/   30     0%\n"
                + "Info: \t               SB_IO:     3/   96     3%\n"
                + "ERROR: Unable to place cell 'x', no BELs remaining to implement cell type 'ICESTORM_LC'\n";
        assertEquals("the design does not fit the iCEBreaker (iCE40 UP5K-SG48): it needs 14970 ICESTORM_LC cells where the UP5K has 5280 "
                + "(9690 too many, 284%); choose a smaller engine (fewer rows/columns, narrower types, smaller max shapes)",
                IceFlow.doesNotFit(Board.ICEBREAKER, log));
        assertTrue(IceFlow.doesNotFit(Board.HX8K, "ERROR: something else\n").startsWith("nextpnr-ice40 failed on the iCE40-HX8K breakout"));
    }
}

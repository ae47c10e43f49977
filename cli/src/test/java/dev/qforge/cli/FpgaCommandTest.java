package dev.qforge.cli;

import dev.qforge.testbenches.junit.Cosim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code qforge fpga}: the iCEBreaker folder (bitstream, constraints, gates, README), the host
 * program {@code fpga run} against the simulated gates through the UART byte stream, and clear
 * errors for bad boards, options and ports.
 */
@Cosim(tools = {"yosys", "nextpnr-ice40", "icepack", "iverilog"})
class FpgaCommandTest {
    @Test
    void buildsTheIcebreakerFolderAndTheHostProgramRunsGemmsOnItsGates(@TempDir Path dir) throws Exception {
        String[] r = Cli.run("fpga", "--board", "icebreaker", "--no-verify", "-o", dir.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("nextpnr-ice40: Fmax "), r[1]);
        assertTrue(Files.size(dir.resolve("icebreaker.bin")) > 100_000);
        assertEquals("# iCEBreaker (iCE40 UP5K-SG48): pins of the qforge board top icebreaker_top\nset_io -nowarn CLK 35\nset_frequency CLK 12\n"
                + "set_io -nowarn RX 6\nset_io -nowarn TX 9\n", Files.readString(dir.resolve("icebreaker.pcf")));
        String readme = Files.readString(dir.resolve("README.md"));
        assertTrue(readme.contains("| act | host to board | `0x02` | 2 | `act_0` s8, `act_1` s8 |"), readme);
        assertTrue(readme.contains("has not been run on a board"), readme);

        String[] run = Cli.run("fpga", "run", "--simulate", dir.toString(), "--gemms", "1", "--seed", "3");
        assertEquals("0", run[0], run[1] + run[2]);
        assertTrue(run[1].startsWith("fpga run: ok: 1 GEMMs (6 result beats) from the gate-level simulation equal the golden model"), run[1]);

        // the same gates, another engine on the host's side: the ping's layout id tells them apart
        String[] other = Cli.run("fpga", "run", "--simulate", dir.toString(), "--act", "int4", "--gemms", "1");
        assertEquals("1", other[0], other[1] + other[2]);
        assertTrue(other[2].startsWith("qforge fpga run: the board runs another design (layout id "), other[2]);
    }

    @Test
    void badBoardsOptionsAndPortsAreClearErrors() {
        assertEquals("qforge fpga: unknown board 'icebraker' (did you mean icebreaker?); boards: pynq-z2, zcu104, kv260, icebreaker, hx8k",
                Cli.error("fpga", "--board", "icebraker"));
        assertEquals("qforge fpga: unknown board 'pynqz2' (did you mean pynq-z2?); boards: pynq-z2, zcu104, kv260, icebreaker, hx8k",
                Cli.error("fpga", "--board", "pynqz2"));
        assertEquals("qforge fpga: --board is required: icebreaker (iCE40 UP5K) or hx8k (iCE40-HX8K breakout); or pynq-z2 (Zynq-7000), "
                + "zcu104 or kv260 (Zynq UltraScale+): a Vivado kit", Cli.error("fpga"));
        assertEquals("qforge fpga run: fpga run talks to an iCE40 board (icebreaker, hx8k) over its UART; the TUL PYNQ-Z2 (Zynq-7000 XC7Z020) "
                + "runs its Vivado kit through PYNQ: see the kit's README.md", Cli.error("fpga", "run", "--board", "pynq-z2", "--simulate", "."));
        assertTrue(Cli.error("fpga", "--board", "kv260", "--rows", "0").startsWith("qforge fpga: --rows "));
        // the gate-level simulation's options belong to the iCE40 flow
        String unknown = Cli.error("fpga", "--board", "zcu104", "--gemms", "2");
        assertTrue(unknown.startsWith("qforge fpga: unknown option '--gemms'; options: "), unknown);
        // --requant is read as a flag and with a value; the list names it once
        assertEquals(1, unknown.split(" --requant ", -1).length - 1, unknown);
        assertTrue(Cli.error("fpga", "--board", "hx8k", "--rows", "0").startsWith("qforge fpga: --rows "));
        // refused from its estimate in a second, not after minutes of Yosys and nextpnr (the figures are the estimator's)
        String tooLarge = Cli.error("fpga", "--board", "hx8k", "--rows", "16", "--cols", "16", "-o", "never-written");
        assertTrue(tooLarge.matches("qforge fpga: the engine does not fit the iCE40-HX8K breakout \\(iCE40 HX8K-CT256\\): it alone needs an estimated "
                + "[0-9,]+ LUTs and [0-9,]+ flip-flops, each a logic cell's, where the hx8k has 7,680 logic cells; choose fewer "
                + "rows/columns, narrower types or smaller max shapes"), tooLarge);
        assertTrue(Files.notExists(Path.of("never-written")));
        assertEquals("qforge fpga run: give --port PORT (a board) or --simulate DIR (its gate-level simulation), one of them",
                Cli.error("fpga", "run"));
        assertTrue(Cli.error("fpga", "run", "--port", "/dev/nonexistent-tty").startsWith("qforge fpga run: no serial port /dev/nonexistent-tty "));
    }

    @Test
    void aZynqBoardGetsItsVivadoKitAndAnEngineTooLargeForItsPartIsRefused(@TempDir Path dir) throws Exception {
        String[] r = Cli.run("fpga", "--board", "pynq-z2", "-o", dir.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("fpga: ok: the Vivado kit in " + dir + "; build it with `cd " + dir + " && vivado -mode batch -source build.tcl`"),
                r[1]);
        for (String f : new String[] {"build.tcl", "pynq-z2.xdc", "ooc.xdc", "README.md", "gemm_pynq_z2.core"}) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertTrue(Files.readString(dir.resolve("build.tcl")).contains("\nset part xc7z020clg400-1\n"));

        String[] big = Cli.run("fpga", "--board", "pynq-z2", "--rows", "32", "--cols", "32", "-o", dir.resolve("big").toString());
        assertEquals("1", big[0], big[1] + big[2]);
        assertTrue(big[2].startsWith("qforge fpga: the design does not fit the TUL PYNQ-Z2 (Zynq-7000 XC7Z020): it needs an estimated "), big[2]);
        assertTrue(big[2].contains(" DSP slices where the xc7z020clg400-1 has 220 ("), big[2]);
        assertTrue(!Files.exists(dir.resolve("big")), "nothing written");
    }

    @Test
    void aMissingSimulatorStopsTheBuildBeforeTheToolsRun(@TempDir Path dir) {
        System.setProperty("qforge.iverilog", "/nonexistent/iverilog");
        try {
            String[] r = Cli.run("fpga", "--board", "icebreaker", "-o", dir.resolve("out").toString());
            assertEquals("1", r[0], r[1] + r[2]);
            assertEquals("qforge fpga: iverilog was not found at /nonexistent/iverilog (system property qforge.iverilog); install it with "
                    + "'sudo apt-get install iverilog', or " + dev.qforge.testbenches.process.Tools.INSTALL_HINT, r[2].strip());
            assertEquals("", r[1]);
        } finally {
            System.clearProperty("qforge.iverilog");
        }
    }
}

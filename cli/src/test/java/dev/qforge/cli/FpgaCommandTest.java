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
        assertEquals("qforge fpga: unknown board 'icebraker' (did you mean icebreaker?); boards: icebreaker, hx8k",
                Cli.error("fpga", "--board", "icebraker"));
        assertEquals("qforge fpga: board 'pynq-z2' needs the Vivado kit, which qforge does not generate yet; the boards with a bitstream "
                + "flow here: icebreaker, hx8k", Cli.error("fpga", "--board", "pynq-z2"));
        assertEquals("qforge fpga: --board is required: icebreaker (iCE40 UP5K) or hx8k (iCE40-HX8K breakout)", Cli.error("fpga"));
        assertTrue(Cli.error("fpga", "--board", "hx8k", "--rows", "0").startsWith("qforge fpga: --rows "));
        assertEquals("qforge fpga run: give --port PORT (a board) or --simulate DIR (its gate-level simulation), one of them",
                Cli.error("fpga", "run"));
        assertTrue(Cli.error("fpga", "run", "--port", "/dev/nonexistent-tty").startsWith("qforge fpga run: no serial port /dev/nonexistent-tty "));
    }
}

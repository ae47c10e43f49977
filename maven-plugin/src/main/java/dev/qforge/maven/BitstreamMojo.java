package dev.qforge.maven;

import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.fpga.board.Board;
import dev.qforge.fpga.board.ZynqBoard;
import dev.qforge.fpga.ice40.IceBringUp;
import dev.qforge.fpga.synth.Tool;
import dev.qforge.fpga.uart.GemmOverUart;
import dev.qforge.fpga.uart.UartHost;
import dev.qforge.fpga.vivado.VivadoBringUp;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.testbenches.process.Tools;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.util.Map;

/**
 * {@code qforge fpga} as a goal: a GEMM engine behind a UART bridge built into an iCE40 bitstream
 * for {@code <board>} (icebreaker or hx8k), its synthesized gates simulated through the UART with
 * {@code <gemms>} GEMMs (0 skips that); or, for a Zynq board (pynq-z2, zcu104, kv260), the engine
 * in the AXI shell as a Vivado kit; into {@code <outputDirectory>/fpga-<board>}.
 */
@Mojo(name = "bitstream", threadSafe = true)
public class BitstreamMojo extends AbstractMojo {
    @Parameter(property = "qforge.board", required = true)
    private String board;

    /** The engine's options, as {@code generate systolic} takes them without {@code --}; none: the board's default engine. */
    @Parameter
    private Map<String, String> options;

    @Parameter(property = "qforge.gemms", defaultValue = "3")
    private int gemms;

    @Parameter(property = "qforge.outputDirectory", defaultValue = "${project.basedir}/rtl-out")
    private File outputDirectory;

    @Parameter(property = "qforge.force", defaultValue = "false")
    private boolean force;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (ZynqBoard.find(board) != null) {
            vivadoKit(ZynqBoard.find(board));
            return;
        }
        Board b;
        GemmEngineBlock engine;
        try {
            if (!Board.ids().contains(board.toLowerCase(java.util.Locale.ROOT))) {
                throw ZynqBoard.unknown(board);
            }
            b = Board.of(board);
            engine = IceBringUp.engine(b, options == null ? Map.of() : options);
        } catch (InvalidOption e) {
            throw new MojoFailureException("qforge bitstream: option " + e.option() + " " + e.problem());
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("qforge bitstream: " + e.getMessage());
        }
        OutputFolder folder = OutputFolder.at(outputDirectory.toPath().resolve("fpga-" + b.id()), force);
        try {
            IceBringUp.build(b, engine, folder, Math.max(0, gemms), line -> getLog().info("qforge bitstream: " + line));
        } catch (Tool.ToolException | Tools.ToolMissingException | GemmOverUart.ResultMismatch | UartHost.ProtocolException
                 | OutputFolder.Refused e) {
            throw new MojoFailureException("qforge bitstream: " + e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("qforge bitstream: " + e.getMessage(), e);
        }
    }

    /** A Zynq board: the engine in the AXI shell, checked to fit the part, written as a Vivado kit (Vivado is not run). */
    private void vivadoKit(ZynqBoard b) throws MojoFailureException {
        try {
            GemmEngineBlock engine = VivadoBringUp.engine(b, options == null ? Map.of() : options);
            OutputFolder folder = OutputFolder.at(outputDirectory.toPath().resolve("fpga-" + b.id()), force);
            VivadoBringUp.build(b, engine, folder, line -> getLog().info("qforge bitstream: " + line));
        } catch (InvalidOption e) {
            throw new MojoFailureException("qforge bitstream: option " + e.option() + " " + e.problem());
        } catch (VivadoBringUp.DoesNotFit | OutputFolder.Refused | IllegalArgumentException e) {
            throw new MojoFailureException("qforge bitstream: " + e.getMessage());
        }
    }
}

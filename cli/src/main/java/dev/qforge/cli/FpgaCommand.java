package dev.qforge.cli;

import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.fpga.board.Board;
import dev.qforge.fpga.board.ZynqBoard;
import dev.qforge.fpga.ice40.IceBringUp;
import dev.qforge.fpga.ice40.IceFlow;
import dev.qforge.fpga.ice40.IceKit;
import dev.qforge.fpga.synth.Tool;
import dev.qforge.fpga.uart.GemmOverUart;
import dev.qforge.fpga.uart.UartHost;
import dev.qforge.fpga.vivado.VivadoBringUp;
import dev.qforge.fpga.vivado.VivadoKit;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicOptions;
import dev.qforge.testbenches.process.Tools;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code qforge fpga --board B [engine options] -o DIR}: a GEMM engine behind a UART bridge on an
 * iCE40 board, built to a bitstream and proven by simulating its synthesized gates through the
 * UART, or in the AXI shell on a Zynq board as a Vivado kit; {@code qforge fpga run}: the host
 * program, on the iCE40 board's serial port or on that simulation.
 */
final class FpgaCommand {
    static final String BOARDS_DOC = "icebreaker (iCE40 UP5K) or hx8k (iCE40-HX8K breakout)";
    static final String ZYNQ_BOARDS_DOC = "pynq-z2 (Zynq-7000), zcu104 or kv260 (Zynq UltraScale+): a Vivado kit";
    static final String HELP = "  --board B     " + BOARDS_DOC + ": a bitstream built here; or " + ZYNQ_BOARDS_DOC + "\n"
            + "  --rows N, --cols N, --act F, ...  the engine's options as `qforge help generate systolic` lists them; without any,\n"
            + "                the board's default engine: on iCE40 a 2x2 int8 weight-stationary engine, GEMMs up to 8x8x8;\n"
            + "                on Zynq the demo's 8x8 int8 engine with TFLite requantization, GEMMs up to 64x64x64\n"
            + "  --gemms G     iCE40: GEMMs the gate-level simulation runs through the UART [3]\n"
            + "  --no-verify   iCE40: skip the gate-level simulation\n"
            + "  -o DIR        output folder [rtl-out/fpga-<board>]\n" + GenerateCommand.FORCE_HELP;
    static final String RUN_HELP = "  --port PORT   the board's serial port, e.g. /dev/ttyUSB1 (the iCEBreaker's FT2232H channel B); set to 1 Mbaud with stty\n"
            + "  --simulate DIR  instead of a board: the gate-level netlist (gates.v) of a `qforge fpga` output folder, in Icarus\n"
            + "  --board B     " + BOARDS_DOC + " [icebreaker]\n"
            + "  --rows N, ...  the engine's options, as given to `qforge fpga` (the board checks its layout id)\n"
            + "  --gemms G     random GEMMs to run and check against the golden model [8]\n"
            + "  --seed S      their seed [1]\n";
    private FpgaCommand() { }

    static int build(Args args) throws IOException {
        String id = args.string("--board", null);
        if (id != null && ZynqBoard.find(id) != null) {
            return vivadoKit(args, ZynqBoard.find(id));
        }
        Board board = board(id);
        GemmEngineBlock engine = engine(args, board);
        int gemms = args.integer("--gemms", 3, 1, 1000);
        boolean verify = !args.flag("--no-verify");
        Path out = Path.of(args.folder("-o", "rtl-out/fpga-" + board.id()));
        OutputFolder folder = OutputFolder.at(out, args.flag("--force"));
        args.requireAllRead();
        try {
            IceFlow.Result r = IceBringUp.build(board, engine, folder, verify ? gemms : 0, line -> System.out.println("fpga: " + line));
            Path bin = out.resolve(board.id() + ".bin");
            System.out.println("fpga: ok: " + bin + " (" + r.bitstream().length + " bytes); flash it with `iceprog " + bin
                    + "`, then `qforge fpga run --board " + board.id() + IceBringUp.optionsLine(engine) + " --port /dev/ttyUSB1`");
            return 0;
        } catch (Tool.ToolException | Tools.ToolMissingException | GemmOverUart.ResultMismatch | UartHost.ProtocolException e) {
            System.err.println("qforge fpga: " + e.getMessage());
            return 1;
        }
    }

    /** A Zynq board: the engine in the AXI shell, checked to fit the part, and its Vivado kit written (Vivado is not run here). */
    private static int vivadoKit(Args args, ZynqBoard board) {
        GemmEngineBlock engine;
        try {
            engine = VivadoBringUp.engine(board, GenerateCommand.options(args, SystolicOptions.GENERATOR));
        } catch (InvalidOption e) {
            throw Args.UsageException.of(e);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        Path out = Path.of(args.folder("-o", "rtl-out/fpga-" + board.id()));
        OutputFolder folder = OutputFolder.at(out, args.flag("--force"));
        args.requireAllRead();
        try {
            VivadoBringUp.build(board, engine, folder, line -> System.out.println("fpga: " + line));
        } catch (VivadoBringUp.DoesNotFit e) {
            System.err.println("qforge fpga: " + e.getMessage());
            return 1;
        }
        System.out.println("fpga: ok: the Vivado kit in " + out + "; build it with `cd " + out + " && vivado -mode batch -source "
                + VivadoKit.BUILD_TCL + "` (see its README.md; not run here: Vivado is not part of qforge's tools)");
        return 0;
    }

    static int run(Args args) throws IOException {
        String port = args.string("--port", null);
        String simulate = args.string("--simulate", null);
        Board board = board(args.string("--board", "icebreaker"));
        GemmEngineBlock engine = engine(args, board);
        int gemms = args.integer("--gemms", 8, 1, 100_000);
        int seed = args.integer("--seed", 1, 0, Integer.MAX_VALUE);
        args.requireAllRead();
        if ((port == null) == (simulate == null)) {
            throw new Args.UsageException("give --port PORT (a board) or --simulate DIR (its gate-level simulation), one of them");
        }
        IceKit kit = IceKit.of(board, engine);
        long t0 = System.nanoTime();
        try {
            int beats;
            if (simulate != null) {
                Path gates = Path.of(simulate, "gates.v");
                if (!Files.isRegularFile(gates)) {
                    throw new Args.UsageException("no " + gates + ": --simulate takes a folder `qforge fpga` wrote");
                }
                beats = kit.verifyGates(Files.readString(gates), kit.gemms(gemms, seed), seed);
            } else {
                beats = onPort(kit, Path.of(port), gemms, seed);
            }
            System.out.println(String.format(Locale.ROOT, "fpga run: ok: %d GEMMs (%d result beats) from the %s equal the golden model (%.1f s)",
                    gemms, beats, simulate != null ? "gate-level simulation" : "board on " + port, (System.nanoTime() - t0) / 1e9));
            return 0;
        } catch (UartHost.ProtocolException | GemmOverUart.ResultMismatch | Tool.ToolException | Tools.ToolMissingException e) {
            System.err.println("qforge fpga run: " + e.getMessage());
            return 1;
        }
    }

    /** The host on a real serial port: raw mode at the bridge's baud rate, reads returning nothing after 2 s of silence. */
    private static int onPort(IceKit kit, Path port, int gemms, int seed) throws IOException {
        if (!Files.exists(port)) {
            throw new Args.UsageException("no serial port " + port + " (is the board plugged in? the iCEBreaker's UART is usually "
                    + "the second of its two /dev/ttyUSB* ports)");
        }
        Path stty = Tools.require("stty");
        Tool.Result r = Tool.find("stty").orElseThrow().run(List.of("-F", port.toString(), Integer.toString(IceKit.BAUD), "raw", "-echo",
                "min", "0", "time", "20"), Path.of("."), Duration.ofSeconds(10));
        if (r.exitCode() != 0) {
            throw new IllegalStateException(stty + " cannot set " + port + " to " + IceKit.BAUD + " baud: " + r.output().strip());
        }
        try (InputStream in = new FileInputStream(port.toFile()); OutputStream out = new FileOutputStream(port.toFile())) {
            UartHost host = new UartHost(kit.layout(), in, out);
            host.reset();
            host.ping();
            return GemmOverUart.run(host, kit.engine().config(), kit.gemms(gemms, seed), new java.util.Random(seed));
        }
    }

    /** The iCE40 board {@code id}: a usage error for a missing or unknown one. */
    private static Board board(String id) {
        if (id == null) {
            throw new Args.UsageException("--board is required: " + BOARDS_DOC + "; or " + ZYNQ_BOARDS_DOC);
        }
        if (ZynqBoard.find(id) != null) {
            throw new Args.UsageException("fpga run talks to an iCE40 board (" + String.join(", ", Board.ids()) + ") over its UART; the "
                    + ZynqBoard.find(id).title() + " runs its Vivado kit through PYNQ: see the kit's README.md");
        }
        if (!Board.ids().contains(id.toLowerCase(Locale.ROOT))) {
            throw new Args.UsageException(ZynqBoard.unknown(id).getMessage());
        }
        return Board.of(id);
    }

    /** The engine: the board's default, with the systolic options given on the command line in place of its values. */
    private static GemmEngineBlock engine(Args args, Board board) {
        try {
            return IceBringUp.engine(board, GenerateCommand.options(args, SystolicOptions.GENERATOR));
        } catch (InvalidOption e) {
            throw Args.UsageException.of(e);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }
}

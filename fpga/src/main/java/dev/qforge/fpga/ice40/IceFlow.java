package dev.qforge.fpga.ice40;

import dev.qforge.fpga.board.Board;
import dev.qforge.fpga.synth.Nextpnr;
import dev.qforge.fpga.synth.SynthCache;
import dev.qforge.fpga.synth.Tool;
import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.process.Tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The open iCE40 flow from Verilog to a bitstream: Yosys {@code synth_ice40} (flattened, without
 * hard multipliers, so nextpnr times every path: it does not time through SB_MAC16), nextpnr-ice40
 * placed on the board's package with its pin constraints, icepack. Each tool step is cached by
 * content hash ({@link SynthCache}); a rerun on unchanged RTL starts no tool. Fails with a clear
 * message when a tool is missing, the design does not fit the device (by how much), or timing
 * misses the board clock (by how much).
 */
public final class IceFlow {
    public static final List<String> TOOLS = List.of("yosys", "nextpnr-ice40", "icepack");
    private static final String NETLIST = "netlist.json";
    private static final String GATES = "gates.v";
    private static final String PCF = "board.pcf";
    private static final String ASC = "board.asc";
    private static final String BIN = "board.bin";
    private static final String LOG = "nextpnr.log";

    /**
     * What the flow made: the bitstream, the post-synthesis gate-level netlist (for simulation with
     * Yosys's iCE40 cell models), nextpnr's Fmax and slack at the board clock, and the cells used.
     */
    public record Result(Board board, byte[] bitstream, String gateNetlist, double fmaxMhz, double slackNs,
                         Map<String, Nextpnr.Use> utilization, List<String> commands, String nextpnrLog) {
        /** One line: "Fmax 46.2 MHz at 12 MHz board clock (slack +61.7 ns); 700/5280 logic cells". */
        public String summary() {
            Nextpnr.Use lc = utilization.get("ICESTORM_LC");
            return String.format(Locale.ROOT, "nextpnr-ice40: Fmax %.1f MHz, board clock %.0f MHz, slack %+.1f ns", fmaxMhz, board.clockMhz(), slackNs)
                    + (lc == null ? "" : "; " + lc.used() + "/" + lc.available() + " logic cells");
        }
    }

    /** The flow needs these and cannot run: names the tools, where they were looked for and how to install them. */
    public static void requireTools() {
        List<String> missing = Tools.missing(TOOLS);
        if (!missing.isEmpty()) {
            throw new Tools.ToolMissingException("the iCE40 bitstream flow needs " + String.join(", ", TOOLS) + ": "
                    + Tools.notFound(missing) + "; " + Tools.installHint(missing));
        }
    }

    private IceFlow() { }

    /** Builds {@code verilog} (file name -> text; top module {@link Board#topName}) into a bitstream for {@code board}. */
    public static Result build(Board board, Map<String, String> verilog, SynthCache cache, Duration timeout) {
        requireTools();
        Tool yosys = Tool.find("yosys").orElseThrow();
        Tool nextpnr = Tool.find("nextpnr-ice40").orElseThrow();
        Tool icepack = Tool.find("icepack").orElseThrow();

        String script = "read_verilog -defer " + String.join(" ", verilog.keySet()) + "\n"
                + "synth_ice40 -top " + board.topName() + " -json " + NETLIST + "\n"
                + "write_verilog -noattr " + GATES + "\n";
        List<String> keyParts = new ArrayList<>(List.of(yosys.version("-V"), script));
        verilog.forEach((name, text) -> {
            keyParts.add(name);
            keyParts.add(text);
        });
        Path synth = cache.get(SynthCache.key(keyParts.toArray(new String[0])), work -> {
            verilog.forEach((name, text) -> write(work.resolve(name), text));
            write(work.resolve("synth.ys"), script);
            yosys.run(List.of("-q", "-l", "yosys.log", "synth.ys"), work, timeout).requireSuccess();
        });
        String netlist = read(synth.resolve(NETLIST));

        List<String> args = List.of("--" + board.target().id(), "--package", board.packageName(), "--json", NETLIST, "--pcf", PCF,
                "--freq", String.format(Locale.ROOT, "%.1f", board.clockMhz()), "--timing-allow-fail", "--asc", ASC, "-l", LOG);
        String pnrCommand = "nextpnr-ice40 " + String.join(" ", args);
        String packCommand = "icepack " + ASC + " " + BIN;
        Path placed = cache.get(SynthCache.key(nextpnr.version("--version"), pnrCommand, packCommand, netlist, board.pcf()), work -> {
            write(work.resolve(NETLIST), netlist);
            write(work.resolve(PCF), board.pcf());
            Tool.Result r = nextpnr.run(args, work, timeout);
            if (r.exitCode() != 0) {
                throw new Tool.ToolException(doesNotFit(board, r.output()));
            }
            icepack.run(List.of(ASC, BIN), work, timeout).requireSuccess();
            try {
                Files.delete(work.resolve(NETLIST)); // the synthesis entry holds it
                Files.delete(work.resolve(ASC)); // the bitstream holds the same
            } catch (IOException e) {
                throw new UncheckedIOException("cannot tidy " + work + ": " + e.getMessage(), e);
            }
        });
        String log = read(placed.resolve(LOG));
        Nextpnr.Result pnr = Nextpnr.parse(log, pnrCommand);
        if (pnr.fmaxMhz() == null) {
            throw new Tool.ToolException(pnrCommand + " timed no clock path (" + pnr.reason() + "); see " + placed.resolve(LOG));
        }
        double slack = 1000 / board.clockMhz() - 1000 / pnr.fmaxMhz();
        if (slack < 0) {
            throw new Tool.ToolException(String.format(Locale.ROOT, "the design misses the %s clock: nextpnr-ice40 reaches %.1f MHz, "
                    + "the board runs at %.0f MHz (slack %.1f ns); pipeline the block or lower its size", board.title(), pnr.fmaxMhz(),
                    board.clockMhz(), slack));
        }
        byte[] bin;
        try {
            bin = Files.readAllBytes(placed.resolve(BIN));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bitstream " + placed.resolve(BIN) + ": " + e.getMessage(), e);
        }
        return new Result(board, bin, read(synth.resolve(GATES)), pnr.fmaxMhz(), slack, pnr.utilization(),
                List.of("yosys -q synth.ys  # " + script.strip().replace("\n", "; "), pnrCommand, packCommand), log);
    }

    /**
     * nextpnr's failure as a message: for a design too large for the device, which cells it needs
     * and how many more than the device has; else the tail of its output.
     */
    static String doesNotFit(Board board, String output) {
        Nextpnr.Result r = Nextpnr.parse(output, "nextpnr-ice40");
        List<String> over = new ArrayList<>();
        r.utilization().forEach((cell, use) -> {
            if (use.used() > use.available()) {
                over.add(String.format(Locale.ROOT, "%d %s cells where the %s has %d (%d too many, %.0f%%)", use.used(), cell,
                        board.target().id().toUpperCase(Locale.ROOT), use.available(), use.used() - use.available(), 100.0 * use.used() / use.available()));
            }
        });
        if (!over.isEmpty()) {
            return "the design does not fit the " + board.title() + ": it needs " + String.join(", ", over)
                    + "; choose a smaller engine (fewer rows/columns, narrower types, smaller max shapes)";
        }
        return "nextpnr-ice40 failed on the " + board.title() + "; last lines of its output:\n" + Processes.tail(output.strip(), 30);
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

package dev.qforge.fpga.ice40;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.fpga.board.Board;
import dev.qforge.fpga.board.BoardEngine;
import dev.qforge.fpga.synth.Nextpnr;
import dev.qforge.fpga.synth.SynthCache;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Resources;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.testbenches.process.Tools;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What {@code qforge fpga} and the {@code bitstream} Maven goal do: the engine from options, the
 * kit built to a bitstream, its gates proven through the UART, the output folder written (all
 * files at once, nothing when a step fails).
 */
public final class IceBringUp {
    private IceBringUp() { }

    /**
     * The board's default engine ({@link IceKit#defaultEngine}) with {@code given} (systolic option
     * name -> value, as {@code generate systolic} takes them) in place of its values; an
     * {@link dev.qforge.generators.registry.InvalidOption} names a bad one.
     */
    public static GemmEngineBlock engine(Board board, Map<String, String> given) {
        GemmEngineBlock engine = BoardEngine.of("gemm_" + board.id(), IceKit.defaultEngine(), given);
        requireRoom(board, engine);
        return engine;
    }

    /**
     * Refuses, before minutes of synthesis and place and route, an engine too large for the device by
     * any reading of its estimate: a logic cell holds one LUT4 and one flip-flop, so the engine alone
     * (the UART bridge adds to it) needs at least as many cells as LUTs and as flip-flops, and an
     * {@link IllegalArgumentException} says so when either, less the estimate's error, passes the device's cells.
     */
    static void requireRoom(Board board, GemmEngineBlock engine) {
        Resources est = Estimator.estimate(Design.elaborate(engine.top()), Set.of(board.target())).get(board.target()).total();
        long cells = Nextpnr.logicCellsOf(board.target());
        long need = Math.max(est.get(Resource.LUT), est.get(Resource.FF));
        if (need * (1 - Estimator.CALIBRATED_ERROR_PERCENT / 100) > cells) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the engine does not fit the %s: it alone needs an estimated "
                    + "%,d LUTs and %,d flip-flops, each a logic cell's, where the %s has %,d logic cells; choose fewer rows/columns, "
                    + "narrower types or smaller max shapes", board.title(), est.get(Resource.LUT), est.get(Resource.FF),
                    board.target().id(), cells));
        }
    }

    /** The engine options that differ from the board's default, as a command-line tail (" --rows 4"), so a printed command rebuilds the same. */
    public static String optionsLine(GemmEngineBlock engine) {
        return BoardEngine.optionsLine(engine, IceKit.defaultEngine());
    }

    /**
     * Builds {@code engine} for {@code board} into {@code folder}: the Verilog, the pin constraints,
     * the bitstream, the gate-level netlist, nextpnr's log and a README; with {@code gemms} > 0, the
     * gates run that many GEMMs through the simulated UART first. Progress lines go to {@code log}.
     * Tool failures are {@link dev.qforge.fpga.synth.Tool.ToolException}s, a missing tool a
     * {@link dev.qforge.testbenches.process.Tools.ToolMissingException}, a wrong result a
     * {@link dev.qforge.fpga.uart.GemmOverUart.ResultMismatch}.
     */
    public static IceFlow.Result build(Board board, GemmEngineBlock engine, OutputFolder folder, int gemms, Consumer<String> log)
            throws IOException {
        IceFlow.requireTools();
        if (gemms > 0) {
            Tools.require("iverilog"); // before minutes of synthesis and place and route, not after
            Tools.require("vvp");
        }
        IceKit kit = IceKit.of(board, engine);
        kit.verilog().forEach(folder::put);
        folder.put(board.id() + ".pcf", board.pcf());
        folder.check(); // files in the way stop the build now, not after the tools ran
        log.accept(engine.config().shortName() + " behind a " + IceKit.BAUD / 1_000_000 + " Mbaud UART bridge on the " + board.title());
        IceFlow.Result r = IceFlow.build(board, kit.verilog(), SynthCache.standard(), Duration.ofMinutes(30));
        log.accept(r.summary());
        String proof = "not run";
        if (gemms > 0) {
            long t0 = System.nanoTime();
            int beats = kit.verifyGates(r.gateNetlist(), kit.gemms(gemms, 1), 1);
            proof = String.format(Locale.ROOT, "%d GEMMs (%d result beats) through the simulated UART equal the golden model (%.1f s)",
                    gemms, beats, (System.nanoTime() - t0) / 1e9);
            log.accept("gate-level simulation: " + proof);
        }
        folder.put(board.id() + ".bin", r.bitstream());
        folder.put("gates.v", r.gateNetlist());
        folder.put("nextpnr.log", r.nextpnrLog());
        folder.put("README.md", BringUpReadme.of(kit, r, proof, optionsLine(engine)));
        folder.commit();
        return r;
    }
}

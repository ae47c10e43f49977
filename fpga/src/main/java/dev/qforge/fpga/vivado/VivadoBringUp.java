package dev.qforge.fpga.vivado;

import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.fpga.board.BoardEngine;
import dev.qforge.fpga.board.ZynqBoard;
import dev.qforge.fpga.fusesoc.FuseSocCore;
import dev.qforge.fpga.shell.AxiShell;
import dev.qforge.fpga.shell.AxisStream;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Resources;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.numerics.TfliteRounding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What {@code qforge fpga --board pynq-z2|zcu104|kv260} and the {@code bitstream} Maven goal do for
 * a Zynq board: the engine from options inside the AXI shell, checked to fit the board's part by
 * the estimate, and the Vivado kit written (all files at once, nothing when a step fails). Vivado
 * itself is not run: the engineer runs the kit's build.tcl.
 */
public final class VivadoBringUp {
    private VivadoBringUp() { }

    /** The engine a Zynq board gets without generator options: the demo's 8 x 8 int8 engine with TFLite requantization, GEMMs up to 64 x 64 x 64. */
    public static SystolicConfig defaultEngine() {
        return SystolicConfig.int8(8, 8, 64, 64, 64, false).withRequant(TfliteRounding.DEFAULT);
    }

    /** The board's default engine with {@code given} systolic options in place of its values. */
    public static GemmEngineBlock engine(ZynqBoard board, Map<String, String> given) {
        return BoardEngine.of("gemm_" + board.id().replace('-', '_'), defaultEngine(), given);
    }

    /** The engine options that differ from the default, as a command-line tail. */
    public static String optionsLine(GemmEngineBlock engine) {
        return BoardEngine.optionsLine(engine, defaultEngine());
    }

    /** The widest TDATA, in bytes, an AXI DMA's stream ports take (PG021: 1024 bits). */
    public static final int MAX_DMA_BYTES = 128;

    /** The design does not fit the board's part; the message says which resources and by how much. */
    public static final class DoesNotFit extends RuntimeException {
        public DoesNotFit(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The shell's estimated resources on the board's part family; a {@link DoesNotFit} naming a
     * stream wider than an AXI DMA takes, or every resource the part has too few of and by how much.
     */
    public static Resources requireFits(ZynqBoard board, AxiShell shell) {
        Resources total = Estimator.estimate(shell.design()).get(board.target()).total();
        List<String> over = new ArrayList<>();
        for (Resource r : board.target().resources()) {
            long need = total.get(r);
            long have = board.capacity(r);
            if (need > have) {
                over.add(String.format(Locale.ROOT, "%,d %s where the %s has %,d (%,d too many, %.0f%%)", need, name(r), board.part(), have,
                        need - have, 100.0 * need / have));
            }
        }
        if (!over.isEmpty()) {
            throw new DoesNotFit("the design does not fit the " + board.title() + ": it needs an estimated " + String.join(", ", over)
                    + "; choose a smaller engine (fewer rows/columns, narrower types, smaller max shapes)");
        }
        for (AxisStream s : shell.streams()) {
            if (s.bytes() > MAX_DMA_BYTES) {
                throw new DoesNotFit("stream " + s.bus() + " is " + s.bytes() + " bytes wide, more than the " + MAX_DMA_BYTES
                        + " bytes (1024-bit TDATA) an AXI DMA moves; choose fewer lanes (rows/columns) or narrower types");
            }
        }
        return total;
    }

    static String name(Resource r) {
        return switch (r) {
            case LUT -> "LUTs";
            case FF -> "flip-flops";
            case DSP -> "DSP slices";
            case BRAM -> "RAMB18 block RAMs";
            case LC -> "logic cells";
        };
    }

    /**
     * Writes the kit of {@code engine} on {@code board} into {@code folder}: the shell's Verilog,
     * build.tcl, the XDC files, the FuseSoC core of the shell and a README. Progress lines go to
     * {@code log}; returns the kit.
     */
    public static VivadoKit build(ZynqBoard board, GemmEngineBlock engine, OutputFolder folder, Consumer<String> log) {
        AxiShell shell = AxiShell.around(engine);
        Resources estimate = requireFits(board, shell);
        VivadoKit kit = new VivadoKit(board, shell);
        kit.files().forEach(folder::put);
        folder.put(FuseSocCore.fileName(shell.designName()), FuseSocCore.of(shell.designName(), shell.topName(),
                List.copyOf(shell.verilog().keySet()), engine.parameters()));
        folder.put("README.md", VivadoReadme.of(kit, estimate, "qforge fpga --board " + board.id() + optionsLine(engine)));
        folder.commit();
        log.accept(engine.config().shortName() + " in the AXI shell on the " + board.title() + " (" + board.part() + "): estimated "
                + String.format(Locale.ROOT, "%,d LUTs, %,d flip-flops, %d DSPs, %d RAMB18", estimate.get(Resource.LUT), estimate.get(Resource.FF),
                estimate.get(Resource.DSP), estimate.get(Resource.BRAM)));
        return kit;
    }
}

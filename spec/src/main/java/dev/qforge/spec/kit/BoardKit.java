package dev.qforge.spec.kit;

import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.fpga.board.Board;
import dev.qforge.fpga.board.ZynqBoard;
import dev.qforge.fpga.fusesoc.FuseSocCore;
import dev.qforge.fpga.shell.AxiShell;
import dev.qforge.fpga.vivado.VivadoBringUp;
import dev.qforge.fpga.vivado.VivadoKit;
import dev.qforge.fpga.vivado.VivadoReadme;
import dev.qforge.generators.report.Resources;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.compose.ComposedBlock;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bring-up kit of a spec's composed top on a board ({@code qforge build FILE.qf --board B}, or
 * the board the spec names): on a Zynq board the Vivado kit around the composed top's AXI shell; the
 * iCE40 kit is a single GEMM engine behind the UART bridge, which a composed top is not, so an
 * iCE40 board is refused with what to run instead.
 */
public final class BoardKit {
    /** The spec boards that have a kit, each -> the kit's board id (the spec's names cannot hold '-'). */
    private static final Map<String, String> SPEC_BOARDS = Map.of("pynq_z2", "pynq-z2", "icebreaker", "icebreaker", "hx8k_breakout", "hx8k");

    /** The kit cannot be built for this spec and board; the message says why and what to do. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private BoardKit() { }

    /**
     * The kit board of {@code spec} built with {@code --board given} (null when not given): the
     * given one, else the one the spec names when it has a kit, else null (no kit). Refused when
     * both name a board and they differ, or the board is unknown.
     */
    public static String boardOf(CheckedSpec spec, String given) {
        String named = spec.board() == null ? null : SPEC_BOARDS.get(spec.board());
        if (given == null) {
            return named;
        }
        String id = given.toLowerCase(Locale.ROOT);
        if (ZynqBoard.find(id) == null && !Board.ids().contains(id)) {
            throw new Refused("--board: " + ZynqBoard.unknown(given).getMessage());
        }
        if (spec.board() != null && !id.equals(named)) {
            throw new Refused("--board " + id + " differs from the spec's `board " + spec.board() + ";`: give the spec's board or none");
        }
        return id;
    }

    /**
     * Stages the kit of {@code spec}'s composed top on {@code boardId} in {@code folder} (not
     * committed); {@code file} is the spec file as the user named it. Returns a one-line summary.
     */
    public static String addTo(CheckedSpec spec, String file, String boardId, OutputFolder folder) {
        ZynqBoard zynq = ZynqBoard.find(boardId);
        if (zynq == null) {
            throw new Refused("--board " + boardId + ": the iCE40 bring-up kit is one GEMM engine behind the UART bridge, and the composed top of "
                    + spec.name() + " (" + spec.blocks().size() + " block" + (spec.blocks().size() == 1 ? "" : "s") + ", "
                    + spec.links().size() + " connection" + (spec.links().size() == 1 ? "" : "s") + ") is not one; build the engine's kit with "
                    + "`qforge fpga --board " + boardId + " --rows R --cols C ...`, or a Vivado kit of the spec with --board "
                    + String.join("|", ZynqBoard.ids()));
        }
        if (zynq.target() != spec.device().family()) {
            throw new Refused("--board " + boardId + " has the part " + zynq.part() + " (" + zynq.target() + "), not of the spec's target "
                    + spec.device().name() + " (" + spec.device().family() + "): target a part of the board's family");
        }
        ComposedBlock top = new ComposedBlock(spec);
        AxiShell shell;
        try {
            shell = AxiShell.around(top);
        } catch (IllegalArgumentException e) {
            throw new Refused("the composed top of " + spec.name() + " does not fit the AXI shell: " + e.getMessage());
        }
        Resources estimate;
        try {
            estimate = VivadoBringUp.requireFits(zynq, shell);
        } catch (VivadoBringUp.DoesNotFit e) {
            throw new Refused(e.getMessage());
        }
        VivadoKit kit = new VivadoKit(zynq, shell);
        kit.files().forEach(folder::put);
        folder.put(FuseSocCore.fileName(shell.designName()), FuseSocCore.of(shell.designName(), shell.topName(),
                List.copyOf(shell.verilog().keySet()), top.parameters()));
        folder.put("README.md", VivadoReadme.of(kit, estimate, "qforge build " + file + " --board " + zynq.id()));
        return "the Vivado kit of " + shell.topName() + " on the " + zynq.title() + " (" + shell.streams().size() + " AXI4-Stream interfaces)";
    }
}

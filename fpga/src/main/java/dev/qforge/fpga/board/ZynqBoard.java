package dev.qforge.fpga.board;

import dev.qforge.generators.registry.DidYouMean;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Zynq board the Vivado kit targets: its part, its Vivado board part (used when installed: Vivado
 * ships ZCU104's and KV260's, PYNQ-Z2's comes from TUL's board files), the
 * processing system (Zynq-7000 PS7 or Zynq UltraScale+ MPSoC), the estimator's target family and
 * the part's capacity (Xilinx DS190 for the Zynq-7000, DS891 for the UltraScale+ MPSoC, the K26
 * data sheet DS987; block RAM as RAMB18 halves, as the estimator counts it).
 */
public enum ZynqBoard {
    PYNQ_Z2("pynq-z2", "TUL PYNQ-Z2 (Zynq-7000 XC7Z020)", "xc7z020clg400-1", "tul.com.tw:pynq-z2:part0:1.0", Ps.ZYNQ7, Target.XC7,
            Map.of(Resource.LUT, 53_200L, Resource.FF, 106_400L, Resource.DSP, 220L, Resource.BRAM, 280L)),
    ZCU104("zcu104", "Xilinx ZCU104 (Zynq UltraScale+ XCZU7EV)", "xczu7ev-ffvc1156-2-e", "xilinx.com:zcu104:part0:1.1", Ps.ZYNQMP, Target.XCUP,
            Map.of(Resource.LUT, 230_400L, Resource.FF, 460_800L, Resource.DSP, 1_728L, Resource.BRAM, 624L)),
    KV260("kv260", "AMD Kria KV260 (K26 SOM, XCK26)", "xck26-sfvc784-2LV-c", "xilinx.com:kv260_som:part0:1.3", Ps.ZYNQMP, Target.XCUP,
            Map.of(Resource.LUT, 117_120L, Resource.FF, 234_240L, Resource.DSP, 1_248L, Resource.BRAM, 288L));

    /** The processing system of the block design. */
    public enum Ps {
        /** processing_system7: M_AXI_GP0 for registers, S_AXI_HP0 for DMA, FCLK_CLK0, IRQ_F2P. */
        ZYNQ7,
        /** zynq_ultra_ps_e: M_AXI_HPM0_FPD for registers, S_AXI_HP0_FPD for DMA, pl_clk0, pl_ps_irq0. */
        ZYNQMP
    }

    private final String id;
    private final String title;
    private final String part;
    private final String boardPart;
    private final Ps ps;
    private final Target target;
    private final Map<Resource, Long> capacity;

    ZynqBoard(String id, String title, String part, String boardPart, Ps ps, Target target, Map<Resource, Long> capacity) {
        this.id = id;
        this.title = title;
        this.part = part;
        this.boardPart = boardPart;
        this.ps = ps;
        this.target = target;
        this.capacity = capacity;
    }

    public String id() { return id; }
    public String title() { return title; }
    /** The part, as Vivado's {@code -part} takes it. */
    public String part() { return part; }
    /** The Vivado board part, which build.tcl sets when Vivado has it installed. */
    public String boardPart() { return boardPart; }
    public Ps ps() { return ps; }
    /** The estimator's target for the part's family. */
    public Target target() { return target; }
    /** How many of {@code r} the part holds. */
    public long capacity(Resource r) { return capacity.get(r); }

    /** Every board id, in declaration order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(ZynqBoard::id).toList();
    }

    /** The board {@code id}, or null when it is none of these. */
    public static ZynqBoard find(String id) {
        for (ZynqBoard b : values()) {
            if (b.id.equals(id.toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        return null;
    }

    /** Every board qforge builds for, Vivado kits and iCE40 bitstreams. */
    public static List<String> allBoardIds() {
        List<String> all = new java.util.ArrayList<>(ids());
        all.addAll(Board.ids());
        return List.copyOf(all);
    }

    /** An {@link IllegalArgumentException} for an unknown board id, naming every board with a suggestion for a near miss. */
    public static IllegalArgumentException unknown(String id) {
        return new IllegalArgumentException("unknown board '" + id + "'" + DidYouMean.hint(id, allBoardIds()) + "; boards: "
                + String.join(", ", allBoardIds()));
    }
}

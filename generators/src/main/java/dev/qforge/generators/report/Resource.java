package dev.qforge.generators.report;

/** A kind of FPGA resource a report counts. Which kinds a target has is {@link Target#resources()}. */
public enum Resource {
    /** Look-up tables (LUT1..LUT6 on Xilinx, SB_LUT4 on iCE40), including LUTs used as distributed RAM. */
    LUT,
    /** Flip-flops. */
    FF,
    /** Hard multipliers: DSP48E2 / DSP48E1 on Xilinx, SB_MAC16 on iCE40 UltraPlus. */
    DSP,
    /** Block RAM: 18 Kb halves (RAMB18 units, a RAMB36 counts 2) on Xilinx, 4 Kb EBRs (SB_RAM40_4K) on iCE40. */
    BRAM,
    /** iCE40 logic cells: one LUT4, its carry and one flip-flop each. */
    LC
}

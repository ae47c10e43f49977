package dev.qforge.generators.report;

import java.util.List;

/**
 * An FPGA family the report estimates for, with the delays of its critical-path model (ns, typical
 * of the fastest common speed grade, routing included in the per-level figures).
 */
public enum Target {
    XCUP("xcup", "Xilinx UltraScale+ (Yosys synth_xilinx -family xcup)", false,
            new Delays(0.40, 0.05, 0.40, 0.60, 0.020, 2.80, 0.80, 0.0, 775, 0.0)),
    XC7("xc7", "Xilinx 7-series (Yosys synth_xilinx -family xc7)", false,
            new Delays(0.70, 0.10, 0.65, 0.80, 0.030, 4.00, 1.30, 0.0, 464, 0.0)),
    UP5K("up5k", "Lattice iCE40 UP5K (Yosys synth_ice40 -dsp, nextpnr-ice40 --up5k)", true,
            new Delays(1.41, 0.28, 2.30, 1.63, 0.512, 7.00, 4.03, 0.66, 150, 6.8)),
    HX8K("hx8k", "Lattice iCE40 HX8K (Yosys synth_ice40, nextpnr-ice40 --hx8k)", true,
            new Delays(0.51, 0.10, 0.91, 0.59, 0.184, 0.0, 1.45, 0.34, 275, 2.0));

    /**
     * The critical-path model's delays in ns, routing included. The iCE40 figures are a fit (least
     * sixth-power norm of the errors) to nextpnr-ice40 0.4 timing of lib.SystolicArray arrays, five
     * GEMM engines (HX8K: ws 2x2 int8, os 2x2 int8, ws 4x2 int4 packed; UP5K: ws 2x2 int2, os 1x2
     * int2) and ten user blocks placed out of context on HX8K (the examples/ project's two included),
     * found by coordinate descent (multiplicative steps from 8% down to 0.5%) over the HX8K figures
     * but setup and two UP5K ratios; refitted when logic cones became timed for depth (late inputs
     * near a LUT tree's root, chains of cones as one tree over their leaves) and a sliced net's loads
     * per bit. UP5K is a fitted 2.78x slower than HX8K in carry chains, flip-flops and LUT
     * multipliers, 1.97x in routing. Then, once a wire renaming a register no longer paid the
     * register's routing twice and a LUT product read sign-extended kept its own carry chain (one
     * read whole merging into the adder's), {@code softMultiplyLevel} was refitted by hand to the
     * arrays (2.01 to 1.45 ns on HX8K, UP5K at the same 2.78x: 5.59 to 4.03) and, once the inputs
     * of an absorbed logic operand were weighed each at its own arrival, UP5K's {@code lutLevel} to
     * its engines' control paths (1.78 to 2.30 ns, 2.5x HX8K; nextpnr times an UP5K LUT at 1.2 ns
     * and a local route at 1.8, HX8K 0.4 and 0.6). fpga's FmaxCalibrationTest checks them on
     * held-out engines and the generators' block families. A net's routing grows with
     * its loads ({@code fanoutPerDoubling}): with it, a LUT level costs less (0.91 ns on HX8K, 1.10
     * before) and clock-to-output too, while wide selects and enables cost more.
     * nextpnr does not time paths through SB_MAC16, so {@code dspMultiply} of UP5K is the
     * datasheet's order of magnitude; the Xilinx figures are typical of the fastest common speed
     * grade. Clock-to-output and a carry chain's start include the routing that follows them.
     *
     * @param clockToOut         register clock-to-output
     * @param setup              register setup
     * @param lutLevel           one LUT and its routing
     * @param carryStart         entering a carry chain
     * @param carryPerBit        each bit of a carry chain
     * @param dspMultiply        a combinational multiply in a DSP block
     * @param softMultiplyLevel  a LUT multiplier, per doubling of its narrower operand (before its final carry chain)
     * @param fanoutPerDoubling  the routing a net adds per doubling of the inputs it drives (0 on Xilinx: no timing reference to fit it to)
     * @param maxClockMhz        the fastest clock the global clock network takes: Fmax never exceeds it
     * @param globalEnable       a clock enable promoted to a global buffer, beyond a local route (0 on Xilinx: not
     *                           modelled). Measured, not fitted: nextpnr-ice40 routes from the enable's LUT to the
     *                           buffer at the die's edge (HX8K 0.3 to 1.7 ns, mean 1.3 over Crc16, Fir5, Timer, the
     *                           example Fir and the attention engine; UP5K 4.8 to 6.3, mean 5.6 over the requantizers),
     *                           then the buffer (0.6 ns, UP5K 1.6) and the global net (0.6, UP5K 0.7), less the local
     *                           route a LUT level includes (about 0.5 ns, UP5K 1.1)
     */
    public record Delays(double clockToOut, double setup, double lutLevel, double carryStart, double carryPerBit, double dspMultiply,
                  double softMultiplyLevel, double fanoutPerDoubling, double maxClockMhz, double globalEnable) {
        public double carry(int bits) { return carryStart + bits * carryPerBit; }

        /**
         * Loads past which a net's routing stops growing: nextpnr-ice40 buffers wide nets (a 16:1
         * multiplexer's 256-load select routes in 1.7 ns on HX8K, as 32 loads would; a CRC's
         * enable goes through a global buffer). 32 fitted best of 16, 24, 32, 64 and no cap.
         */
        public static final int ROUTING_SATURATES_AT = 32;

        /** The routing of a net driving {@code loads} inputs, beyond what a LUT level includes. */
        public double fanout(int loads) {
            return loads < 2 ? 0 : fanoutPerDoubling * Math.log(Math.min(loads, ROUTING_SATURATES_AT)) / Math.log(2);
        }
    }

    private final String id;
    private final String description;
    private final boolean ice40;
    private final Delays delays;

    Target(String id, String description, boolean ice40, Delays delays) {
        this.id = id;
        this.description = description;
        this.ice40 = ice40;
        this.delays = delays;
    }

    /** The short name used in reports and file names: xcup, xc7, up5k, hx8k. */
    public String id() { return id; }
    public String description() { return description; }
    public boolean isIce40() { return ice40; }

    /** The resource kinds reported for this target, in report order. */
    public List<Resource> resources() {
        return ice40 ? List.of(Resource.LC, Resource.LUT, Resource.FF, Resource.DSP, Resource.BRAM)
                : List.of(Resource.LUT, Resource.FF, Resource.DSP, Resource.BRAM);
    }

    /** Inputs of one LUT: 6 on Xilinx, 4 on iCE40. */
    public int lutInputs() { return ice40 ? 4 : 6; }

    /**
     * How many of {@code r} the device holds, or -1 when the target is a whole family (the Xilinx
     * targets: any design fits some member). The iCE40 figures are the devices' (nextpnr-ice40
     * prints the same): UP5K 5,280 logic cells, 8 SB_MAC16, 30 EBR; HX8K 7,680 logic cells, 32 EBR.
     */
    long capacity(Resource r) {
        return switch (this) {
            case UP5K -> r == Resource.LC ? 5280 : r == Resource.DSP ? 8 : r == Resource.BRAM ? 30 : -1;
            case HX8K -> r == Resource.LC ? 7680 : r == Resource.DSP ? 0 : r == Resource.BRAM ? 32 : -1;
            case XCUP, XC7 -> -1;
        };
    }

    /** The device's name for a resource in a sentence: "SB_MAC16", "logic cells", ... */
    String resourceName(Resource r) {
        return switch (r) {
            case LC -> "logic cells";
            case DSP -> ice40 ? "SB_MAC16" : "DSP slices";
            case BRAM -> ice40 ? "EBR" : "RAMB18";
            case LUT -> "LUTs";
            case FF -> "flip-flops";
        };
    }

    /** Whether multipliers can go to hard DSP blocks (HX8K has none). */
    public boolean hasDsp() { return this != HX8K; }

    /** Largest signed operand widths of one DSP multiplier (wider operand first). */
    public int dspWideOperand() {
        return switch (this) {
            case XCUP -> 27;
            case XC7 -> 25;
            case UP5K, HX8K -> 16;
        };
    }

    public int dspNarrowOperand() { return ice40 ? 16 : 18; }

    /** Smallest product width Yosys' mul2dsp maps to a DSP (DSP_Y_MINWIDTH): narrower products stay in LUTs. */
    public int dspMinProductWidth() { return ice40 ? 11 : 9; }

    public Delays delays() { return delays; }

    /**
     * The period in ns of a DSP-internal pipeline stage, input registers (AREG/BREG) through the
     * multiplier into the product register (MREG), or 0 where the model has none (iCE40: nextpnr
     * does not time through SB_MAC16). It is the datasheet's DSP Fmax with all registers used, at
     * the speed grade whose global clock limit is {@link Delays#maxClockMhz}: DSP48E2 775 MHz at -2
     * (DS923, Zynq UltraScale+ MPSoC), DSP48E1 464 MHz at -1 (DS181, Artix-7).
     */
    public double dspPipelineStage() {
        return switch (this) {
            case XCUP -> 1000.0 / 775;
            case XC7 -> 1000.0 / 464;
            case UP5K, HX8K -> 0;
        };
    }
}

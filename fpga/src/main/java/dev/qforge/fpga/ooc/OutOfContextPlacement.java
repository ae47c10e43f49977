package dev.qforge.fpga.ooc;

import dev.qforge.dsl.Design;
import dev.qforge.fpga.ReportBuilder;
import dev.qforge.fpga.synth.Nextpnr;
import dev.qforge.fpga.synth.Synthesis;
import dev.qforge.fpga.synth.Tool;
import dev.qforge.fpga.synth.Yosys;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Resources;

import java.util.Locale;
import java.util.Map;

/**
 * Place and route of a block whose ports outnumber its package's pins: the block inside an
 * {@link IoWrapper}, synthesized and placed as a whole, so a report has a nextpnr Fmax whenever the
 * logic fits the device. Before placing, the wrapper's synthesis is checked to hold every module of
 * the block with the cells the block synthesized alone has ({@link #requireLogicKept}): a wrapper
 * that let Yosys optimise part of the block away would report a speed the block does not have.
 */
public final class OutOfContextPlacement {
    private OutOfContextPlacement() { }

    /** Whether {@code ioBits} port bits need this out-of-context placement on {@code synthesis}'s target. */
    public static boolean needed(Synthesis synthesis, int ioBits) {
        return ioBits > Nextpnr.pinsOf(synthesis.target());
    }

    /**
     * Places {@code design} (synthesized alone as {@code alone}, with {@code ioBits} port bits) in its
     * wrapper; the result's reason says it was placed out of context and why.
     */
    public static Nextpnr.Result place(Yosys yosys, Nextpnr nextpnr, Design design, Synthesis alone, int ioBits) {
        // every LUT and every flip-flop needs a logic cell of its own at best: a block past that is not wrapped and synthesized again
        long cells = Math.max(alone.total().get(Resource.LUT), alone.total().get(Resource.FF));
        long device = Nextpnr.logicCellsOf(alone.target());
        if (cells > device) {
            return new Nextpnr.Result(false, String.format(Locale.ROOT, "the block synthesizes to %,d LUTs and %,d flip-flops, at least %,d logic "
                    + "cells where the %s has %,d", alone.total().get(Resource.LUT), alone.total().get(Resource.FF), cells, alone.target().id(), device),
                    null, Map.of(), "");
        }
        Design wrapped = Design.elaborate(new IoWrapper(design.top()));
        Synthesis s = yosys.synthesize(wrapped, alone.target());
        requireLogicKept(alone.modules(), s.modules(), wrapped.top().name());
        Nextpnr.Result r = nextpnr.placeAndRoute(s, ReportBuilder.ioBits(wrapped));
        String how = "out of context (" + ioBits + " I/O port bits, the " + Nextpnr.packageOf(alone.target()) + " package has "
                + Nextpnr.pinsOf(alone.target()) + " pins): placed inside " + wrapped.top().name()
                + " (inputs shifted in from one pin, outputs registered and XORed to one pin; utilization includes those registers)";
        return new Nextpnr.Result(r.fits(), r.reason().isEmpty() ? how : how + "; " + r.reason(), r.fmaxMhz(), r.utilization(), r.command());
    }

    /**
     * Every module of the block has, inside the wrapper, the flip-flops, DSPs and RAMs it has alone,
     * and its LUTs within {@link #LUT_SLACK_PERCENT}% (at least 2): ABC maps a module's logic
     * differently in another hierarchy (a 2x2 int8 GEMM engine on HX8K: its top 167 LUTs alone, 169
     * inside; a processing element 205 alone, 194 inside), while logic optimised away takes its
     * registers with it. Otherwise a {@link Tool.ToolException} names the first module that differs.
     */
    static void requireLogicKept(Map<String, Resources> alone, Map<String, Resources> wrapped, String wrapper) {
        for (Map.Entry<String, Resources> m : alone.entrySet()) {
            Resources inside = wrapped.getOrDefault(m.getKey(), Resources.none());
            for (Resource r : Resource.values()) {
                long a = m.getValue().get(r);
                long w = inside.get(r);
                long slack = r == Resource.LUT ? Math.max(2, a * LUT_SLACK_PERCENT / 100) : 0;
                if (Math.abs(a - w) > slack) {
                    throw new Tool.ToolException("out-of-context placement refused: module " + m.getKey() + " synthesized to " + m.getValue()
                            + " alone but to " + inside + " inside " + wrapper + ", so its timing would not be the block's");
                }
            }
        }
    }

    /** How far a module's LUT count inside the wrapper may differ from alone, in %. */
    static final int LUT_SLACK_PERCENT = 10;
}

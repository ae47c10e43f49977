package dev.qforge.fpga.synth;

import dev.qforge.generators.report.Resources;
import dev.qforge.generators.report.Target;

import java.nio.file.Path;
import java.util.Map;

/**
 * What Yosys made of a design for one target.
 *
 * @param tool    the Yosys version line
 * @param command the synthesis command, e.g. "synth_xilinx -family xcup -noiopad -top SystolicArray"
 * @param modules per module, its own cells (not its submodules') as resources
 * @param total   the whole design, every instance counted
 * @param netlist for iCE40 targets, the flattened netlist for nextpnr; otherwise null
 */
public record Synthesis(Target target, String tool, String command, Map<String, Resources> modules, Resources total, Path netlist) { }

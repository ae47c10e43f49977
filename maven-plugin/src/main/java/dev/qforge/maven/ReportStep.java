package dev.qforge.maven;

import dev.qforge.dsl.Design;
import dev.qforge.generators.BlockInfo;

import java.nio.file.Path;

/** Writes a design's report next to its Verilog. */
final class ReportStep {
    private ReportStep() { }

    static void write(BlockInfo info, Design design, boolean synthesize, Path dir) {
        // Filled in when the report builder lands (dev.qforge.fpga.ReportBuilder).
    }
}

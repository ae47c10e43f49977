package dev.qforge.maven;

import dev.qforge.dsl.Design;
import dev.qforge.fpga.ReportBuilder;
import dev.qforge.generators.BlockInfo;

import java.nio.file.Path;

/** Writes a design's report (report.json, report.txt) next to its Verilog. */
final class ReportStep {
    private ReportStep() { }

    static void write(BlockInfo info, Design design, boolean synthesize, Path dir) {
        ReportBuilder.build(info, design, synthesize).writeTo(dir);
    }
}

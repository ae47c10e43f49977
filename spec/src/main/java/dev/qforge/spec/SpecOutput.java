package dev.qforge.spec;

import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.fpga.ReportBuilder;
import dev.qforge.fpga.fusesoc.FuseSocCore;
import dev.qforge.generators.report.Report;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.compose.ComposedBlock;

import java.util.Map;

/**
 * What a build of a spec writes, for {@code qforge build} and the {@code generate-rtl} goal alike:
 * every module's Verilog (each block's and the composed top), {@code filelist.f}, the FuseSoC core, the report of the
 * composed top with the spec's {@link Summary} (estimate against the target, workload table)
 * appended to report.txt, and the summary alone as {@value #WORKLOAD_FILE}.
 */
public final class SpecOutput {
    public static final String WORKLOAD_FILE = "workload.txt";

    private SpecOutput() { }

    public static void addTo(CheckedSpec spec, OutputFolder folder, boolean synthesize) {
        spec.design().addTo(folder);
        ComposedBlock block = new ComposedBlock(spec);
        // the composed top's parameters describe its blocks and links in prose: no use as Verilog defines
        folder.put(FuseSocCore.fileName(block.designName()), FuseSocCore.of(block.designName(), spec.design(), Map.of()));
        String summary = Summary.text(spec);
        Report report = ReportBuilder.build(block, spec.design(), synthesize);
        report.addTo(folder);
        folder.put(Report.TEXT_FILE, report.toText() + "\n" + summary);
        folder.put(WORKLOAD_FILE, summary);
    }
}

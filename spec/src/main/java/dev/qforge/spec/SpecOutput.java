package dev.qforge.spec;

import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.fpga.ReportBuilder;
import dev.qforge.generators.report.Report;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.compose.ComposedBlock;

/**
 * What a build of a spec writes, for {@code qforge build} and the {@code generate-rtl} goal alike:
 * every module's Verilog (each block's and the composed top), {@code filelist.f}, the report of the
 * composed top with the spec's {@link Summary} (estimate against the target, workload table)
 * appended to report.txt, and the summary alone as {@value #WORKLOAD_FILE}.
 */
public final class SpecOutput {
    public static final String WORKLOAD_FILE = "workload.txt";

    private SpecOutput() { }

    public static void addTo(CheckedSpec spec, OutputFolder folder, boolean synthesize) {
        spec.design().addTo(folder);
        String summary = Summary.text(spec);
        Report report = ReportBuilder.build(new ComposedBlock(spec), spec.design(), synthesize);
        report.addTo(folder);
        folder.put(Report.TEXT_FILE, report.toText() + "\n" + summary);
        folder.put(WORKLOAD_FILE, summary);
    }
}

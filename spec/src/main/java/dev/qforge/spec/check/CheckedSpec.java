package dev.qforge.spec.check;

import dev.qforge.dsl.Design;
import dev.qforge.generators.report.Estimator;
import dev.qforge.spec.compose.Link;
import dev.qforge.spec.workload.WorkloadResult;

import java.util.List;
import java.util.Map;

/**
 * A spec without mistakes: its blocks, connections and composed top, elaborated and estimated on
 * its target, and its workloads evaluated.
 *
 * @param board     the board the spec names ({@code board pynq_z2;}), or null when it names a part
 * @param clockMhz  the clock the spec asks for, or 0 when it does not
 * @param ranges    each sweep range by name, its values in spec order (the design uses the first)
 */
public record CheckedSpec(String name, Device device, String board, double clockMhz, List<Block> blocks, List<Link> links, Map<String, List<Long>> ranges,
                          List<WorkloadResult> workloads, Design design, Estimator.TargetEstimate estimate) {
    /** The clock the workload is timed at: the requested one, else the estimated Fmax. */
    public double runMhz() {
        return clockMhz > 0 ? clockMhz : estimate.fmaxMhz();
    }
}

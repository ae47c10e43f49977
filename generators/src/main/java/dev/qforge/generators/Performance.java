package dev.qforge.generators;

/**
 * The cycle model's prediction for one workload, with no back-pressure and no input bubbles.
 *
 * @param workload               the workload these figures are for, e.g. "GEMM M=64 K=64 N=64"
 * @param firstInToFirstOut      cycles from the first input beat accepted to the first output beat
 * @param firstInToLastOut       cycles from the first input beat accepted to the last output beat
 * @param initiationInterval     steady-state cycles between successive transactions (workloads)
 * @param macsPerCycle           useful multiply-accumulates per cycle in steady state: one workload's MACs
 *                               per initiation interval (workloads back to back)
 * @param pipelineDepth          register stages from an input beat to the output it first affects
 */
public record Performance(String workload, long firstInToFirstOut, long firstInToLastOut, double initiationInterval,
                          double macsPerCycle, int pipelineDepth) { }

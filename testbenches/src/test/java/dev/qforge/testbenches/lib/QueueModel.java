package dev.qforge.testbenches.lib;

/**
 * A cycle-accurate Java model of a first-in first-out block with streams {@code in} and {@code out}
 * whose outputs depend only on its registers (no combinational path from input to output ports):
 * what it shows on a cycle, and how its registers change at the clock edge.
 */
interface QueueModel {
    boolean inReady();

    boolean outValid();

    /** The beat offered on {@code out} (meaningful while {@link #outValid}). */
    long outData();

    /** The clock edge with this cycle's inputs; {@code rst} is the synchronous reset. */
    void edge(boolean rst, boolean inValid, long inData, boolean outReady);
}

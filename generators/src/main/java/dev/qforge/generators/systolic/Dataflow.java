package dev.qforge.generators.systolic;

/** Which operand stays in the PEs while the other two stream through. */
public enum Dataflow {
    /** Weights stay; activations stream right, partial sums down ({@link GemmEngine}). */
    WS,
    /** Outputs stay; activations stream right, weights down, each PE accumulates one Y element ({@link OsGemmEngine}). */
    OS;

    /** The CLI spelling: ws or os. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

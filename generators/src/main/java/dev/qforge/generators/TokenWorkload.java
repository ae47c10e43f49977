package dev.qforge.generators;

/**
 * A sequence workload of a block that processes tokens (an attention engine's decode step, a prompt's
 * prefill), as its cycle model predicts it with workloads back to back, no bubbles and no back-pressure.
 * The report turns it into cycles per token and tokens/s at each target's estimated Fmax.
 *
 * @param workload what runs, e.g. "prefill of a 256-token prompt from an empty cache"
 * @param tokens   tokens the workload processes
 * @param cycles   cycles from its first accepted input beat to the next workload's
 */
public record TokenWorkload(String workload, long tokens, long cycles) {
    public TokenWorkload {
        if (tokens < 1 || cycles < 1) {
            throw new IllegalArgumentException("a token workload has >= 1 tokens and >= 1 cycles, got " + tokens + " tokens, " + cycles + " cycles");
        }
    }
}

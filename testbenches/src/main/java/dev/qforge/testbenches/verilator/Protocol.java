package dev.qforge.testbenches.verilator;

/**
 * The wire format between {@link Simulator} and the generated harness (stdin/stdout of the
 * harness process). Integers are little-endian; a frame is the concatenation of the port fields
 * described by {@link Port}. Every command gets exactly one reply, so a batch of many cycles costs
 * one round trip.
 *
 * <pre>
 * 'E' eval       in-frame                      -> u64 cycle, out-frame
 * 'S' step       in-frame, u32 n               -> u64 cycle, out-frame (after n clock edges)
 * 'V' vectors    u32 n, n x in-frame           -> u64 first cycle, n x out-frame (each sampled before its edge)
 * 'T' transact   in-frame, u64 seed, u32 max cycles, u8 record,
 *                per input stream:  u32 bubble (of ONE), u32 beats, beats x payload
 *                per output stream: u32 stall (of ONE), u32 beats wanted
 *                -> u8 complete, u64 first cycle, u32 cycles,
 *                   per input stream:  u32 accepted, accepted x u32 cycle offset
 *                   per output stream: u32 beats, beats x (u32 cycle offset, payload)
 *                   if record: cycles x in-frame, then cycles x out-frame
 * </pre>
 *
 * End of input (Java closed the pipe) makes the harness close its VCD and exit. On Linux the
 * harness also dies with the JVM in the middle of a command: it asks for SIGKILL when its parent
 * dies, and exits at once if its parent is no longer the JVM named in {@link #PARENT_PID_ENV}.
 *
 * Arguments: an optional VCD file, and Verilator's plusargs, of which qforge uses
 * {@code +verilator+rand+reset+<0|1|2>} and {@code +verilator+seed+<n>} (the power-up state).
 *
 * A cycle is: apply the inputs with the clock low, evaluate, sample the outputs, raise the clock,
 * evaluate. In a VCD, cycle c spans times 2c (clock low) and 2c + 1 (clock high). During 'T' the
 * harness drives each stream's valid (with random bubbles between beats) and ready (with random
 * stalls); every other input keeps its value from the frame sent with the command.
 */
final class Protocol {
    static final byte EVAL = 'E';
    static final byte STEP = 'S';
    static final byte VECTORS = 'V';
    static final byte TRANSACT = 'T';

    /** Probabilities travel as fractions of 2^FRACTION_BITS. */
    static final int FRACTION_BITS = 16;
    static final int ONE = 1 << FRACTION_BITS;

    /** The environment variable that gives the harness the pid of the JVM that started it. */
    static final String PARENT_PID_ENV = "QFORGE_PARENT_PID";

    private Protocol() { }
}

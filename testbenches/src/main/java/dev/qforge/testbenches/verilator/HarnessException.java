package dev.qforge.testbenches.verilator;

/** The harness process crashed, stopped answering or broke the protocol; the message carries its stderr tail. */
public final class HarnessException extends RuntimeException {
    public HarnessException(String message) {
        super(message, null, false, false);
    }
}

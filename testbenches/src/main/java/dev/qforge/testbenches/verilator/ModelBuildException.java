package dev.qforge.testbenches.verilator;

/** Verilator or the C++ compiler rejected a model; the message carries the relevant compiler output. */
public final class ModelBuildException extends RuntimeException {
    public ModelBuildException(String message) {
        super(message, null, false, false);
    }
}

package dev.qforge.testbenches.junit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a co-simulation test class: its test methods may take a {@link CosimSession} parameter.
 * Without Verilator (or another tool it lists) the tests are skipped with the install command,
 * except under {@code CI=true}, where they fail.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(CosimExtension.class)
@Tag("cosim")
public @interface Cosim {
    /** The tools the tests need (executables on the PATH, or at the path system property {@code qforge.<tool>} gives); iverilog implies vvp. */
    String[] tools() default {"verilator"};
}

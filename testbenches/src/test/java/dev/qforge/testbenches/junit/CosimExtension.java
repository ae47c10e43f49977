package dev.qforge.testbenches.junit;

import dev.qforge.testbenches.process.Tools;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.nio.file.Path;

/** The extension behind {@link Cosim}: the Verilator check and the injected {@link CosimSession}. */
public final class CosimExtension implements ExecutionCondition, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(CosimExtension.class);

    /** What to do about the tests when Verilator is (not) installed. */
    enum Decision { RUN, SKIP, FAIL }

    static Decision decide(boolean verilatorFound, String ciEnv) {
        if (verilatorFound) {
            return Decision.RUN;
        }
        return "true".equalsIgnoreCase(ciEnv) ? Decision.FAIL : Decision.SKIP;
    }

    static String missingMessage() {
        return "verilator was not found on the PATH, so co-simulation tests cannot run; " + Tools.INSTALL_HINT;
    }

    private static Decision decision() {
        return decide(Tools.find("verilator").isPresent(), System.getenv("CI"));
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return decision() == Decision.SKIP ? ConditionEvaluationResult.disabled(missingMessage())
                : ConditionEvaluationResult.enabled("verilator is installed, or CI=true");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (decision() == Decision.FAIL) {
            throw new IllegalStateException(missingMessage() + " (CI=true: failing instead of skipping)");
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == CosimSession.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String testClass = context.getRequiredTestClass().getSimpleName();
        String method = context.getRequiredTestMethod().getName();
        Path waves = Path.of(System.getProperty("qforge.cosim.waves", "target/cosim-waves")).resolve(testClass);
        return context.getStore(NS).getOrComputeIfAbsent(CosimSession.class, k -> new CosimSession(waves, method), CosimSession.class);
    }
}

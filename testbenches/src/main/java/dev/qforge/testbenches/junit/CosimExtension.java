package dev.qforge.testbenches.junit;

import dev.qforge.testbenches.process.Tools;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.nio.file.Path;
import java.util.List;

/** The extension behind {@link Cosim}: the tool check and the injected {@link CosimSession}. */
public final class CosimExtension implements ExecutionCondition, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(CosimExtension.class);

    /** What to do about the tests when a tool they need is (not) installed. */
    enum Decision { RUN, SKIP, FAIL }

    static Decision decide(List<String> missingTools, String ciEnv) {
        if (missingTools.isEmpty()) {
            return Decision.RUN;
        }
        return "true".equalsIgnoreCase(ciEnv) ? Decision.FAIL : Decision.SKIP;
    }

    static String missingMessage(List<String> missingTools) {
        return Tools.notFound(missingTools) + ", so these co-simulation tests cannot run; " + Tools.installHint(missingTools);
    }

    private static List<String> missingTools(ExtensionContext context) {
        String[] tools = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), Cosim.class).map(Cosim::tools)
                .orElse(new String[] {"verilator"});
        return Tools.missing(List.of(tools));
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<String> missing = missingTools(context);
        return decide(missing, System.getenv("CI")) == Decision.SKIP ? ConditionEvaluationResult.disabled(missingMessage(missing))
                : ConditionEvaluationResult.enabled("the tools are installed, or CI=true");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        List<String> missing = missingTools(context);
        if (decide(missing, System.getenv("CI")) == Decision.FAIL) {
            throw new IllegalStateException(missingMessage(missing) + " (CI=true: failing instead of skipping)");
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

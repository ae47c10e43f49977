package dev.qforge.dsl;

/**
 * Where the user's Java code created an IR node: the first stack frame outside qforge's DSL
 * framework. Errors print it as {@code File.java:line}, the way javac does.
 */
public record SourceLocation(String file, int line, String className, String method) {
    public static final SourceLocation UNKNOWN = new SourceLocation("<unknown>", 0, "", "");

    /**
     * Reflection frames are shown rather than filtered: the walker's filter tests every frame's class
     * (a tenth of a large engine's construction time), and they are JDK frames, skipped as framework
     * frames anyway.
     */
    private static final StackWalker WALKER = StackWalker.getInstance(
            java.util.Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_REFLECT_FRAMES));
    private static final java.security.CodeSource DSL_CODE = Module.class.getProtectionDomain().getCodeSource();

    /**
     * Framework classes are the dsl jar's own packages: the DSL and its block library, so an error
     * inside a library block (a bad parameter) names the user's line that built the block. Tests and
     * user code live elsewhere.
     */
    private static final ClassValue<Boolean> FRAMEWORK = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            String n = type.getName();
            if (n.startsWith("java.") || n.startsWith("jdk.") || n.startsWith("sun.")) {
                return true;
            }
            return (n.startsWith("dev.qforge.dsl.") || n.startsWith("dev.qforge.lib."))
                    && java.util.Objects.equals(type.getProtectionDomain().getCodeSource(), DSL_CODE);
        }
    };

    /** The location of the innermost user frame calling into the DSL. */
    public static SourceLocation capture() {
        return WALKER.walk(SourceLocation::firstUserFrame);
    }

    // A plain loop rather than a stream pipeline: every signal assignment captures a location, so this runs ~10^5 times per large array.
    private static SourceLocation firstUserFrame(java.util.stream.Stream<StackWalker.StackFrame> frames) {
        java.util.Iterator<StackWalker.StackFrame> it = frames.iterator();
        while (it.hasNext()) {
            StackWalker.StackFrame f = it.next();
            if (!FRAMEWORK.get(f.getDeclaringClass())) {
                return new SourceLocation(f.getFileName() == null ? f.getClassName() : f.getFileName(),
                        f.getLineNumber(), f.getClassName(), f.getMethodName());
            }
        }
        return UNKNOWN;
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}

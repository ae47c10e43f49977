package dev.qforge.generators;

import dev.qforge.dsl.ElaborationException;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.lib.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Building generators from a pom's text: constructor choice, named options, and the errors a user sees. */
class GeneratorLoaderTest {
    private static final ClassLoader LOADER = GeneratorLoaderTest.class.getClassLoader();

    /** A generator with overloaded constructors that differ in count and in type. */
    public static final class Register extends Module {
        public Register(int width) {
            this(width, false);
        }

        public Register(int width, boolean inverted) {
            super("Register_w" + width + (inverted ? "_inv" : ""));
            if (width < 1) {
                throw new IllegalArgumentException("width must be at least 1, got " + width);
            }
            Signal d = input("d", uint(width));
            Signal q = output("q", uint(width));
            Signal r = reg("r", uint(width), 0);
            r.set(inverted ? d.not() : d);
            q.set(r);
        }

        public Register(String pattern, int repeat) {
            this(pattern.length() * repeat, false);
        }
    }

    /** Two constructors that the same text fits. */
    public static final class Ambiguous extends Module {
        public Ambiguous(int width) {
            super("Ambiguous_i" + width);
        }

        public Ambiguous(long width) {
            super("Ambiguous_l" + width);
        }
    }

    /** A block built from named options, as GemmEngineBlock is. */
    public static final class Configured implements BlockInfo {
        private final String name;
        private final Map<String, String> options;
        private final Counter top;

        private Configured(String name, Map<String, String> options, int width) {
            this.name = name;
            this.options = options;
            this.top = new Counter(width);
        }

        public static Configured fromOptions(String designName, Map<String, String> options) {
            Map<String, String> rest = new LinkedHashMap<>(options);
            String width = rest.remove("width");
            if (width == null || !width.matches("[1-9][0-9]?")) {
                throw new IllegalArgumentException("option width must be 1..99, got " + width);
            }
            if (!rest.isEmpty()) {
                throw new IllegalArgumentException("unknown option " + rest.keySet().iterator().next());
            }
            return new Configured(designName, options, Integer.parseInt(width));
        }

        @Override public String designName() { return name; }
        @Override public Module top() { return top; }
        @Override public Map<String, String> parameters() { return options; }
        @Override public List<PortDoc> ports() { return List.of(); }
        @Override public Performance performance() { return null; }
    }

    /** fromOptions returning a plain module. */
    public static final class CounterFromOptions extends Module {
        private CounterFromOptions(int width) {
            super("CounterFromOptions_w" + width);
            output("q", uint(width)).set(0);
        }

        public static Module fromOptions(String designName, Map<String, String> options) {
            return new CounterFromOptions(Integer.parseInt(options.get("width")));
        }
    }

    /** A fromOptions that is not static. */
    public static final class InstanceFactory extends Module {
        public InstanceFactory() {
            super("InstanceFactory");
        }

        public Module fromOptions(String designName, Map<String, String> options) {
            return this;
        }
    }

    private static final String CONSTRUCTORS = "public " + Register.class.getName() + "(int), public " + Register.class.getName()
            + "(int,boolean), public " + Register.class.getName() + "(java.lang.String,int)";

    private static BlockInfo load(String className, List<String> parameters, Map<String, String> options) {
        return GeneratorLoader.load(LOADER, "d1", className, parameters, options);
    }

    private static String failure(String className, List<String> parameters, Map<String, String> options) {
        return assertThrows(GeneratorLoader.GeneratorException.class, () -> load(className, parameters, options)).getMessage();
    }

    @Test
    void constructorIsChosenByCountAndTypes() {
        assertEquals("Register_w8", load(Register.class.getName(), List.of("8"), Map.of()).top().name());
        assertEquals("Register_w8_inv", load(Register.class.getName(), List.of("8", " true "), Map.of()).top().name());
        assertEquals("Register_w6", load(Register.class.getName(), List.of("ab", "3"), Map.of()).top().name());
    }

    @Test
    void moduleParametersAreNamedAfterTheConstructorsParameters() {
        BlockInfo b = load(Register.class.getName(), List.of("8", "false"), Map.of());
        assertInstanceOf(ModuleBlockInfo.class, b);
        assertEquals("d1", b.designName());
        assertEquals(Map.of("width", "8", "inverted", "false"), b.parameters());
        assertEquals(List.of("width", "inverted"), List.copyOf(b.parameters().keySet()));
        assertNull(b.performance());
    }

    @Test
    void textFittingSeveralConstructorsIsAnAmbiguity() {
        String m = failure(Ambiguous.class.getName(), List.of("8"), Map.of());
        assertTrue(m.startsWith("design 'd1': the parameters [8] fit several constructors of " + Ambiguous.class.getName()), m);
        // listed in a fixed order, whatever order reflection returns them in
        int intAt = m.indexOf("Ambiguous(int)");
        int longAt = m.indexOf("Ambiguous(long)");
        assertTrue(intAt > 0 && longAt > intAt, m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"eight", "8.5", "yes"})
    void textNoConstructorTakesIsRefusedWithTheConstructorsListed(String second) {
        String m = failure(Register.class.getName(), List.of("8", second), Map.of());
        assertTrue(m.startsWith("design 'd1': no public constructor of " + Register.class.getName() + " takes the 2 parameters [8, " + second + "]"), m);
        assertTrue(m.contains("Register(int,boolean)"), m);
    }

    @Test
    void textThatDoesNotConvertNamesTheParameterAndTheValue() {
        assertEquals("design 'd1': no public constructor of " + Register.class.getName() + " takes the 1 parameters [abc]; "
                + "Register(int width) needs an int for parameter 1 'width', got 'abc'; constructors: " + CONSTRUCTORS,
                failure(Register.class.getName(), List.of("abc"), Map.of()));
        assertEquals("design 'd1': no public constructor of " + Register.class.getName() + " takes the 2 parameters [8, yes]; "
                + "Register(int width, boolean inverted) needs true or false for parameter 2 'inverted', got 'yes'; "
                + "Register(String pattern, int repeat) needs an int for parameter 2 'repeat', got 'yes'; constructors: " + CONSTRUCTORS,
                failure(Register.class.getName(), List.of("8", "yes"), Map.of()));
    }

    @Test
    void aMisspeltClassGetsTheClosestClassOfItsPackage() {
        assertEquals("design 'd1': generator class dev.qforge.lib.SyncFfo is not on the classpath (did you mean dev.qforge.lib.SyncFifo?)",
                failure("dev.qforge.lib.SyncFfo", List.of(), Map.of()));
        assertEquals("design 'd1': generator class dev.qforge.lib.counter is not on the classpath (did you mean dev.qforge.lib.Counter?)",
                failure("dev.qforge.lib.counter", List.of(), Map.of()));
    }

    @Test
    void aMisspeltClassInAJarGetsTheClosestClassToo(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("user.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            // with folder entries, as the jar plugin writes them: a class loader finds a package by its folder
            for (String entry : List.of("com/", "com/example/", "com/example/Fir3.class", "com/example/Fir3$Tap.class", "com/example/other/Fir33.class")) {
                out.putNextEntry(new JarEntry(entry));
                out.closeEntry();
            }
        }
        try (URLClassLoader user = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            String m = assertThrows(GeneratorLoader.GeneratorException.class,
                    () -> GeneratorLoader.load(user, "d1", "com.example.Fir33", List.of(), Map.of())).getMessage();
            assertEquals("design 'd1': generator class com.example.Fir33 is not on the classpath (did you mean com.example.Fir3?)", m);
        }
    }

    @Test
    void generatorRefusingAValueIsReportedWithWhatWasGiven() {
        String m = failure(Register.class.getName(), List.of("0"), Map.of());
        assertEquals("design 'd1': " + Register.class.getName() + " rejects [0]: width must be at least 1, got 0", m);
        // a library block built by the loader itself: its error has no user line (it named GeneratorLoader.java's)
        assertEquals("design 'd1': dev.qforge.lib.Counter rejects [0]: width must be at least 1, got 0",
                failure("dev.qforge.lib.Counter", List.of("0"), Map.of()));
    }

    @Test
    void classMissingOrOfTheWrongKindIsNamed() {
        assertEquals("design 'd1': generator class com.example.Nope is not on the classpath", failure("com.example.Nope", List.of(), Map.of()));
        assertEquals("design 'd1': java.lang.String is neither a dev.qforge.dsl.Module nor a dev.qforge.generators.BlockInfo",
                failure("java.lang.String", List.of(), Map.of()));
    }

    @Test
    void optionsCallFromOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("width", "12");
        BlockInfo b = load(Configured.class.getName(), List.of(), options);
        assertInstanceOf(Configured.class, b);
        assertEquals("d1", b.designName());
        assertEquals("Counter_w12", b.top().name());
    }

    @Test
    void fromOptionsMayReturnAModule() {
        BlockInfo b = load(CounterFromOptions.class.getName(), List.of(), Map.of("width", "5"));
        assertEquals("CounterFromOptions_w5", b.top().name());
        assertEquals(Map.of("width", "5"), b.parameters());
    }

    /** A pom's systolic design (GemmEngineBlock.fromOptions): an MX engine without pe-stages has one stage, an explicit 3 is refused. */
    @Test
    void anMxEnginesPeStagesAreOneLeftOutAndRefusedGivenOtherwise() {
        String engine = dev.qforge.generators.systolic.GemmEngineBlock.class.getName();
        Map<String, String> mx = Map.of("act", "mxfp8_e4m3", "weight", "mxfp4", "rows", "4", "cols", "2");
        var block = (dev.qforge.generators.systolic.GemmEngineBlock) load(engine, List.of(), mx);
        assertEquals(1, block.config().peStages());
        Map<String, String> three = new LinkedHashMap<>(mx);
        three.put("pe-stages", "3");
        String m = failure(engine, List.of(), three);
        assertTrue(m.endsWith(": pe-stages must be 1 for MX operands (their PE has one register stage), got 3"), m);
    }

    @Test
    void optionTheGeneratorRejectsIsNamedWithTheDesign() {
        String m = failure(Configured.class.getName(), List.of(), Map.of("width", "12", "depth", "3"));
        assertTrue(m.startsWith("design 'd1': " + Configured.class.getName() + ".fromOptions rejects options {"), m);
        assertTrue(m.endsWith(": unknown option depth"), m);
        String bad = failure(Configured.class.getName(), List.of(), Map.of("width", "x"));
        assertTrue(bad.endsWith(": option width must be 1..99, got x"), bad);
    }

    @Test
    void optionsWithoutFromOptionsAreRefused() {
        String m = failure(Register.class.getName(), List.of(), Map.of("width", "8"));
        assertEquals("design 'd1' has options [width], but " + Register.class.getName() + " has no public static fromOptions(String designName, "
                + "java.util.Map<String, String> options); give its constructor's <parameters> instead", m);
        String notStatic = failure(InstanceFactory.class.getName(), List.of(), Map.of("width", "8"));
        assertTrue(notStatic.contains(".fromOptions must be public static fromOptions("), notStatic);
    }

    @Test
    void parametersAndOptionsTogetherAreRefused() {
        String m = failure(Configured.class.getName(), List.of("8"), Map.of("width", "8"));
        assertEquals("design 'd1' gives both parameters [8] and options {width=8}; a generator takes one or the other", m);
    }

    @Test
    void elaborationErrorsPassThroughWithTheirSourceLocation() {
        // the DSL's error names the user's file:line; the loader must not bury it in a wrapper
        ElaborationException e = assertThrows(ElaborationException.class, () -> load(Broken.class.getName(), List.of(), Map.of()));
        assertTrue(e.getMessage().contains("GeneratorLoaderTest.java:"), e.getMessage());
    }

    public static final class Broken extends Module {
        public Broken() {
            super("Broken");
            output("q", uint(8)).set(Expr.u(300, 8));
        }
    }
}

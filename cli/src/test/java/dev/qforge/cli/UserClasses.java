package dev.qforge.cli;

import dev.qforge.dsl.Module;
import dev.qforge.generators.BlockInfo;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Generator classes a user would write, compiled into a folder as their project's target/classes. */
final class UserClasses {
    /** A register stage of any width. */
    static final String DELAY = """
            package com.example;

            import dev.qforge.dsl.Module;
            import dev.qforge.dsl.Signal;
            import static dev.qforge.dsl.HwType.*;

            public final class Delay extends Module {
                public Delay(int width) {
                    super("Delay_w" + width);
                    Signal d = input("d", uint(width));
                    Signal q = output("q", uint(width));
                    Signal r = reg("r", uint(width), 0);
                    r.set(d);
                    q.set(r);
                }
            }
            """;
    /** Assigns a 9-bit sum to an 8-bit output on line 12. */
    static final String TOO_WIDE = """
            package com.example;

            import dev.qforge.dsl.Module;
            import dev.qforge.dsl.Signal;
            import static dev.qforge.dsl.HwType.*;

            public final class TooWide extends Module {
                public TooWide() {
                    super("TooWide");
                    Signal a = input("a", uint(8));
                    Signal y = output("y", uint(8));
                    y.set(a.plus(a));
                }
            }
            """;
    /** A BlockInfo with named options whose port table fails: after its Verilog exists, before the folder is written. */
    static final String NO_PORTS = """
            package com.example;

            import dev.qforge.dsl.Module;
            import dev.qforge.generators.BlockInfo;
            import dev.qforge.generators.Performance;
            import dev.qforge.generators.PortDoc;
            import java.util.List;
            import java.util.Map;

            public final class NoPorts implements BlockInfo {
                private final String name;
                private final Map<String, String> options;

                private NoPorts(String name, Map<String, String> options) {
                    this.name = name;
                    this.options = options;
                }

                public static NoPorts fromOptions(String name, Map<String, String> options) {
                    return new NoPorts(name, options);
                }

                public String designName() { return name; }
                public Module top() { return new Delay(Integer.parseInt(options.get("width"))); }
                public Map<String, String> parameters() { return options; }
                public List<PortDoc> ports() { throw new UnsupportedOperationException("port table not written yet"); }
                public Performance performance() { return null; }
            }
            """;

    private UserClasses() { }

    /** Compiles {@code sources} (package com.example) into {@code dir}, against qforge's dsl and generators. */
    static Path compile(Path dir, String... sources) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/com/example"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        // -parameters, as qforge's pom and the README's own-project pom compile: reports name constructor parameters
        List<String> args = new ArrayList<>(List.of("-parameters", "-d", classes.toString(), "-cp", location(Module.class) + File.pathSeparator
                + location(BlockInfo.class)));
        for (String source : sources) {
            String name = source.split("public final class ")[1].split(" ")[0];
            Path f = src.resolve(name + ".java");
            Files.writeString(f, source);
            args.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        if (javac.run(null, null, err, args.toArray(String[]::new)) != 0) {
            throw new AssertionError("the user classes do not compile: " + err);
        }
        return classes;
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}

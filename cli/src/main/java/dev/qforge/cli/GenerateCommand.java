package dev.qforge.cli;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.fpga.ReportBuilder;
import dev.qforge.fpga.fusesoc.FuseSocCore;
import dev.qforge.fpga.shell.AxiShell;
import dev.qforge.fpga.shell.driver.DriverFiles;
import dev.qforge.generators.BlockInfo;
import dev.qforge.generators.GeneratorLoader;
import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Option;
import dev.qforge.generators.registry.OptionTable;
import dev.qforge.generators.registry.Registry;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code qforge generate GENERATOR [options] -o DIR} builds a registered generator from its
 * declared options; {@code qforge generate --class CLASS [--param V]... [--option NAME=VALUE]... -cp PATH -o DIR}
 * builds a user's own generator class (a DSL Module or a BlockInfo) through {@link GeneratorLoader},
 * as the generate-rtl goal does: {@code --param} are its constructor's parameters in order (a pom's
 * {@code <parameters>}), {@code --option} its {@code fromOptions} options (a pom's {@code <options>}).
 * Either writes the Verilog, {@code filelist.f}, a FuseSoC core, a README.md with the port table and
 * report.json/report.txt into DIR, all at once or, on any failure, nothing.
 */
final class GenerateCommand {
    static final String FORCE_DOC = "also overwrite files in the folder that qforge did not write, or that changed since it did";
    static final String FORCE_HELP = "  --force       " + FORCE_DOC + "\n";
    private static final String OUT_DOC = "output folder [rtl-out/<design>]; the folder's name is the design's";
    private static final String SHELL_DOC = "also write the AXI shell around the block (AxiShell_<top>.v, shell.f), its register map "
            + "(regmap.h/.py/.md) and the Python and C drivers";

    /** generate's help page after its usage line. */
    static final String HELP = "generators (qforge help generate NAME for its options):\n" + generatorList() + """

            a generator class of your own:
              --class CLASS         a dev.qforge.dsl.Module or dev.qforge.generators.BlockInfo class
              --param V             its public constructor's next parameter (repeat, in order), as a pom's <parameters>
              --option NAME=VALUE   an option for its static fromOptions(String, Map) (repeat), as a pom's <options>
              -cp PATH              where the class and what it needs are, folders and jars separated by ':' [qforge's own classpath]

            both:
            """ + "  -o DIR                " + OUT_DOC + "\n  --force               " + FORCE_DOC + "\n"
            + "  --shell axi           " + SHELL_DOC + "\n";

    private GenerateCommand() { }

    static int run(Args args) throws IOException {
        String className = args.string("--class", null);
        String generator = args.optionalOperand();
        if (className == null && generator == null) {
            args.requireAllRead();
            System.out.print("generators (qforge generate NAME [options] -o DIR; qforge help generate NAME for its options):\n" + generatorList()
                    + "or a generator class of your own: qforge generate --class CLASS [--param V]... -cp PATH -o DIR\n");
            return 0;
        }
        if (className != null && className.isBlank()) {
            throw new Args.UsageException("--class needs a class name, got '" + className + "'");
        }
        if (className != null && generator != null) {
            throw new Args.UsageException("give a generator name ('" + generator + "') or --class, not both");
        }
        return generator != null ? registered(args, generator) : ownClass(args, className);
    }

    private static int registered(Args args, String name) throws IOException {
        Generator g = Registry.find(name);
        if (g == null) {
            throw new Args.UsageException(unknownGenerator(name));
        }
        if (args.wantsHelp()) {
            System.out.print(generatorPage(name));
            return 0;
        }
        Map<String, String> options = options(args, g);
        String out = args.folder("-o", null);
        boolean force = args.flag("--force");
        boolean shell = shell(args);
        args.requireAllRead();
        try {
            Path dir = out != null ? Path.of(out) : Path.of("rtl-out", g.designName().apply(g.resolve(options)));
            return write(g.build(dir.getFileName().toString(), options), dir, force, shell, name);
        } catch (InvalidOption e) {
            throw Args.UsageException.of(e);
        }
    }

    /**
     * The options of {@code g} from the command line: {@code --NAME VALUE}, a flag alone, and a
     * choice with a bare form ({@code --requant} alone, its qualifier {@code --rounding MODE}).
     * Only the options given; their values are checked by the generator.
     */
    static Map<String, String> options(Args args, Generator g) {
        Map<String, String> options = new LinkedHashMap<>();
        for (Option o : g.options()) {
            String flag = "--" + o.name();
            if (o.kind() == Option.Kind.FLAG) {
                if (args.flag(flag)) {
                    options.put(o.name(), "true");
                }
                continue;
            }
            String qualifier = o.bareQualifier() == null ? null : args.string("--" + o.bareQualifier(), null);
            if (o.bareValue() != null && args.flag(flag)) {
                options.put(o.name(), qualifier == null ? o.bareValue() : qualified(o, qualifier));
                continue;
            }
            String value = args.string(flag, null);
            if (qualifier != null) {
                throw new Args.UsageException(value != null
                        ? "--" + o.bareQualifier() + " " + qualifier + " qualifies a bare " + flag + ", not " + flag + " " + value + "; give one of them"
                        : "--" + o.bareQualifier() + " " + qualifier + " needs " + flag + " (or write " + flag + " " + qualifier + ")");
            }
            if (value != null) {
                options.put(o.name(), value);
            }
        }
        return options;
    }

    /** The value a bare option's qualifier picks: any of its values but the default (which the option's absence means). */
    private static String qualified(Option o, String value) {
        List<String> modes = o.values().stream().filter(v -> !v.equals(o.defaultValue())).toList();
        if (!modes.contains(o.aliases().getOrDefault(value, value))) {
            throw new Args.UsageException("--" + o.bareQualifier() + " must be " + Option.oneOf(modes)
                    + o.aliasNote() + ", got '" + value + "'");
        }
        return value;
    }

    private static int ownClass(Args args, String className) throws IOException {
        List<String> parameters = args.strings("--param");
        Map<String, String> options = new LinkedHashMap<>();
        for (String pair : args.strings("--option")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new Args.UsageException("--option takes NAME=VALUE, got '" + pair + "'");
            }
            if (options.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
                throw new Args.UsageException("--option " + pair.substring(0, eq) + " is given twice");
            }
        }
        String classpath = args.string("-cp", null);
        String out = args.folder("-o", null);
        boolean force = args.flag("--force");
        boolean shell = shell(args);
        args.requireAllRead();
        Path dir = out != null ? Path.of(out) : Path.of("rtl-out", className.substring(className.lastIndexOf('.') + 1));
        ClassLoader saved = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls(classpath), GenerateCommand.class.getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader); // generators that load resources see the user's classpath
            BlockInfo block = GeneratorLoader.load(loader, dir.getFileName().toString(), className, parameters, options);
            return write(block, dir, force, shell, className);
        } finally {
            Thread.currentThread().setContextClassLoader(saved);
        }
    }

    private static URL[] urls(String classpath) throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        if (classpath != null) {
            for (String entry : classpath.split(File.pathSeparator)) {
                if (entry.isEmpty()) {
                    continue;
                }
                Path p = Path.of(entry);
                if (!Files.exists(p)) {
                    throw new Args.UsageException("-cp entry '" + entry + "' does not exist");
                }
                urls.add(p.toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }

    /** {@code --shell axi}: whether to add the AXI shell (the only shell there is). */
    private static boolean shell(Args args) {
        String shell = args.string("--shell", null);
        if (shell != null && !shell.equals("axi")) {
            throw new Args.UsageException("--shell must be axi, got '" + shell + "'");
        }
        return shell != null;
    }

    /** Elaborates {@code block} and writes its folder: Verilog, filelist.f, the FuseSoC core, README.md and the report (and the shell), together. */
    private static int write(BlockInfo block, Path dir, boolean force, boolean shell, String what) {
        OutputFolder folder = OutputFolder.at(dir, force);
        Design design = Design.elaborate(block.top());
        design.addTo(folder);
        folder.put(FuseSocCore.fileName(block.designName()), FuseSocCore.of(block.designName(), design, block.parameters()));
        folder.put(DesignReadme.FILE, DesignReadme.of(block, design));
        ReportBuilder.build(block, design, false).addTo(folder);
        String top = design.top().name();
        if (shell) {
            AxiShell axi;
            try {
                axi = AxiShell.around(block);
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("--shell axi: " + e.getMessage());
            }
            axi.verilog().forEach(folder::put);
            folder.put(AxiShell.FILE_LIST, String.join("\n", axi.verilog().keySet()) + "\n");
            DriverFiles.of(axi).forEach(folder::put);
            top += " shell=" + axi.topName();
        }
        folder.commit();
        System.out.println("generate " + what + ": top=" + top + " out=" + dir);
        return 0;
    }

    /** {@code qforge help generate NAME} and {@code qforge generate NAME --help}: the generator's options from its declarations. */
    static String generatorPage(String name) {
        Generator g = Registry.find(name);
        if (g == null) {
            throw new Args.UsageException(unknownGenerator(name));
        }
        StringBuilder sb = new StringBuilder("usage: qforge generate " + g.name() + " [options] [-o DIR] [--force]\n\n" + g.summary()
                + "\n\noptions (defaults in brackets):\n" + OptionTable.help(g, Map.of("-o DIR", OUT_DOC, "--force", FORCE_DOC)));
        for (Option o : g.options()) {
            if (o.bareValue() != null) {
                sb.append("\n--").append(o.name()).append(" alone means ").append(o.bareValue())
                        .append(o.bareQualifier() != null ? ", or --" + o.bareQualifier() + "'s value: --" + o.name() + " --" + o.bareQualifier()
                                + " MODE is --" + o.name() + " MODE" : "").append(".\n");
            }
            if (!o.aliases().isEmpty()) {
                sb.append("\n--").append(o.name()).append(" also accepts");
                o.aliases().forEach((spelling, value) -> sb.append(' ').append(spelling).append(" (= ").append(value).append(')'));
                sb.append(".\n");
            }
        }
        return sb.append("\nIn a pom, the same options without -- are the <options> of a generate-rtl <design> whose <generator> is ")
                .append(g.name()).append(".\n").toString();
    }

    private static String unknownGenerator(String name) {
        return Registry.unknown(name) + "; or --class for a generator class of your own";
    }

    private static String generatorList() {
        StringBuilder sb = new StringBuilder();
        for (Generator g : Registry.all()) {
            sb.append(String.format("  %-12s  %s%n", g.name(), g.summary()));
        }
        return sb.toString();
    }
}

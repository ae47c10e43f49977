package dev.qforge.maven;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.ElaborationException;
import dev.qforge.fpga.ReportBuilder;
import dev.qforge.fpga.fusesoc.FuseSocCore;
import dev.qforge.generators.BlockInfo;
import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.generators.GeneratorLoader;
import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Registry;
import dev.qforge.spec.Spec;
import dev.qforge.spec.SpecOutput;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.check.Checker;
import dev.qforge.spec.diag.SpecException;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the generator classes named in the pom against the project's classpath and writes
 * {@code <outputDirectory>/<design>/}: the Verilog, {@code filelist.f}, {@code report.json} and
 * {@code report.txt}. A design whose inputs (its configuration, the project's classes and
 * dependencies, this plugin and the qforge jars it runs) are unchanged since the last run, and
 * whose files are all still there, is skipped. A user's mistake (an unknown class, parameters no
 * constructor takes, an option the generator refuses, a design that does not elaborate) fails the
 * build with a message naming the design. {@code <generator>} is a registered generator's name
 * ({@code systolic}, with the options of {@code qforge generate systolic}) or a class. Like every
 * qforge command, the goal replaces only files it wrote before (listed in the folder's
 * {@code .qforge-manifest}) and writes a folder all at once; {@code force} overrides the first.
 * Then every {@code src/main/qforge/*.qf} spec is built as {@code qforge build} builds it.
 */
@Mojo(name = "generate-rtl", defaultPhase = LifecyclePhase.PROCESS_CLASSES,
        requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class GenerateRtlMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** The designs to generate. */
    @Parameter
    private List<DesignSpec> designs;

    /**
     * Where the project's {@code .qf} specs are: each {@code *.qf} directly in it is built into
     * {@code <outputDirectory>/<file name>/} (as {@code qforge build} does), after the designs.
     */
    @Parameter(property = "qforge.specDirectory", defaultValue = "${project.basedir}/src/main/qforge")
    private File specDirectory;

    /** Where each design's folder is written. */
    @Parameter(property = "qforge.outputDirectory", defaultValue = "${project.basedir}/rtl-out")
    private File outputDirectory;

    /** Also run Yosys/nextpnr for the synthesised columns of the report (slower; needs the tools). */
    @Parameter(property = "qforge.synthesize", defaultValue = "false")
    private boolean synthesize;

    /**
     * Also overwrite files in a design's folder that qforge did not write, or that changed since it
     * did; without it such a file fails the build, named.
     */
    @Parameter(property = "qforge.force", defaultValue = "false")
    private boolean force;

    @Parameter(property = "qforge.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("qforge: skipped");
            return;
        }
        List<String> classpath = classpath();
        String toolFingerprint = Fingerprint.of(Fingerprint.ofFiles(classpath), pluginFingerprint());
        ClassLoader saved = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls(classpath), getClass().getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            for (DesignSpec spec : designs == null ? List.<DesignSpec>of() : designs) {
                generate(spec, loader, toolFingerprint);
            }
            for (Path qf : specFiles()) {
                build(qf);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("qforge: " + e.getMessage(), e);
        } finally {
            Thread.currentThread().setContextClassLoader(saved);
        }
    }

    /** Generates one design; {@code toolFingerprint} covers the project's classpath and this plugin's jars. */
    private void generate(DesignSpec spec, ClassLoader loader, String toolFingerprint) throws MojoFailureException {
        String name = spec.getName();
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new MojoFailureException("qforge: design name '" + name + "' must be a folder name (letters, digits, _ . -)");
        }
        if (spec.getGenerator() == null) {
            throw new MojoFailureException("qforge: design '" + name + "' has no <generator> class");
        }
        Path dir = outputDirectory.toPath().resolve(name);
        String inputs = Fingerprint.of(spec.toString(), String.valueOf(synthesize), toolFingerprint);
        try {
            if (OutputStamp.isCurrent(dir, inputs)) {
                getLog().info("qforge: " + name + " is up to date");
                return;
            }
            // a generation that fails half way must not leave a stamp claiming the folder is complete
            Files.deleteIfExists(dir.resolve(OutputStamp.FILE));
            BlockInfo info = block(spec, loader);
            OutputFolder folder = OutputFolder.at(dir, force);
            Design design = Design.elaborate(info.top());
            design.addTo(folder);
            folder.put(FuseSocCore.fileName(info.designName()), FuseSocCore.of(info.designName(), design, info.parameters()));
            ReportBuilder.build(info, design, synthesize).addTo(folder);
            OutputStamp.write(dir, inputs, folder.commit());
            getLog().info("qforge: " + name + " -> " + dir + " (" + design.modules().size() + " modules, top " + info.top().name() + ")");
        } catch (OutputFolder.Refused e) {
            throw new MojoFailureException("qforge: design '" + name + "': " + e.getMessage()
                    + " (move such files away, choose another outputDirectory, or set <force>true</force>)");
        } catch (GeneratorLoader.GeneratorException e) {
            throw new MojoFailureException("qforge: " + e.getMessage()); // names the design already
        } catch (ElaborationException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            // a design that does not elaborate, a generator refusing a value, a file in the way that
            // qforge did not write, an output folder that cannot be written
            throw new MojoFailureException("qforge: design '" + name + "': " + e.getMessage());
        } catch (IOException e) {
            throw new MojoFailureException("qforge: design '" + name + "': cannot record the generation in " + dir + ": " + e);
        }
    }

    /** The {@code *.qf} files of {@link #specDirectory}, sorted by name; none when it does not exist. */
    private List<Path> specFiles() throws IOException {
        Path dir = specDirectory.toPath();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".qf") && Files.isRegularFile(p)).sorted().toList();
        }
    }

    /**
     * Builds one spec (its imports may change without its own text changing, so it is built every
     * time; files whose content is unchanged are rewritten with the same bytes). Every mistake of
     * the spec fails the build, each located in its file.
     */
    private void build(Path qf) throws MojoFailureException, IOException {
        CheckedSpec spec;
        try {
            spec = Spec.check(qf, Checker.Mode.BUILD);
        } catch (SpecException e) {
            throw new MojoFailureException("qforge: spec " + qf + " has mistakes:\n" + e.getMessage());
        }
        Path dir = outputDirectory.toPath().resolve(spec.name());
        try {
            OutputFolder folder = OutputFolder.at(dir, force);
            SpecOutput.addTo(spec, folder, synthesize);
            folder.commit();
        } catch (OutputFolder.Refused e) {
            throw new MojoFailureException("qforge: spec " + qf.getFileName() + ": " + e.getMessage()
                    + " (move such files away, choose another outputDirectory, or set <force>true</force>)");
        }
        getLog().info("qforge: spec " + qf.getFileName() + " -> " + dir + " (" + spec.blocks().size() + (spec.blocks().size() == 1 ? " block" : " blocks") + ", top " + spec.design().top().name()
                + ")");
    }

    /** A registered generator by name ({@code systolic}, its options checked against its declarations), else a class. */
    private static BlockInfo block(DesignSpec spec, ClassLoader loader) {
        Generator registered = Registry.find(spec.getGenerator());
        if (registered == null) {
            return GeneratorLoader.load(loader, spec.getName(), spec.getGenerator(), spec.getParameters(), spec.getOptions());
        }
        if (!spec.getParameters().isEmpty()) {
            throw new IllegalArgumentException("generator " + registered.name() + " takes <options>, not <parameters> "
                    + spec.getParameters() + "; its options: " + String.join(", ", registered.optionNames()));
        }
        try {
            return registered.build(spec.getName(), spec.getOptions());
        } catch (InvalidOption e) {
            throw new IllegalArgumentException("option <" + e.option() + "> " + e.problem(), e);
        }
    }

    private List<String> classpath() throws MojoExecutionException {
        try {
            return new ArrayList<>(project.getRuntimeClasspathElements());
        } catch (org.apache.maven.artifact.DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("qforge: cannot resolve the project's runtime classpath", e);
        }
    }

    private static URL[] urls(List<String> classpath) throws MojoExecutionException {
        URL[] urls = new URL[classpath.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = new File(classpath.get(i)).toURI().toURL();
            } catch (MalformedURLException e) {
                throw new MojoExecutionException("qforge: bad classpath entry " + classpath.get(i), e);
            }
        }
        return urls;
    }

    /** This plugin's version and the jars it runs from (qforge's own included), so a new qforge regenerates. */
    private String pluginFingerprint() {
        List<String> jars = new ArrayList<>();
        if (plugin.getPluginArtifact().getFile() != null) {
            jars.add(plugin.getPluginArtifact().getFile().getPath());
        }
        for (Artifact a : plugin.getArtifacts()) {
            if (a.getFile() != null) {
                jars.add(a.getFile().getPath());
            }
        }
        return plugin.getId() + ":" + Fingerprint.ofFiles(jars);
    }
}

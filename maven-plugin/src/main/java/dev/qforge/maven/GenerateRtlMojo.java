package dev.qforge.maven;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.ElaborationException;
import dev.qforge.generators.BlockInfo;
import dev.qforge.generators.GeneratorLoader;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the generator classes named in the pom against the project's classpath and writes
 * {@code <outputDirectory>/<design>/}: the Verilog, {@code filelist.f}, {@code report.json} and
 * {@code report.txt}. A design whose inputs (its configuration, the project's classes and
 * dependencies, this plugin) are unchanged since the last run is skipped.
 */
@Mojo(name = "generate-rtl", defaultPhase = LifecyclePhase.PROCESS_CLASSES,
        requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class GenerateRtlMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** The designs to generate. */
    @Parameter(required = true)
    private List<DesignSpec> designs;

    /** Where each design's folder is written. */
    @Parameter(property = "qforge.outputDirectory", defaultValue = "${project.basedir}/rtl-out")
    private File outputDirectory;

    /** Also run Yosys/nextpnr for the synthesised columns of the report (slower; needs the tools). */
    @Parameter(property = "qforge.synthesize", defaultValue = "false")
    private boolean synthesize;

    @Parameter(property = "qforge.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("qforge: skipped");
            return;
        }
        List<String> classpath = classpath();
        String classpathFingerprint = Fingerprint.ofFiles(classpath);
        ClassLoader saved = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls(classpath), getClass().getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            for (DesignSpec spec : designs) {
                generate(spec, loader, classpathFingerprint);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("qforge: " + e.getMessage(), e);
        } finally {
            Thread.currentThread().setContextClassLoader(saved);
        }
    }

    private void generate(DesignSpec spec, ClassLoader loader, String classpathFingerprint) throws MojoFailureException, IOException {
        String name = spec.getName();
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new MojoFailureException("qforge: design name '" + name + "' must be a folder name (letters, digits, _ . -)");
        }
        if (spec.getGenerator() == null) {
            throw new MojoFailureException("qforge: design '" + name + "' has no <generator> class");
        }
        Path dir = outputDirectory.toPath().resolve(name);
        Path stamp = dir.resolve(".qforge-inputs");
        String inputs = Fingerprint.of(spec.toString(), String.valueOf(synthesize), classpathFingerprint, pluginVersion());
        if (Files.exists(stamp) && Files.readString(stamp, StandardCharsets.UTF_8).equals(inputs) && Files.exists(dir.resolve("filelist.f"))) {
            getLog().info("qforge: " + name + " is up to date");
            return;
        }
        try {
            BlockInfo info = GeneratorLoader.load(loader, name, spec.getGenerator(), spec.getParameters());
            Design design = Design.elaborate(info.top());
            design.write(dir);
            ReportStep.write(info, design, synthesize, dir);
            Files.writeString(stamp, inputs, StandardCharsets.UTF_8);
            getLog().info("qforge: " + name + " -> " + dir + " (" + design.modules().size() + " modules, top " + info.top().name() + ")");
        } catch (ElaborationException | GeneratorLoader.GeneratorException | IllegalStateException e) {
            throw new MojoFailureException("qforge: design '" + name + "': " + e.getMessage());
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

    private String pluginVersion() {
        Package p = getClass().getPackage();
        return p.getImplementationVersion() == null ? "dev" : p.getImplementationVersion();
    }
}

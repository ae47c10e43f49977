package dev.qforge.maven;

import dev.qforge.generators.report.Report;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Prints the text report of every configured design (run generate-rtl first). */
@Mojo(name = "report", threadSafe = true)
public class ReportMojo extends AbstractMojo {
    @Parameter(required = true)
    private List<DesignSpec> designs;

    @Parameter(property = "qforge.outputDirectory", defaultValue = "${project.basedir}/rtl-out")
    private File outputDirectory;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        for (DesignSpec spec : designs) {
            Path report = outputDirectory.toPath().resolve(spec.getName()).resolve(Report.TEXT_FILE);
            if (!Files.exists(report)) {
                throw new MojoFailureException("qforge: no report for design '" + spec.getName() + "' at " + report
                        + "; run the generate-rtl goal first");
            }
            try {
                getLog().info("qforge report of " + spec.getName() + ":\n" + Files.readString(report, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new MojoExecutionException("qforge: cannot read " + report, e);
            }
        }
    }
}

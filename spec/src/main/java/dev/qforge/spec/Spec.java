package dev.qforge.spec;

import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.check.Checker;
import dev.qforge.spec.diag.Diagnostics;
import dev.qforge.spec.parse.SpecReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The entry point of the spec language: a {@code .qf} file read (with its imports), checked
 * against the generator registry and its target, composed, estimated, and its workloads
 * evaluated. Any mistake is a {@link dev.qforge.spec.diag.SpecException} holding every one found.
 */
public final class Spec {
    private Spec() { }

    public static CheckedSpec check(Path file, Checker.Mode mode) throws IOException {
        Diagnostics diag = new Diagnostics();
        List<SpecReader.Parsed> files = SpecReader.read(file, diag);
        return Checker.check(files, diag, mode);
    }

    /** A spec given as text, named {@code name} in diagnostics. */
    public static CheckedSpec check(String name, String text, Checker.Mode mode) {
        Diagnostics diag = new Diagnostics();
        return Checker.check(SpecReader.read(name, text, diag), diag, mode);
    }
}

package dev.qforge.testbenches.cache;

import dev.qforge.dsl.Design;
import dev.qforge.lib.Counter;
import dev.qforge.testbenches.verilator.Model;
import dev.qforge.testbenches.verilator.ModelCompiler;

import java.nio.file.Path;

/**
 * A second JVM for {@link ConcurrentBuildTest}: builds the model of a counter of width args[1] in
 * the cache folder args[0] and prints whether this process built it, whether it waited for another
 * builder, and where the harness is.
 */
public final class BuildModelMain {
    private BuildModelMain() { }

    public static void main(String[] args) {
        ModelCompiler compiler = new ModelCompiler(new ModelCache(Path.of(args[0]), Long.MAX_VALUE));
        Model model = compiler.model(Design.elaborate(new Counter(Integer.parseInt(args[1]))));
        System.out.println("built=" + (compiler.cache().builds() == 1) + " waited=" + (compiler.cache().waits() == 1) + " harness=" + model.binary());
    }
}

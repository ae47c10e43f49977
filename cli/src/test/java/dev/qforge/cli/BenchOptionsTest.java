package dev.qforge.cli;

import dev.qforge.generators.attention.AttentionOptions;
import dev.qforge.generators.registry.Option;
import dev.qforge.generators.registry.OptionTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benches take a generator's options from its one declaration: the same names, ranges, rules and messages as generate. */
class BenchOptionsTest {
    /** {@code qforge bench attention ARGS}'s error, which must be {@code qforge generate attention ARGS}'s word for word. */
    private static String attentionError(String... args) {
        String bench = Cli.error(Cli.with(new String[] {"bench", "attention"}, args)).replaceFirst("^qforge bench attention: ", "");
        String generate = Cli.error(Cli.with(new String[] {"generate", "attention"}, args)).replaceFirst("^qforge generate attention: ", "");
        assertEquals(generate, bench);
        return bench;
    }

    @Test
    void attentionBenchWordsBadOptionsAsGenerateDoes() {
        // an int8 cache has no key groups: refused even where the group would fit the cache
        assertEquals("--kv-group applies only to an int4 cache (kv int4): an int8 cache has no key groups; leave kv-group out",
                attentionError("--kv", "int8", "--kv-group", "8", "--max-seq", "16"));
        assertEquals("--kv must be int8 or int4, got 'int5' (did you mean int8?)", attentionError("--kv", "int5"));
        assertEquals("--head-dim must be in 16..256, got 8", attentionError("--head-dim", "8"));
        assertEquals("--softmax must be base2 or ibert, got 'exp'", attentionError("--softmax", "exp"));
        assertEquals("--score-shift must be in 0..32, got 40", attentionError("--score-shift", "40"));
        assertEquals("--kv-group must be in 1..max-seq 16 (rows sharing a key channel's exponent), got 64",
                attentionError("--kv", "int4", "--max-seq", "16", "--kv-group", "64"));
        assertEquals(Cli.error("generate", "attention", "--head-dim", "16", "--lanes", "3").replace("generate", "bench"),
                Cli.error("bench", "attention", "--head-dim", "16", "--lanes", "3"));
        assertEquals("qforge bench attention: --tokens must be in 1..17, got 18", Cli.error("bench", "attention", "--max-seq", "16", "--tokens", "18"));
    }

    /** The bench's key group is the declaration's left-out default (at most max-seq), shown once in its help as generate shows it. */
    @Test
    void attentionBenchTakesTheDeclaredKeyGroupDefault() {
        assertEquals("16", AttentionBenchCommand.OPTIONS.resolve(Map.of("max-seq", "16")).get("kv-group"));
        assertEquals("32", AttentionBenchCommand.OPTIONS.resolve(Map.of()).get("kv-group"));
        String line = "\n  --kv-group 1..65536    Lg: int4 key group, rows sharing a key exponent; at most max-seq; a key row waits as int8 until "
                + "its group is complete [32, at most max-seq]\n";
        String help = Cli.run("bench", "attention", "--help")[1];
        assertTrue(help.contains(line), help);
        assertEquals(help.indexOf("\n  --kv-group "), help.lastIndexOf("\n  --kv-group "), "one line for kv-group:\n" + help);
    }

    @Test
    void attentionBenchTakesEveryGeneratorOptionWithItsRange() {
        String help = Cli.run("bench", "attention", "--help")[1];
        for (Option o : AttentionOptions.OPTIONS) {
            assertTrue(help.contains("\n  " + OptionTable.usage(o) + " "), o.name() + " missing from\n" + help);
            if (o.kind() == Option.Kind.INTEGER) {
                assertEquals("--" + o.name() + " must be in " + o.min() + ".." + o.max() + ", got " + (o.max() + 1),
                        attentionError("--" + o.name(), Integer.toString(o.max() + 1)));
                assertEquals("--" + o.name() + " must be in " + o.min() + ".." + o.max() + ", got " + (o.min() - 1),
                        attentionError("--" + o.name(), Integer.toString(o.min() - 1)));
            } else {
                assertTrue(attentionError("--" + o.name(), "none").startsWith("--" + o.name() + " must be " + Option.oneOf(o.values()) + ", got 'none'"));
            }
        }
    }

    @Test
    void gemmBenchChecksPeStagesAsTheSystolicGeneratorDoes() {
        String bench = Cli.error("bench", "gemm", "--pe-stages", "4");
        assertEquals("qforge bench gemm: --pe-stages must be in 1..3, got 4", bench);
        assertEquals(Cli.error("generate", "systolic", "--pe-stages", "4").replace("generate systolic", "bench gemm"), bench);
        assertEquals("qforge bench gemm: --pe-stages takes a whole number, got 'two'", Cli.error("bench", "gemm", "--pe-stages", "two"));
    }

    @Test
    void mixedBenchChecksGroupAndMaxKAsTheSystolicGeneratorDoes() {
        assertEquals("qforge bench mixed: --group must be in 0..1024, got 2048", Cli.error("bench", "mixed", "--group", "2048"));
        assertEquals("qforge bench mixed: --max-k must be in 1..1048576, got 0", Cli.error("bench", "mixed", "--max-k", "0"));
        for (String[] bad : List.of(new String[] {"--group", "2048"}, new String[] {"--max-k", "0"}, new String[] {"--max-k", "4k"})) {
            assertEquals(Cli.error(Cli.with(new String[] {"generate", "systolic"}, bad)).replace("generate systolic", "bench mixed"),
                    Cli.error(Cli.with(new String[] {"bench", "mixed"}, bad)));
        }
        // the bench's engines are grouped: group 0 (generate's "no groups") is refused by the group scale's own check
        assertEquals("qforge bench mixed: --group must be a power of two in 2..1024, got 0", Cli.error("bench", "mixed", "--group", "0"));
    }
}

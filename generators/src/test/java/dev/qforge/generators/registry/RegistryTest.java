package dev.qforge.generators.registry;

import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryTest {
    @Test
    void aMisspeltGeneratorGetsADidYouMean() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Registry.named("sytolic"));
        assertEquals("unknown generator 'sytolic' (did you mean systolic?); generators: systolic, dequant, quantize, attention", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Registry.named("fir"));
        assertEquals("unknown generator 'fir'; generators: systolic, dequant, quantize, attention", e.getMessage());
    }

    @Test
    void theRegistryBuildsWhatTheGeneratorBuilds() {
        GemmEngineBlock block = (GemmEngineBlock) Registry.named("systolic").build(null, Map.of("rows", "4", "requant", "single"));
        assertEquals("gemm_ws_4x8", block.designName());
        assertEquals(GemmEngineBlock.fromOptions("x", Map.of("rows", "4", "requant", "single")).config(), block.config());
        assertEquals(SystolicConfig.MAX_DIM, Registry.named("systolic").option("cols").max());
    }

    @Test
    void resolvingFillsDefaultsAndNormalisesValues() {
        Generator g = new Generator("toy", "a toy", List.of(Option.integer("n", 1, 9, 3, "count"),
                Option.choice("mode", List.of("fast", "small"), "fast", "what to favour").withAlias("quick", "fast"),
                Option.flag("trace", "dump traces")), o -> "toy", (name, o) -> null);
        assertEquals(Map.of("n", "7", "mode", "fast", "trace", "false"), g.resolve(Map.of("n", " 7 ", "mode", "quick")));
        assertEquals(List.of("n", "mode", "trace"), List.copyOf(g.resolve(Map.of()).keySet()));
        InvalidOption e = assertThrows(InvalidOption.class, () -> g.resolve(Map.of("mdoe", "fast")));
        assertEquals("mdoe is not an option of the toy generator (did you mean mode?); its options are n, mode, trace", e.getMessage());
        e = assertThrows(InvalidOption.class, () -> g.resolve(Map.of("mode", "smal")));
        assertEquals("mode must be fast or small (quick also accepted), got 'smal' (did you mean small?)", e.getMessage());
        e = assertThrows(InvalidOption.class, () -> g.resolve(Map.of("n", "10")));
        assertEquals("n must be in 1..9, got 10", e.getMessage());
        assertEquals("n", e.option());
        assertEquals("must be in 1..9, got 10", e.problem());
    }

    /**
     * A default declared as following the other options applies only when the option is left out, keeps
     * following them under a bench's overlaid default, and help and the README say so.
     */
    @Test
    void anOptionsDefaultMayFollowTheOthers() {
        Generator g = new Generator("toy", "a toy", List.of(Option.integer("size", 1, 99, 16, "rows"),
                Option.integer("group", 1, 99, 8, "rows per group").withDefaultFollowing("at most size",
                        o -> Integer.toString(Math.min(Integer.parseInt(o.get("group")), Integer.parseInt(o.get("size")))))),
                o -> "toy", (name, o) -> null);
        assertEquals(Map.of("size", "4", "group", "4"), g.resolve(Map.of("size", "4")));
        assertEquals(Map.of("size", "4", "group", "9"), g.resolve(Map.of("size", "4", "group", "9")), "given, it is not changed");
        assertEquals(Map.of("size", "16", "group", "8"), g.resolve(Map.of()));
        assertEquals(Map.of("size", "16", "group", "12"), g.withDefaults(Map.of("group", "12")).resolve(Map.of()));
        assertEquals(Map.of("size", "6", "group", "6"), g.withDefaults(Map.of("group", "12")).resolve(Map.of("size", "6")));
        assertTrue(OptionTable.markdown(g).contains("| `--group` | 1..99 | 8, at most size | rows per group |\n"), OptionTable.markdown(g));
        assertTrue(OptionTable.help(g, Map.of()).contains("  --group 1..99  rows per group [8, at most size]\n"), OptionTable.help(g, Map.of()));
    }

    /**
     * An option that means nothing with the others is refused when given, even at its default, not
     * silently ignored; a sweep point's options (every option) take it at its default as left out.
     */
    @Test
    void anOptionThatDoesNotApplyIsRefusedEvenAtItsDefault() {
        Generator g = new Generator("toy", "a toy", List.of(Option.choice("mode", List.of("plain", "scaled"), "plain", "what to build"),
                Option.choice("scale", List.of("bf16", "fp16"), "bf16", "scaled: the scale format")), o -> "toy",
                (name, o) -> null,
                (option, o) -> option.equals("scale") && o.get("mode").equals("plain") ? "applies only when scaled" : null);
        assertEquals(Map.of("mode", "plain", "scale", "bf16"), g.resolve(Map.of()));
        assertEquals(Map.of("mode", "scaled", "scale", "fp16"), g.resolve(Map.of("mode", "scaled", "scale", "fp16")));
        for (String value : List.of("bf16", "fp16")) {
            InvalidOption e = assertThrows(InvalidOption.class, () -> g.resolve(Map.of("scale", value)));
            assertEquals("scale applies only when scaled", e.getMessage());
            assertEquals("scale", e.option());
        }
        assertEquals(Map.of("mode", "plain", "scale", "fp16"), g.complete(Map.of("scale", "fp16")), "a sweep point keeps it");
        assertEquals(Map.of("mode", "plain", "scale", "bf16"), g.complete(Map.of("scale", "bf16")));
    }

    /** A sweep point's options hold every option: one that does not apply builds at its default and fails that point otherwise. */
    @Test
    void aSweepPointBuildsWithAnOptionThatDoesNotApplyOnlyAtItsDefault() {
        Generator g = Registry.named("systolic");
        assertEquals(GemmEngineBlock.fromOptions("x", Map.of()).config(),
                ((GemmEngineBlock) g.buildResolved(g.complete(Map.of("scale", "bf16")))).config());
        InvalidOption e = assertThrows(InvalidOption.class, () -> g.buildResolved(g.complete(Map.of("scale", "fp16"))));
        assertEquals("scale applies only with group scales: set group (e.g. 128) or leave scale out", e.getMessage());
    }

    @Test
    void tablesAndHelpComeFromTheDeclarations() {
        Generator g = new Generator("toy", "a toy", List.of(Option.integer("n", 1, 9, 3, "count"),
                Option.choice("mode", List.of("none", "fast", "small"), "none", "what to favour").withBareValue("fast", "how"),
                Option.flag("trace", "dump traces")), o -> "toy", (name, o) -> null);
        assertEquals("""
                | option | values | default | what it does |
                |---|---|---|---|
                | `--n` | 1..9 | 3 | count |
                | `--mode` | none\\|fast\\|small; alone: fast or `--how`'s | none | what to favour |
                | `--trace` | flag | false | dump traces |
                """, OptionTable.markdown(g));
        assertEquals("""
                  --n 1..9                  count [3]
                  --mode [none|fast|small]  what to favour [none]
                  --trace                   dump traces
                """, OptionTable.help(g, Map.of()));
    }

    @Test
    void didYouMeanOnlySuggestsNearMisses() {
        assertEquals("rows", DidYouMean.closest("row", List.of("cols", "rows")).orElseThrow());
        assertEquals(3, DidYouMean.editDistance("kitten", "sitting"));
        assertEquals("", DidYouMean.hint("dataflowx", List.of("rows", "cols")));
        // as many edits as the word has characters share nothing: no "did you mean ws?" for '' or '8'
        assertEquals("", DidYouMean.hint("", List.of("ws", "os")));
        assertEquals("", DidYouMean.hint("8", List.of("ws", "os")));
        assertEquals(" (did you mean ws?)", DidYouMean.hint("is", List.of("ws", "os")));
        assertEquals(" (did you mean int8?)", DidYouMean.hint("INT8", List.of("int8", "int4")), "case aside");
    }

    @Test
    void otherDefaultsKeepEveryRuleOfTheDeclaration() {
        Generator attention = Registry.named("attention").withDefaults(Map.of("head-dim", "128", "kv", "int4"));
        Map<String, String> resolved = attention.resolve(Map.of());
        assertEquals("128", resolved.get("head-dim"));
        assertEquals("int4", resolved.get("kv"));
        assertEquals("256", resolved.get("max-seq"), "the others keep their declared defaults");
        assertEquals("16..256", attention.option("head-dim").syntax());
        // "does not apply" still reads the resolved options: a key group with an int8 cache given
        assertEquals("kv-group applies only to an int4 cache (kv int4): an int8 cache has no key groups; leave kv-group out",
                assertThrows(InvalidOption.class, () -> attention.resolve(Map.of("kv", "int8", "kv-group", "8"))).getMessage());
        assertEquals("head-dim must be in 16..256, got 8",
                assertThrows(InvalidOption.class, () -> attention.withDefaults(Map.of("head-dim", "8"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> attention.withDefaults(Map.of("rows", "8")));
    }
}

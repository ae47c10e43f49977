package dev.qforge.generators.attention;

import dev.qforge.generators.InvalidParameter;
import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attention generator's options, declared once ({@link #OPTIONS}): {@code qforge generate
 * attention} without the leading {@code --}, or a pom's {@code <options>}. The score scale is a
 * power of two here ({@code score-shift}); {@link AttentionConfig} takes any real scale from Java.
 */
public final class AttentionOptions {
    /** Every option, in the order help and the README list them. */
    public static final List<Option> OPTIONS = List.of(
            Option.integer("head-dim", 16, AttentionConfig.MAX_HEAD_DIM, 64, "d: elements of a query, key and value row"),
            Option.integer("max-seq", 1, AttentionConfig.MAX_SEQ, 256, "L: rows the K/V cache holds in block RAM"),
            Option.integer("lanes", 1, AttentionConfig.MAX_HEAD_DIM, 8, "P: multipliers of Q.K^T and of P.V each; divides head-dim, "
                    + "a row is head-dim / lanes beats"),
            Option.choice("softmax", List.of("base2", "ibert"), "base2", "the streaming softmax: base2 (Softermax: integer running max, "
                    + "2^8-entry exponent table) or ibert (I-BERT's integer exp, running max in multiples of its x0)"),
            Option.integer("score-shift", 0, 32, 13, "logits are q.k / 2^score-shift (S_q S_k / sqrt(d) as a power of two)"),
            Option.integer("heads", 1, AttentionConfig.MAX_HEADS, 1, "H: query heads, a multiple of kv-heads; each has its own datapath"),
            Option.integer("kv-heads", 1, AttentionConfig.MAX_HEADS, 1, "G: K/V heads, each with its own cache and shared by heads / kv-heads "
                    + "query heads (GQA): each cached row is read once for its whole group"),
            Option.choice("kv", List.of("int8", "int4"), "int8", "the cache's format: int8 as it arrives, or int4 KIVI-style 4-bit block "
                    + "floating point (keys: one exponent per channel and key group; values: one per token and beat of lanes elements)"),
            Option.integer("kv-group", 1, AttentionConfig.MAX_SEQ, AttentionConfig.DEFAULT_KV_GROUP, "Lg: int4 key group, rows sharing a key exponent; at most max-seq; a key row waits "
                    + "as int8 until its group is complete")
                    // a shorter cache than the default group is one group: a small int4 shape needs no kv-group of its own;
                    // an int8 cache keeps the declared value, as AttentionConfig's Java constructors do, so its config is unchanged
                    .withDefaultFollowing("at most max-seq", o -> !o.get("kv").equals("int4") ? o.get("kv-group")
                            : Integer.toString(Math.min(Integer.parseInt(o.get("kv-group")), Integer.parseInt(o.get("max-seq"))))));

    /** The generator as the registry lists it. */
    public static final Generator GENERATOR = new Generator("attention", "an attention engine, decode and causal prefill: int8 query rows "
            + "of H heads against G K/V heads' int8 or int4 caches (GQA), streaming base-2 or I-BERT softmax", OPTIONS,
            o -> "attention_d" + o.get("head-dim") + "_l" + o.get("max-seq"), (name, o) -> new AttentionBlock(name, config(o)),
            AttentionOptions::notApplicable);

    /** The config's own parameter names are the options', except the scale. */
    private static final Map<String, String> OPTION_OF = Map.of("score-scale", "score-shift");

    private AttentionOptions() { }

    /** The config the options describe; an {@link InvalidOption} names the first bad option. */
    public static AttentionConfig parse(Map<String, String> options) {
        return config(GENERATOR.resolve(options));
    }

    /** Why an option given means nothing with the others, or null: a key group without an int4 cache. */
    private static String notApplicable(String option, Map<String, String> o) {
        return option.equals("kv-group") && !o.get("kv").equals("int4")
                ? "applies only to an int4 cache (kv int4): an " + o.get("kv") + " cache has no key groups; leave kv-group out" : null;
    }

    /** The config of resolved options (checked by {@link Generator#resolve}); an {@link InvalidOption} names the first bad option. */
    public static AttentionConfig config(Map<String, String> o) {
        try {
            return new AttentionConfig(integer(o, "head-dim"), integer(o, "max-seq"), integer(o, "lanes"),
                    Math.scalb(1.0, -integer(o, "score-shift")), integer(o, "heads"),
                    AttentionConfig.Kv.valueOf(o.get("kv").toUpperCase(java.util.Locale.ROOT)), integer(o, "kv-group"),
                    AttentionConfig.Softmax.valueOf(o.get("softmax").toUpperCase(java.util.Locale.ROOT)), integer(o, "kv-heads"));
        } catch (InvalidParameter e) {
            throw e.asOption(OPTION_OF);
        }
    }

    /** The options of {@code cfg}; its score scale must be a power of two. */
    public static Map<String, String> of(AttentionConfig cfg) {
        int exponent = Math.getExponent(cfg.scoreScale());
        if (Math.scalb(1.0, exponent) != cfg.scoreScale()) {
            throw new IllegalArgumentException("score scale " + cfg.scoreScale() + " is no power of two, so no score-shift states it");
        }
        Map<String, String> o = new LinkedHashMap<>();
        o.put("head-dim", Integer.toString(cfg.headDim()));
        o.put("max-seq", Integer.toString(cfg.maxSeq()));
        o.put("lanes", Integer.toString(cfg.lanes()));
        o.put("softmax", cfg.softmax().optionName());
        o.put("score-shift", Integer.toString(-exponent));
        o.put("heads", Integer.toString(cfg.heads()));
        o.put("kv-heads", Integer.toString(cfg.kvHeads()));
        o.put("kv", cfg.kv().optionName());
        if (cfg.kv() == AttentionConfig.Kv.INT4) {
            o.put("kv-group", Integer.toString(cfg.kvGroup()));
        }
        return o;
    }

    private static int integer(Map<String, String> o, String key) {
        return Integer.parseInt(o.get(key)); // checked by resolve
    }
}

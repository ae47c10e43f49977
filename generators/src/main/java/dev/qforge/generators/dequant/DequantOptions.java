package dev.qforge.generators.dequant;

import dev.qforge.generators.InvalidParameter;
import dev.qforge.generators.dequant.DequantConfig.Scale;
import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Option;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.PackOrder;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.qforge.generators.registry.Choices.nameOf;
import static dev.qforge.generators.registry.Choices.ordered;

/**
 * The dequant generator's options, declared once ({@link #OPTIONS}): the {@code qforge generate
 * dequant} options without their leading {@code --}, or a pom's {@code <options>}. {@link #parse}
 * turns them into a {@link DequantConfig}, {@link #of} writes one back, so {@code parse(of(cfg))} is cfg.
 */
public final class DequantOptions {
    private static final Map<String, Element> FORMATS = formats();
    /** Scales of grouped integer formats; an MX format always has its E8M0 block scale. */
    private static final Map<String, Scale> SCALES = ordered("bf16", Scale.BF16, "fp16", Scale.FP16, "s16", Scale.S16);
    private static final Map<String, BinaryFloat> OUTS = ordered("bf16", BinaryFloat.BF16, "fp16", BinaryFloat.FP16,
            "fp32", BinaryFloat.FP32, "fixed", null);
    private static final Map<String, PackOrder> ORDERS = ordered("gptq", PackOrder.GPTQ, "awq", PackOrder.AWQ);
    private static final int DEFAULT_OUTLIERS = 2;
    /** The group size of grouped integer formats when none is given. */
    private static final int DEFAULT_GROUP = 128;

    public static final List<Option> OPTIONS = List.of(
            Option.choice("format", FORMATS.keySet(), "int4", "code format: grouped int4/uint4/int2/uint2, OCP MX v1.0 "
                    + "(blocks of 32, E8M0 scale), block floating point (E8M0 exponent per group), or bfp_outlier (bfp plus "
                    + "8-bit outliers with their index and exponent)").withAlias("mxfp4_e2m1", "mxfp4"),
            Option.integer("lanes", 1, DequantConfig.MAX_LANES, 8, "codes per beat, a power of two"),
            Option.integer("group", 0, DequantConfig.MAX_GROUP, 0, "codes per scale, a power of two; 0: 128 for grouped "
                    + "formats, 32 for MX (its only size) and bfp"),
            Option.choice("scale", SCALES.keySet(), "bf16", "per-group scale of grouped formats: bfloat16, fp16, or "
                    + "signed 16-bit fixed point with scale-frac fraction bits; not with MX or bfp, whose blocks carry E8M0 scales"),
            Option.integer("scale-frac", 0, 15, 8, "fraction bits of an s16 scale"),
            Option.integer("mantissa-bits", 2, DequantConfig.MAX_BFP_BITS, 8, "bfp: bits of each two's complement mantissa "
                    + "(bfp_outlier: of each inlier)"),
            Option.integer("outliers", 1, DequantConfig.MAX_OUTLIERS, DEFAULT_OUTLIERS, "bfp_outlier: outliers per group, each an "
                    + "8-bit mantissa and its index"),
            Option.choice("order", ORDERS.keySet(), "gptq", "nibbles of a 32-bit word: gptq (sequential, groups along the "
                    + "lanes) or awq (AutoAWQ's 0,2,4,6,1,3,5,7 interleave; int4/uint4, each lane its own scale and zero point, "
                    + "a group is that many beats)"),
            Option.flag("zero-point", "a per-group zero point (the code's format) subtracted before scaling, as GPTQ/AWQ"),
            Option.choice("out", OUTS.keySet(), "bf16", "output: one round-to-nearest-even into bf16, fp16 or fp32, or exact "
                    + "fixed point (a signed integer per lane and an exponent per group)"));

    public static final Generator GENERATOR = new Generator("dequant", "a dequant unit: packed grouped int4/int2 or OCP MX codes "
            + "and their scales in, bf16/fp16/fp32 or exact fixed point out", OPTIONS,
            o -> "dequant_" + o.get("format") + "_l" + o.get("lanes"), (name, o) -> new DequantBlock(name, config(o)),
            DequantOptions::notApplicable);

    private static final Map<String, String> OPTION_OF = Map.of("element", "format", "lanes", "lanes", "groupSize", "group",
            "scale", "scale", "scaleFrac", "scale-frac", "zeroPoint", "zero-point", "out", "out", "mantissaBits", "mantissa-bits",
            "order", "order", "outliers", "outliers");

    private DequantOptions() { }

    /** The config the options describe; an {@link InvalidOption} names the first bad option. */
    public static DequantConfig parse(Map<String, String> options) {
        return config(GENERATOR.resolve(options));
    }

    /** The config of resolved options (checked by {@link Generator#resolve}). */
    private static DequantConfig config(Map<String, String> o) {
        Element element = FORMATS.get(o.get("format"));
        int group = Integer.parseInt(o.get("group"));
        Scale scale = element.isBlockScaled() ? Scale.E8M0 : SCALES.get(o.get("scale"));
        int outliers = Integer.parseInt(o.get("outliers"));
        try {
            return new DequantConfig(element, Integer.parseInt(o.get("lanes")),
                    group != 0 ? group : element.isBlockScaled() ? Mx.BLOCK_SIZE : DEFAULT_GROUP, scale, Integer.parseInt(o.get("scale-frac")),
                    Boolean.parseBoolean(o.get("zero-point")), OUTS.get(o.get("out")), Integer.parseInt(o.get("mantissa-bits")),
                    ORDERS.get(o.get("order")), element == Element.BFP_OUTLIER ? outliers : 0);
        } catch (InvalidParameter e) {
            throw e.asOption(OPTION_OF);
        }
    }

    /**
     * Why an option given means nothing with the format, or null: the scale options and the zero point
     * with the E8M0 block scales of MX and BFP, scale-frac without an s16 scale, mantissa-bits beside
     * BFP, outliers beside bfp_outlier.
     */
    private static String notApplicable(String option, Map<String, String> o) {
        Element element = FORMATS.get(o.get("format"));
        String format = element.optionName();
        return switch (option) {
            case "scale", "zero-point" -> element.isBlockScaled()
                    ? "does not apply to " + format + ": its blocks carry their own E8M0 scale and no zero point; leave " + option + " out" : null;
            case "scale-frac" -> element.isBlockScaled() || !o.get("scale").equals("s16")
                    ? "applies only to an s16 scale (--scale s16); leave scale-frac out" : null;
            case "mantissa-bits" -> element.isBfp() ? null
                    : "applies only to bfp and bfp_outlier; " + format + " codes have their own width, so leave mantissa-bits out";
            case "outliers" -> element == Element.BFP_OUTLIER ? null
                    : "applies only to bfp_outlier; " + format + " has no outliers, so leave outliers out";
            default -> null;
        };
    }

    /** Every option of {@code cfg} that applies to its format. */
    public static Map<String, String> of(DequantConfig cfg) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("format", cfg.element().optionName());
        o.put("lanes", Integer.toString(cfg.lanes()));
        o.put("group", Integer.toString(cfg.groupSize()));
        o.put("scale", cfg.scale() == Scale.E8M0 ? "bf16" : nameOf(SCALES, cfg.scale()));
        o.put("scale-frac", Integer.toString(cfg.scaleFrac()));
        o.put("mantissa-bits", Integer.toString(cfg.mantissaBits()));
        o.put("outliers", Integer.toString(cfg.element() == Element.BFP_OUTLIER ? cfg.outliers() : DEFAULT_OUTLIERS));
        o.put("order", nameOf(ORDERS, cfg.order()));
        o.put("zero-point", Boolean.toString(cfg.zeroPoint()));
        o.put("out", nameOf(OUTS, cfg.out()));
        Map<String, String> all = Map.copyOf(o);
        o.keySet().removeIf(option -> notApplicable(option, all) != null);
        return o;
    }

    private static Map<String, Element> formats() {
        Map<String, Element> m = new LinkedHashMap<>();
        Arrays.stream(Element.values()).forEach(e -> m.put(e.optionName(), e));
        return java.util.Collections.unmodifiableMap(m);
    }
}

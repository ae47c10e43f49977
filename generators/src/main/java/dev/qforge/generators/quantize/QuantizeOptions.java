package dev.qforge.generators.quantize;

import dev.qforge.generators.InvalidParameter;
import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Option;
import dev.qforge.generators.quantize.QuantizeConfig.Format;
import dev.qforge.generators.quantize.QuantizeConfig.Input;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.MxElementType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quantize generator's options, declared once ({@link #OPTIONS}): the {@code qforge generate
 * quantize} options without their leading {@code --}, or a pom's {@code <options>}. {@link #parse}
 * turns them into a {@link QuantizeConfig}, {@link #of} writes a config back, so
 * {@code parse(of(cfg))} is {@code cfg}.
 */
public final class QuantizeOptions {
    private static final String BFP = "bfp";
    /** MX formats as the options spell them, in the order of OCP MX v1.0's table, then bfp. */
    private static final Map<String, Format> FORMATS;

    static {
        Map<String, Format> f = new LinkedHashMap<>();
        for (MxElementType t : new MxElementType[] {MxElementType.FP8_E4M3, MxElementType.FP8_E5M2, MxElementType.FP6_E3M2,
                MxElementType.FP6_E2M3, MxElementType.FP4_E2M1, MxElementType.INT8}) {
            f.put(Format.mx(t).optionName(), Format.mx(t));
        }
        f.put(BFP, null); // its width is the mantissa option
        FORMATS = java.util.Collections.unmodifiableMap(f);
    }

    private static final Map<String, Input> INPUTS = Map.of(Input.FP32.optionName(), Input.FP32, Input.BF16.optionName(), Input.BF16);
    private static final int DEFAULT_MANTISSA = 8;

    /** Every option of the quantize generator, in the order help and the README list them. */
    public static final List<Option> OPTIONS = List.of(
            Option.choice("format", FORMATS.keySet(), "mxfp8_e4m3", "codes out: an OCP MX v1.0 element type with an E8M0 scale "
                    + "per block of 32, or bfp (n-bit two's complement mantissas, shared exponent stored as E8M0)")
                    .withAlias("mxfp4", "mxfp4_e2m1"),
            Option.integer("mantissa", 2, 24, DEFAULT_MANTISSA, "bfp only: mantissa width n (n - 2 fraction bits)"),
            Option.integer("block", 1, QuantizeConfig.MAX_BLOCK, Mx.BLOCK_SIZE, "elements per scale, a power of two; "
                    + Mx.BLOCK_SIZE + " for MX"),
            Option.integer("lanes", 1, QuantizeConfig.MAX_BLOCK, 8, "elements per beat in and out, a power of two dividing the block"),
            Option.choice("input", List.of(Input.FP32.optionName(), Input.BF16.optionName()), Input.FP32.optionName(),
                    "input values: IEEE binary32 or bfloat16 bit patterns"));

    /** The generator as the registry lists it. */
    public static final Generator GENERATOR = new Generator("quantize", "a quantize unit: a stream of fp32/bf16 values to "
            + "OCP MX or BFP codes with a shared E8M0 scale per block (RNE, saturating)", OPTIONS,
            o -> "quantize_" + formatName(o) + "_l" + o.get("lanes"), (name, o) -> new QuantizerBlock(name, config(o)),
            QuantizeOptions::notApplicable);

    /** The config parameter each option sets, to name the option in the config's own errors. */
    private static final Map<String, String> OPTION_OF = Map.of("blockSize", "block", "lanes", "lanes");

    private QuantizeOptions() { }

    /** The config the options describe; an {@link InvalidOption} names the first bad option. */
    public static QuantizeConfig parse(Map<String, String> options) {
        return config(GENERATOR.resolve(options));
    }

    /** Why an option given means nothing with the others, or null: a mantissa width with an MX format, even at its default. */
    private static String notApplicable(String option, Map<String, String> o) {
        return option.equals("mantissa") && !o.get("format").equals(BFP)
                ? "sets the width of bfp mantissas; " + o.get("format") + " fixes its elements, so leave mantissa out" : null;
    }

    /** The config of resolved options (checked by {@link Generator#resolve}). */
    private static QuantizeConfig config(Map<String, String> o) {
        Format format = FORMATS.get(o.get("format"));
        int mantissa = Integer.parseInt(o.get("mantissa"));
        try {
            return new QuantizeConfig(format != null ? format : Format.bfp(mantissa), Integer.parseInt(o.get("block")),
                    Integer.parseInt(o.get("lanes")), INPUTS.get(o.get("input")));
        } catch (InvalidParameter e) {
            throw e.asOption(OPTION_OF);
        }
    }

    /** The options of {@code cfg} that apply to it (mantissa only with bfp). */
    public static Map<String, String> of(QuantizeConfig cfg) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("format", cfg.format().isMx() ? cfg.format().optionName() : BFP);
        if (!cfg.format().isMx()) {
            o.put("mantissa", Integer.toString(cfg.format().bfpBits()));
        }
        o.put("block", Integer.toString(cfg.blockSize()));
        o.put("lanes", Integer.toString(cfg.lanes()));
        o.put("input", cfg.input().optionName());
        return o;
    }

    private static String formatName(Map<String, String> o) {
        return o.get("format").equals(BFP) ? BFP + o.get("mantissa") + "_b" + o.get("block") : o.get("format");
    }
}

package dev.qforge.generators.systolic;

import dev.qforge.generators.InvalidParameter;
import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Option;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.IntFormat;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.MxElementType;
import dev.qforge.numerics.TfliteRounding;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.qforge.generators.registry.Choices.nameOf;
import static dev.qforge.generators.registry.Choices.ordered;

/**
 * The systolic generator's options, declared once ({@link #OPTIONS}): the {@code qforge generate
 * systolic} options without their leading {@code --}, or a pom's {@code <options>}. Every option
 * may be left out; it then has its default (pe-stages': 1 with MX operands); one given where it
 * means nothing (a scale format without group scales) is refused. {@link #parse} turns
 * them into a {@link SystolicConfig}, {@link #of} writes the options that apply to a config back,
 * so {@code parse(of(cfg))} is {@code cfg}.
 */
public final class SystolicOptions {
    // Each choice's values, in the order help lists them, with what each selects: the one place they are spelt.
    private static final Map<String, Dataflow> DATAFLOWS = ordered("ws", Dataflow.WS, "os", Dataflow.OS);
    private static final Map<String, IntFormat> ACT_FORMATS = ordered("int8", IntFormat.INT8, "uint8", IntFormat.UINT8,
            "int4", IntFormat.INT4, "int2", IntFormat.signed(2));
    private static final Map<String, IntFormat> WEIGHT_FORMATS = ordered("int8", IntFormat.INT8, "int4", IntFormat.INT4,
            "int2", IntFormat.signed(2));
    /**
     * The rounding of the int8 output stage, named after what each matches (tflite: TFLite 2.21 as it
     * ships; gemmlowp: double rounding); none: the engine returns its accumulators.
     */
    private static final Map<String, TfliteRounding> REQUANT_MODES = ordered("none", null,
            TfliteRounding.SINGLE_ROUNDING.optionName(), TfliteRounding.SINGLE_ROUNDING,
            TfliteRounding.DOUBLE_ROUNDING.optionName(), TfliteRounding.DOUBLE_ROUNDING);
    /** OCP MX element types, spelt as numerics' formats are elsewhere (mx + the type); act and weight both take them. */
    private static final Map<String, MxElementType> MX_TYPES = ordered("mxfp8_e4m3", MxElementType.FP8_E4M3,
            "mxfp8_e5m2", MxElementType.FP8_E5M2, "mxfp6_e3m2", MxElementType.FP6_E3M2, "mxfp6_e2m3", MxElementType.FP6_E2M3,
            "mxfp4_e2m1", MxElementType.FP4_E2M1, "mxint8", MxElementType.INT8);
    private static final Map<String, BinaryFloat> SCALES = ordered("bf16", BinaryFloat.BF16, "fp16", BinaryFloat.FP16);
    private static final Map<String, BinaryFloat> RESULTS = ordered("fp32", BinaryFloat.FP32, "bf16", BinaryFloat.BF16);
    /** The options that only mean something with group scales. */
    private static final List<String> GROUP_OPTIONS = List.of("scale", "scale-min-exp", "scale-max-exp", "result");
    /** Of those, the ones MX engines take too (their scales are E8M0, so not scale). */
    private static final List<String> MX_OPTIONS = List.of("scale-min-exp", "scale-max-exp", "result");
    /** What a bare {@code --requant} means: what TFLite ships. */
    private static final String BARE_REQUANT = TfliteRounding.DEFAULT.optionName();

    /** Every option of the systolic generator, in the order help and the README list them. */
    public static final List<Option> OPTIONS = List.of(
            Option.integer("rows", 1, SystolicConfig.MAX_DIM, 8, "PE rows: the K slice held per fold, lanes of an activation beat"),
            Option.integer("cols", 1, SystolicConfig.MAX_DIM, 8, "PE columns: the N slice per fold, lanes of a weight and a result beat"),
            Option.choice("dataflow", DATAFLOWS.keySet(), "ws", "weight-stationary (ws) or output-stationary (os)"),
            Option.choice("act", names(ACT_FORMATS), "int8", "activation format; uint8 comes with a runtime zero point in the cfg beat; "
                    + "an MX type (E8M0 scale per block of 32 along K) needs an MX weight").withAlias("mxfp4", "mxfp4_e2m1"),
            Option.choice("weight", names(WEIGHT_FORMATS), "int8", "weight format; an MX type needs an MX act: MX x MX engines "
                    + "multiply elements exactly, sum each block exactly, apply both scales as a shift, round once").withAlias("mxfp4", "mxfp4_e2m1"),
            Option.integer("group", 0, GroupScale.MAX_SIZE, 0, "rows of K per weight scale (W4A8, W2A8): a power of two and a "
                    + "multiple of rows; each group's exact integer sum is scaled, summed exactly, rounded once; 0: no scales"),
            Option.choice("scale", SCALES.keySet(), "bf16", "with group: the format of the per-group, per-column scales"),
            Option.integer("scale-min-exp", GroupScale.MIN_EXP, GroupScale.MAX_EXP, -32, "with group: the exact window's "
                    + "smallest scale exponent (scales below 2^this, other than 0, give NaN); MX: of a block's two scales together"),
            Option.integer("scale-max-exp", GroupScale.MIN_EXP, GroupScale.MAX_EXP, 15, "with group: the exact window's "
                    + "largest scale exponent (scales of 2^(this+1) or more give NaN); MX: of a block's two scales together"),
            Option.choice("result", RESULTS.keySet(), "fp32", "with group or MX: the result format, one round-to-nearest-even"),
            Option.flag("bias", "add a per-column int32 bias (one bias beat per N fold)"),
            Option.flag("packed", "neighbouring columns share one multiplier, as many products as a DSP48E2 (27x18) gives: 4 int4 x int4, 3 int8 x int4, 2 int8 x int8; bit-exact"),
            Option.choice("requant", REQUANT_MODES.keySet(), "none", "TFLite int8 output stage: tflite rounds once, as TFLite 2.21 "
                    + "ships; gemmlowp rounds twice (the legacy path); its quant beat carries the bias, so not with bias")
                    .withBareValue(BARE_REQUANT, "rounding")
                    .withAlias(TfliteRounding.SINGLE_ROUNDING.alias(), TfliteRounding.SINGLE_ROUNDING.optionName())
                    .withAlias(TfliteRounding.DOUBLE_ROUNDING.alias(), TfliteRounding.DOUBLE_ROUNDING.optionName()),
            Option.integer("max-m", 1, 1 << 20, 256, "largest runtime M (activation rows)"),
            Option.integer("max-k", 1, 1 << 20, 256, "largest runtime K (reduction depth)"),
            Option.integer("max-n", 1, 1 << 20, 256, "largest runtime N (output columns)"),
            Option.integer("acc-bits", 0, 64, 0, "accumulator width; 0 derives the narrowest that cannot overflow"),
            Option.integer("pe-stages", 1, SystolicConfig.MAX_PE_STAGES, SystolicConfig.MAX_PE_STAGES, "register stages per PE: 1 the partial sum (PREG), "
                    + "2 also the product (MREG), 3 also the multiplier's inputs (AREG); each past the first adds a cycle of latency; MX operands: 1 (another value is an error)")
                    // an MX PE has one register stage: left out, pe-stages is 1 for MX operands; given, it must be 1
                    .withDefaultFollowing("1 with MX operands", o -> mx(o) ? "1" : o.get("pe-stages")));

    /** The generator as the registry lists it. */
    public static final Generator GENERATOR = new Generator("systolic", "a GEMM engine Y = A x B (weight- or output-stationary, "
            + "int8/int4/int2, optional bias or TFLite requantization)", OPTIONS,
            o -> "gemm_" + o.get("dataflow") + "_" + o.get("rows") + "x" + o.get("cols"), (name, o) -> new GemmEngineBlock(name, config(o)),
            SystolicOptions::notApplicable);

    /** Every option with its default, in declaration order. */
    public static final Map<String, String> DEFAULTS = GENERATOR.resolve(Map.of());

    /** The config parameter each option sets, to name the option in the config's own errors. */
    private static final Map<String, String> OPTION_OF = Map.ofEntries(Map.entry("rows", "rows"), Map.entry("cols", "cols"),
            Map.entry("maxM", "max-m"), Map.entry("maxK", "max-k"), Map.entry("maxN", "max-n"), Map.entry("actBits", "act"),
            Map.entry("actSigned", "act"), Map.entry("weightBits", "weight"), Map.entry("accBits", "acc-bits"),
            Map.entry("bias", "bias"), Map.entry("dataflow", "dataflow"), Map.entry("packed", "packed"),
            Map.entry("peStages", "pe-stages"), Map.entry("scaleMinExp", "scale-min-exp"), Map.entry("scaleMaxExp", "scale-max-exp"));

    private SystolicOptions() { }

    /** The config the options describe; an {@link InvalidOption} names the first bad option. */
    public static SystolicConfig parse(Map<String, String> options) {
        return config(GENERATOR.resolve(options));
    }

    /**
     * Why an option given means nothing with the others, or null: the group-scale options without
     * group scales, group and the scale format with MX operands (E8M0 scales per block of 32).
     */
    private static String notApplicable(String option, Map<String, String> o) {
        if (mx(o)) {
            if (option.equals("group")) {
                return "does not apply to MX operands: their blocks are " + Mx.BLOCK_SIZE + " rows of K; leave group out";
            }
            return GROUP_OPTIONS.contains(option) && !MX_OPTIONS.contains(option)
                    ? "does not apply to MX operands: their scales are E8M0 (powers of two); leave " + option + " out" : null;
        }
        return GROUP_OPTIONS.contains(option) && o.get("group").equals("0")
                ? "applies only with group scales: set group (e.g. 128) or leave " + option + " out" : null;
    }

    /** The config of resolved options (checked by {@link Generator#resolve}). */
    private static SystolicConfig config(Map<String, String> o) {
        if (mx(o)) {
            return parseMx(o);
        }
        IntFormat act = ACT_FORMATS.get(o.get("act"));
        int groupSize = integer(o, "group");
        try {
            GroupScale group = groupSize == 0 ? null : new GroupScale(groupSize, SCALES.get(o.get("scale")), integer(o, "scale-min-exp"),
                    integer(o, "scale-max-exp"), RESULTS.get(o.get("result")));
            return new SystolicConfig(integer(o, "rows"), integer(o, "cols"), integer(o, "max-m"), integer(o, "max-k"), integer(o, "max-n"),
                    act.bits(), act.signed(), WEIGHT_FORMATS.get(o.get("weight")).bits(), integer(o, "acc-bits"),
                    Boolean.parseBoolean(o.get("bias")), DATAFLOWS.get(o.get("dataflow")), Boolean.parseBoolean(o.get("packed")),
                    integer(o, "pe-stages"), REQUANT_MODES.get(o.get("requant")), group);
        } catch (InvalidParameter e) {
            // the config names its own parameters; say which option set it
            throw e.asOption(OPTION_OF);
        }
    }

    /** An MX x MX engine: both operands MX, E8M0 scales per block of 32, so no group or scale format. */
    private static SystolicConfig parseMx(Map<String, String> o) {
        for (String side : List.of("act", "weight")) {
            if (!MX_TYPES.containsKey(o.get(side))) {
                String other = side.equals("act") ? "weight" : "act";
                throw new InvalidOption(side, "must be an MX type (" + String.join(", ", MX_TYPES.keySet()) + ") with " + other + " "
                        + o.get(other) + ": MX x integer engines are not built; got " + o.get(side));
            }
        }
        try {
            MxBlocks mx = new MxBlocks(MX_TYPES.get(o.get("act")), MX_TYPES.get(o.get("weight")), integer(o, "scale-min-exp"),
                    integer(o, "scale-max-exp"), RESULTS.get(o.get("result")));
            return new SystolicConfig(integer(o, "rows"), integer(o, "cols"), integer(o, "max-m"), integer(o, "max-k"), integer(o, "max-n"),
                    mx.act().bits(), true, mx.weight().bits(), integer(o, "acc-bits"), Boolean.parseBoolean(o.get("bias")),
                    DATAFLOWS.get(o.get("dataflow")), Boolean.parseBoolean(o.get("packed")), integer(o, "pe-stages"),
                    REQUANT_MODES.get(o.get("requant")), null, mx);
        } catch (InvalidParameter e) {
            throw e.asOption(OPTION_OF);
        }
    }

    /** Whether the options (resolved) describe an MX engine: either operand an MX type. */
    private static boolean mx(Map<String, String> o) {
        return MX_TYPES.containsKey(o.get("act")) || MX_TYPES.containsKey(o.get("weight"));
    }

    private static java.util.Set<String> names(Map<String, ?> intFormats) {
        java.util.Set<String> all = new java.util.LinkedHashSet<>(intFormats.keySet());
        all.addAll(MX_TYPES.keySet());
        return all;
    }

    /**
     * The options of {@code cfg} that apply to it, the accumulator width as derived: the group-scale
     * options only with group scales, of them the MX ones only with MX operands.
     */
    public static Map<String, String> of(SystolicConfig cfg) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("rows", Integer.toString(cfg.rows()));
        o.put("cols", Integer.toString(cfg.cols()));
        o.put("dataflow", nameOf(DATAFLOWS, cfg.dataflow()));
        MxBlocks mx = cfg.mx();
        o.put("act", mx != null ? nameOf(MX_TYPES, mx.act()) : nameOf(ACT_FORMATS, cfg.actFormat()));
        o.put("weight", mx != null ? nameOf(MX_TYPES, mx.weight()) : nameOf(WEIGHT_FORMATS, cfg.weightFormat()));
        GroupScale g = cfg.group();
        if (g != null) {
            o.put("group", Integer.toString(g.size()));
            o.put("scale", nameOf(SCALES, g.scale()));
            o.put("scale-min-exp", Integer.toString(g.minExp()));
            o.put("scale-max-exp", Integer.toString(g.maxExp()));
            o.put("result", nameOf(RESULTS, g.result()));
        }
        if (mx != null) {
            o.put("scale-min-exp", Integer.toString(mx.minExp()));
            o.put("scale-max-exp", Integer.toString(mx.maxExp()));
            o.put("result", nameOf(RESULTS, mx.result()));
        }
        o.put("bias", Boolean.toString(cfg.bias()));
        o.put("packed", Boolean.toString(cfg.packed()));
        o.put("requant", nameOf(REQUANT_MODES, cfg.requant()));
        o.put("max-m", Integer.toString(cfg.maxM()));
        o.put("max-k", Integer.toString(cfg.maxK()));
        o.put("max-n", Integer.toString(cfg.maxN()));
        // an MX engine's partial-sum word follows from its types alone (and may be wider than the option's 64)
        o.put("acc-bits", Integer.toString(mx != null ? 0 : cfg.accBits()));
        o.put("pe-stages", Integer.toString(cfg.peStages()));
        return o;
    }

    private static int integer(Map<String, String> o, String key) {
        return Integer.parseInt(o.get(key)); // checked by resolve
    }
}

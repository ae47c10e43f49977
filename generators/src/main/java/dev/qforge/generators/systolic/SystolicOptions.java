package dev.qforge.generators.systolic;

import dev.qforge.generators.systolic.SystolicConfig.InvalidParameter;
import dev.qforge.numerics.IntFormat;
import dev.qforge.numerics.TfliteRounding;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link SystolicConfig} as text options, option name -> value: the {@code qforge generate
 * systolic} options without their leading {@code --}, or a pom's {@code <options>}. Every option
 * may be left out; it then has its default. {@link #of} writes a config back in the same form,
 * so {@code parse(of(cfg))} is {@code cfg}.
 *
 * <pre>
 *   rows, cols          1..256                      8
 *   dataflow            ws | os                     ws
 *   act                 int8 | uint8 | int4 | int2  int8
 *   weight              int8 | int4 | int2          int8
 *   bias, packed        true | false                false
 *   requant             none | tflite | gemmlowp    none   (rounding of the int8 output stage: tflite = TFLite 2.21
 *                                                          as it ships, gemmlowp = double rounding; aliases single, double)
 *   max-m, max-k, max-n 1..1048576                  256
 *   acc-bits            0 (derived) or a width      0
 *   pe-stages           1..3                        1
 * </pre>
 */
public final class SystolicOptions {
    /** Every option with its default, in the order of the table above. */
    public static final Map<String, String> DEFAULTS = defaults();
    /** The options that are true or false (command-line flags). */
    public static final List<String> FLAGS = List.of("bias", "packed");

    /** The config parameter each option sets, to name the option in the config's own errors. */
    private static final Map<String, String> OPTION_OF = Map.ofEntries(Map.entry("rows", "rows"), Map.entry("cols", "cols"),
            Map.entry("maxM", "max-m"), Map.entry("maxK", "max-k"), Map.entry("maxN", "max-n"), Map.entry("actBits", "act"),
            Map.entry("actSigned", "act"), Map.entry("weightBits", "weight"), Map.entry("accBits", "acc-bits"),
            Map.entry("bias", "bias"), Map.entry("dataflow", "dataflow"), Map.entry("packed", "packed"),
            Map.entry("peStages", "pe-stages"));

    private SystolicOptions() { }

    /** The options of the default engine, whose accumulator width is derived ("0"). */
    private static Map<String, String> defaults() {
        Map<String, String> d = of(SystolicConfig.int8(8, 8, 256, 256, 256, false));
        d.put("acc-bits", "0");
        return java.util.Collections.unmodifiableMap(d);
    }

    /**
     * The config the options describe; a {@link InvalidParameter} names the first bad
     * option (its {@code parameter()} is the option name).
     */
    public static SystolicConfig parse(Map<String, String> options) {
        options.forEach((key, value) -> {
            if (!DEFAULTS.containsKey(key)) {
                throw new InvalidParameter(key, "is not an option of the systolic generator; its options are "
                        + String.join(", ", DEFAULTS.keySet()));
            }
            if (value == null) {
                throw new InvalidParameter(key, "has no value");
            }
        });
        Map<String, String> o = new LinkedHashMap<>(DEFAULTS);
        o.putAll(options);
        IntFormat act = format("act", o.get("act"), true);
        IntFormat weight = format("weight", o.get("weight"), false);
        try {
            return new SystolicConfig(integer(o, "rows"), integer(o, "cols"), integer(o, "max-m"), integer(o, "max-k"), integer(o, "max-n"),
                    act.bits(), act.signed(), weight.bits(), integer(o, "acc-bits"), bool(o, "bias"), dataflow(o.get("dataflow")),
                    bool(o, "packed"), integer(o, "pe-stages"), rounding(o.get("requant")));
        } catch (InvalidParameter e) {
            // the config names its own parameters; say which option set it
            throw new InvalidParameter(OPTION_OF.getOrDefault(e.parameter(), e.parameter()), e.problem());
        }
    }

    /** The options of {@code cfg}, every one of them, the accumulator width as derived. */
    public static Map<String, String> of(SystolicConfig cfg) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("rows", Integer.toString(cfg.rows()));
        o.put("cols", Integer.toString(cfg.cols()));
        o.put("dataflow", cfg.dataflow().cliName());
        o.put("act", cfg.actFormat().toString());
        o.put("weight", cfg.weightFormat().toString());
        o.put("bias", Boolean.toString(cfg.bias()));
        o.put("packed", Boolean.toString(cfg.packed()));
        o.put("requant", cfg.requant() == null ? "none" : cfg.requant().optionName());
        o.put("max-m", Integer.toString(cfg.maxM()));
        o.put("max-k", Integer.toString(cfg.maxK()));
        o.put("max-n", Integer.toString(cfg.maxN()));
        o.put("acc-bits", Integer.toString(cfg.accBits()));
        o.put("pe-stages", Integer.toString(cfg.peStages()));
        return o;
    }

    private static int integer(Map<String, String> o, String key) {
        String v = o.get(key);
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new InvalidParameter(key, "takes a whole number, got '" + v + "'");
        }
    }

    private static boolean bool(Map<String, String> o, String key) {
        return switch (o.get(key).strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidParameter(key, "must be true or false, got '" + o.get(key) + "'");
        };
    }

    private static Dataflow dataflow(String v) {
        return switch (v.strip()) {
            case "ws" -> Dataflow.WS;
            case "os" -> Dataflow.OS;
            default -> throw new InvalidParameter("dataflow", "must be ws or os, got '" + v + "'");
        };
    }

    private static TfliteRounding rounding(String v) {
        if (v.strip().equals("none")) {
            return null;
        }
        TfliteRounding r = TfliteRounding.ofOptionName(v);
        if (r == null) {
            throw new InvalidParameter("requant", "must be none, " + TfliteRounding.optionNames() + ", got '" + v + "'");
        }
        return r;
    }

    private static IntFormat format(String key, String v, boolean unsignedAllowed) {
        return switch (v.strip()) {
            case "int8" -> IntFormat.INT8;
            case "int4" -> IntFormat.INT4;
            case "int2" -> IntFormat.signed(2);
            case "uint8" -> {
                if (!unsignedAllowed) {
                    throw new InvalidParameter(key, "must be int8, int4 or int2, got 'uint8'");
                }
                yield IntFormat.UINT8;
            }
            default -> throw new InvalidParameter(key, "must be " + (unsignedAllowed ? "int8, uint8, int4 or int2" : "int8, int4 or int2")
                    + ", got '" + v + "'");
        };
    }
}

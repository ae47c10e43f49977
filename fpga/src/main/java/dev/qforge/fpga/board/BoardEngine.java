package dev.qforge.fpga.board;

import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Option;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicOptions;
import dev.qforge.generators.systolic.SystolicConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/** The GEMM engine a board gets: its default, with the systolic options a user gave in place of the default's values. */
public final class BoardEngine {
    private BoardEngine() { }

    /**
     * {@code defaults} with {@code given} (systolic option name -> value, as {@code generate systolic}
     * takes them) in place of its values, named {@code designName}; an
     * {@link dev.qforge.generators.registry.InvalidOption} names a bad one.
     */
    public static GemmEngineBlock of(String designName, SystolicConfig defaults, Map<String, String> given) {
        Map<String, String> options = new LinkedHashMap<>(SystolicOptions.of(defaults));
        if (!given.containsKey("acc-bits")) {
            options.remove("acc-bits"); // derived again from the shape and types given
        }
        options.putAll(given);
        try {
            return new GemmEngineBlock(designName, SystolicOptions.parse(options));
        } catch (InvalidOption e) {
            throw blameTheDefault(e, options, given);
        }
    }

    /**
     * {@code e}, or, when a value the board's default set and the user did not give is what makes the options
     * inconsistent (the Zynq default's --requant with MX operands), the same problem with that option named as
     * the default's, and the value that drops it.
     */
    private static InvalidOption blameTheDefault(InvalidOption e, Map<String, String> options, Map<String, String> given) {
        for (Map.Entry<String, String> o : options.entrySet()) {
            String generatorDefault = SystolicOptions.GENERATOR.option(o.getKey()).defaultValue();
            if (given.containsKey(o.getKey()) || o.getValue().equals(generatorDefault)) {
                continue;
            }
            Map<String, String> without = new LinkedHashMap<>(options);
            without.put(o.getKey(), generatorDefault);
            try {
                SystolicOptions.parse(without);
            } catch (InvalidOption stillBad) {
                continue;
            }
            return new InvalidOption(e.option(), e.problem() + " (the board's default engine sets --" + o.getKey() + " " + o.getValue()
                    + "; give --" + o.getKey() + " " + generatorDefault + " with these options)");
        }
        return e;
    }

    /** The options of {@code engine} that differ from {@code defaults}, as a command-line tail (" --rows 4"), so a printed command rebuilds the same. */
    public static String optionsLine(GemmEngineBlock engine, SystolicConfig defaults) {
        Map<String, String> base = SystolicOptions.of(defaults);
        StringBuilder sb = new StringBuilder();
        SystolicOptions.of(engine.config()).forEach((k, v) -> {
            if (!v.equals(base.get(k)) && !k.equals("acc-bits")) {
                boolean flag = SystolicOptions.GENERATOR.option(k).kind() == Option.Kind.FLAG;
                sb.append(" --").append(k).append(flag ? "" : " " + v);
            }
        });
        return sb.toString();
    }
}

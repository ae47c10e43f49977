package dev.qforge.generators.systolic;

import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.numerics.TfliteRounding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SystolicOptionsTest {
    @Test
    void noOptionsIsTheDefaultEngine() {
        // three PE stages: the multiply is a DSP-internal pipeline stage (AREG/BREG -> MREG)
        assertEquals(SystolicConfig.int8(8, 8, 256, 256, 256, false).withPeStages(3), SystolicOptions.parse(Map.of()));
    }

    @Test
    void everyOptionReachesTheConfig() {
        SystolicConfig cfg = SystolicOptions.parse(Map.ofEntries(Map.entry("rows", "3"), Map.entry("cols", "5"), Map.entry("dataflow", "os"),
                Map.entry("act", "uint8"), Map.entry("weight", "int4"), Map.entry("packed", "true"), Map.entry("requant", "single"),
                Map.entry("max-m", "7"), Map.entry("max-k", "9"), Map.entry("max-n", "11"), Map.entry("acc-bits", "40"),
                Map.entry("pe-stages", "2")));
        assertEquals(new SystolicConfig(3, 5, 7, 9, 11, 8, false, 4, 40, false, Dataflow.OS, true, 2, TfliteRounding.SINGLE_ROUNDING), cfg);
        assertEquals(SystolicConfig.int8(2, 2, 4, 4, 4, true).withPeStages(3), SystolicOptions.parse(Map.of("rows", "2", "cols", "2", "max-m", "4",
                "max-k", "4", "max-n", "4", "bias", "true", "requant", "none")));
    }

    @Test
    void optionsOfAConfigParseBackToIt() {
        SystolicConfig cfg = SystolicConfig.int8Os(4, 2, 16, 32, 8).withTypes(2, true, 8).withPeStages(2)
                .withRequant(TfliteRounding.DOUBLE_ROUNDING);
        assertEquals(cfg, SystolicOptions.parse(SystolicOptions.of(cfg)));
        GemmEngineBlock block = GemmEngineBlock.fromOptions("g", SystolicOptions.of(cfg));
        assertEquals(cfg, block.config());
        assertEquals("g", block.designName());
        assertEquals(SystolicOptions.DEFAULTS.keySet(), block.parameters().keySet());
    }

    /** The modes are named after what they match; the old names stay accepted and are written back by their new name. */
    @ParameterizedTest(name = "requant={0}")
    @CsvSource(delimiter = '|', textBlock = """
            tflite   | SINGLE_ROUNDING | tflite
            single   | SINGLE_ROUNDING | tflite
            gemmlowp | DOUBLE_ROUNDING | gemmlowp
            double   | DOUBLE_ROUNDING | gemmlowp
            """)
    void requantModesAndTheirAliases(String value, TfliteRounding mode, String writtenBack) {
        SystolicConfig cfg = SystolicOptions.parse(Map.of("requant", value));
        assertEquals(mode, cfg.requant());
        assertEquals(writtenBack, SystolicOptions.of(cfg).get("requant"));
    }

    @Test
    void theDefaultRoundingIsTfliteAsItShips() {
        assertEquals(TfliteRounding.SINGLE_ROUNDING, TfliteRounding.DEFAULT);
        assertEquals("tflite", TfliteRounding.DEFAULT.optionName());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            rows      | 0      | rows must be in 1..256, got 0
            cols      | x      | cols takes a whole number, got 'x'
            max-m     | 0      | max-m must be in 1..1048576, got 0
            dataflow  | is     | dataflow must be ws or os, got 'is' (did you mean ws?)
            act       | uint4  | act must be int8, uint8, int4 or int2, got 'uint4' (did you mean uint8?)
            weight    | uint8  | weight must be int8, int4 or int2, got 'uint8' (did you mean int8?)
            bias      | yes    | bias must be true or false, got 'yes'
            requant   | half   | requant must be none, tflite or gemmlowp (single, double also accepted), got 'half'
            requant   | singel | requant must be none, tflite or gemmlowp (single, double also accepted), got 'singel' (did you mean single?)
            requant   | tflit  | requant must be none, tflite or gemmlowp (single, double also accepted), got 'tflit' (did you mean tflite?)
            pe-stages | 4      | pe-stages must be in 1..3, got 4
            acc-bits  | 65     | acc-bits must be in 0..64, got 65
            acc-bits  | 23     | acc-bits must be 0 (derived) or in 24..64, got 23: a sum of up to 256 int8 x int8 products needs 24 bits
            row       | 4      | row is not an option of the systolic generator (did you mean rows?); its options are rows, cols, dataflow, act, weight, group, scale, scale-min-exp, scale-max-exp, result, bias, packed, requant, max-m, max-k, max-n, acc-bits, pe-stages
            """)
    void aBadOptionIsNamed(String option, String value, String message) {
        InvalidOption e = assertThrows(InvalidOption.class,
                () -> GemmEngineBlock.fromOptions("g", Map.of(option, value)));
        assertEquals(message, e.getMessage());
        assertEquals(option, e.option());
    }

    @Test
    void combinationsNameTheOptionThatCannotBe() {
        InvalidOption e = assertThrows(InvalidOption.class,
                () -> SystolicOptions.parse(Map.of("bias", "true", "requant", "double")));
        assertEquals("bias cannot be combined with requant: the quant beat carries the bias", e.getMessage());
        e = assertThrows(InvalidOption.class, () -> SystolicOptions.parse(Map.of("max-k", "64", "acc-bits", "16")));
        assertEquals("acc-bits", e.option());
    }
}

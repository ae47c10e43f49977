package dev.qforge.generators.systolic;

import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.MxElementType;
import dev.qforge.numerics.TfliteRounding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
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
        assertEquals(List.of("rows", "cols", "dataflow", "act", "weight", "bias", "packed", "requant", "max-m", "max-k", "max-n",
                "acc-bits", "pe-stages"), List.copyOf(block.parameters().keySet()), "no group-scale option on an int8 engine");
    }

    /** A block's parameters list only the options that apply to it, and build the same block again. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            act=int8                        | rows,cols,dataflow,act,weight,bias,packed,requant,max-m,max-k,max-n,acc-bits,pe-stages
            weight=int4,group=16            | rows,cols,dataflow,act,weight,group,scale,scale-min-exp,scale-max-exp,result,bias,packed,requant,max-m,max-k,max-n,acc-bits,pe-stages
            act=mxfp8_e4m3,weight=mxfp4     | rows,cols,dataflow,act,weight,scale-min-exp,scale-max-exp,result,bias,packed,requant,max-m,max-k,max-n,acc-bits,pe-stages
            """)
    void parametersListWhatApplies(String given, String listed) {
        Map<String, String> options = new java.util.LinkedHashMap<>(Map.of("rows", "4", "max-k", "64"));
        for (String kv : given.split(",")) {
            options.put(kv.split("=")[0], kv.split("=")[1]);
        }
        GemmEngineBlock block = GemmEngineBlock.fromOptions("g", options);
        assertEquals(List.of(listed.split(",")), List.copyOf(block.parameters().keySet()));
        assertEquals(block.config(), GemmEngineBlock.fromOptions("g", block.parameters()).config());
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
            cols      | 2147483648 | cols must be in 1..256, got 2147483648
            max-m     | 0      | max-m must be in 1..1048576, got 0
            dataflow  | is     | dataflow must be ws or os, got 'is' (did you mean ws?)
            act       | uint4  | act must be int8, uint8, int4, int2, mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4_e2m1 or mxint8 (mxfp4 also accepted), got 'uint4' (did you mean uint8?)
            weight    | uint8  | weight must be int8, int4, int2, mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4_e2m1 or mxint8 (mxfp4 also accepted), got 'uint8' (did you mean int8?)
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
    @Test
    void mxOptionsReachTheConfigAndParseBack() {
        SystolicConfig cfg = SystolicOptions.parse(Map.of("act", "mxfp8_e4m3", "weight", "mxfp4", "rows", "4", "max-k", "96",
                "scale-min-exp", "-40", "result", "bf16"));
        assertEquals(new MxBlocks(MxElementType.FP8_E4M3, MxElementType.FP4_E2M1, -40, 15, BinaryFloat.BF16), cfg.mx());
        assertEquals(MxElementType.FP8_E4M3.bits(), cfg.actBits());
        assertEquals(1, cfg.peStages(), "pe-stages left out: an MX PE's one stage, not the int engines' default 3");
        assertEquals(Mx.accumulatorBits(MxElementType.FP8_E4M3, MxElementType.FP4_E2M1, 32) + 6 + 1, cfg.accBits());
        assertEquals(3, cfg.maxGroups());
        assertEquals(cfg, SystolicOptions.parse(SystolicOptions.of(cfg)));
        assertEquals("bf16", new GemmEngineBlock("g", cfg).laneFormat("out"), "its results are bf16 bit patterns");
        // E5M2 x E5M2: a 70-bit block sum with three counts, past the acc-bits option's 64, still round-trips
        SystolicConfig wide = SystolicOptions.parse(Map.of("act", "mxfp8_e5m2", "weight", "mxfp8_e5m2"));
        assertEquals(70 + 3 * 6 + 1, wide.accBits());
        assertEquals(wide, SystolicOptions.parse(SystolicOptions.of(wide)));
    }

    /** What an MX engine cannot be: each is refused naming the option and the reason. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            weight=int4                 | weight | weight must be an MX type (mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4_e2m1, mxint8) with act mxfp8_e4m3: MX x integer engines are not built; got int4
            group=32                    | group  | group does not apply to MX operands: their blocks are 32 rows of K; leave group out
            scale=fp16                  | scale  | scale does not apply to MX operands: their scales are E8M0 (powers of two); leave scale out
            dataflow=os                 | dataflow | dataflow must be ws for MX operands: the output-stationary engine has no K folds to scale
            packed=true                 | packed | packed is for integer operands: an MX PE multiplies significands and adds exponents
            rows=3                      | rows   | rows must divide the MX block (32) so that no K fold straddles two blocks, got 3
            pe-stages=2                 | pe-stages | pe-stages must be 1 for MX operands (their PE has one register stage), got 2
            pe-stages=3                 | pe-stages | pe-stages must be 1 for MX operands (their PE has one register stage), got 3
            bias=true                   | bias   | bias cannot be combined with MX operands: MX engines return floats
            acc-bits=40                 | acc-bits | acc-bits must be 0 (derived) for MX operands, whose block sums need 35 bits, got 40
            scale-max-exp=-40           | scale-max-exp | scale-max-exp must be in -32..127, got -40
            """)
    void illegalMxCombinationsAreNamed(String setting, String option, String message) {
        String[] kv = setting.split("=");
        Map<String, String> options = new java.util.HashMap<>(Map.of("act", "mxfp8_e4m3", "weight", "mxfp4"));
        options.put(kv[0], kv[1]);
        InvalidOption e = assertThrows(InvalidOption.class, () -> SystolicOptions.parse(options));
        assertEquals(message, e.getMessage());
        assertEquals(option, e.option());
    }

    /**
     * The group-scale options given to an engine without group scales, and group and scale given
     * to an MX engine, are refused even at their defaults: they would be silently ignored.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            scale=bf16                                   | scale         | scale applies only with group scales: set group (e.g. 128) or leave scale out
            scale-min-exp=-32                            | scale-min-exp | scale-min-exp applies only with group scales: set group (e.g. 128) or leave scale-min-exp out
            scale-max-exp=15                             | scale-max-exp | scale-max-exp applies only with group scales: set group (e.g. 128) or leave scale-max-exp out
            weight=int4,group=0,result=fp32              | result        | result applies only with group scales: set group (e.g. 128) or leave result out
            act=mxfp8_e4m3,weight=mxfp4,group=0          | group         | group does not apply to MX operands: their blocks are 32 rows of K; leave group out
            act=mxfp8_e4m3,weight=mxfp4,scale=bf16       | scale         | scale does not apply to MX operands: their scales are E8M0 (powers of two); leave scale out
            """)
    void anOptionThatDoesNotApplyIsRefusedAtItsDefaultToo(String given, String option, String message) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        for (String kv : given.split(",")) {
            options.put(kv.split("=")[0], kv.split("=")[1]);
        }
        InvalidOption e = assertThrows(InvalidOption.class, () -> GemmEngineBlock.fromOptions("g", options));
        assertEquals(message, e.getMessage());
        assertEquals(option, e.option());
        assertEquals(e.getMessage(), assertThrows(InvalidOption.class, () -> SystolicOptions.GENERATOR.build(null, options)).getMessage());
    }

    @Test
    void anIntegerActivationWithAnMxWeightIsNamed() {
        InvalidOption e = assertThrows(InvalidOption.class, () -> SystolicOptions.parse(Map.of("weight", "mxint8")));
        assertEquals("act", e.option());
    }
}

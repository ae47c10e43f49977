package dev.qforge.generators.quantize;

import dev.qforge.generators.quantize.QuantizeConfig.Format;
import dev.qforge.generators.quantize.QuantizeConfig.Input;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Registry;
import dev.qforge.numerics.MxElementType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QuantizeOptionsTest {
    @Test
    void defaultsAndAliases() {
        assertEquals(new QuantizeConfig(Format.mx(MxElementType.FP8_E4M3), 32, 8, Input.FP32), QuantizeOptions.parse(Map.of()));
        assertEquals(Format.mx(MxElementType.FP4_E2M1), QuantizeOptions.parse(Map.of("format", "mxfp4")).format());
        assertEquals(new QuantizeConfig(Format.bfp(5), 64, 16, Input.BF16),
                QuantizeOptions.parse(Map.of("format", "bfp", "mantissa", "5", "block", "64", "lanes", "16", "input", "bf16")));
    }

    @Test
    void optionsOfAConfigParseBackToIt() {
        for (QuantizeConfig cfg : new QuantizeConfig[] {new QuantizeConfig(Format.mx(MxElementType.INT8), 32, 1, Input.BF16),
                new QuantizeConfig(Format.bfp(24), 256, 256, Input.FP32), new QuantizeConfig(Format.bfp(2), 1, 1, Input.FP32)}) {
            assertEquals(cfg, QuantizeOptions.parse(QuantizeOptions.of(cfg)));
        }
    }

    @Test
    void badCombinationsNameTheOption() {
        assertProblem("block", "block is 32 for every MX format (OCP MX v1.0), got 64", Map.of("block", "64"));
        assertProblem("block", "block must be a power of two in 1..256, got 48", Map.of("format", "bfp", "block", "48"));
        assertProblem("lanes", "lanes must be a power of two in 1..32 (the block size), got 64", Map.of("lanes", "64"));
        assertProblem("lanes", "lanes must be a power of two in 1..32 (the block size), got 3", Map.of("lanes", "3"));
        assertProblem("mantissa", "mantissa sets the width of bfp mantissas; mxint8 fixes its elements, so leave mantissa out",
                Map.of("format", "mxint8", "mantissa", "4"));
        assertProblem("mantissa", "mantissa sets the width of bfp mantissas; mxfp8_e4m3 fixes its elements, so leave mantissa out",
                Map.of("mantissa", "8")); // even at its default, as every option that does not apply
        assertProblem("format", "format must be mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4_e2m1, mxint8 or bfp "
                + "(mxfp4 also accepted), got 'mxfp8' (did you mean mxfp4?)", Map.of("format", "mxfp8"));
    }

    @Test
    void theRegistryNamesTheDesignAfterItsParameters() {
        QuantizerBlock b = (QuantizerBlock) Registry.named("quantize").build(null, Map.of("format", "mxfp6_e2m3", "lanes", "4"));
        assertEquals("quantize_mxfp6_e2m3_l4", b.designName());
        assertEquals("Quantize_mxfp6_e2m3_fp32_l4", b.top().name());
        assertEquals("quantize_bfp4_b16_l2", Registry.named("quantize").build(null,
                Map.of("format", "bfp", "mantissa", "4", "block", "16", "lanes", "2")).designName());
        assertEquals(10, b.performance().firstInToFirstOut()); // 32 / 4 = 8 beats per block, + 2 output registers
    }

    private static void assertProblem(String option, String message, Map<String, String> options) {
        InvalidOption e = assertThrows(InvalidOption.class, () -> QuantizeOptions.parse(options));
        assertEquals(option, e.option());
        assertEquals(message, e.getMessage());
    }
}

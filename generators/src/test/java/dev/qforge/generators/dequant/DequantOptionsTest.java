package dev.qforge.generators.dequant;

import dev.qforge.generators.dequant.DequantConfig.Scale;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Registry;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.PackOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The dequant options: what the issue's command lines build, round trips through {@link DequantOptions#of}, and errors naming the option. */
class DequantOptionsTest {
    @Test
    void theIssuesCommandLinesBuildWhatTheySay() {
        assertEquals(new DequantConfig(Element.MXFP4, 8, 32, Scale.E8M0, 8, false, BinaryFloat.BF16, 8),
                DequantOptions.parse(Map.of("format", "mxfp4", "lanes", "8")));
        assertEquals(new DequantConfig(Element.INT4, 8, 128, Scale.BF16, 8, false, BinaryFloat.BF16, 8),
                DequantOptions.parse(Map.of("format", "int4", "group", "128", "scale", "bf16", "lanes", "8")));
        assertEquals(new DequantConfig(Element.UINT4, 16, 128, Scale.FP16, 8, true, BinaryFloat.FP16, 8, PackOrder.AWQ, 0),
                DequantOptions.parse(Map.of("format", "uint4", "order", "awq", "scale", "fp16", "zero-point", "true", "out", "fp16",
                        "lanes", "16")));
        assertEquals(new DequantConfig(Element.BFP_OUTLIER, 8, 32, Scale.E8M0, 8, false, BinaryFloat.BF16, 4, PackOrder.GPTQ, 3),
                DequantOptions.parse(Map.of("format", "bfp_outlier", "mantissa-bits", "4", "outliers", "3")));
        assertEquals("dequant_mxfp4_l8", Registry.named("dequant").build(null, Map.of("format", "mxfp4_e2m1")).designName());
    }

    @ParameterizedTest
    @CsvSource({"uint4, 4, 32, fp16, true, fixed, gptq", "int2, 64, 2, s16, false, fp32, gptq", "mxfp8_e5m2, 1, 0, bf16, false, fp16, gptq",
            "bfp, 16, 64, bf16, false, fixed, gptq",
            "int4, 8, 32, bf16, true, fixed, awq", "bfp_outlier, 4, 64, bf16, false, fp32, gptq"})
    void optionsRoundTrip(String format, int lanes, int group, String scale, boolean zp, String out, String order) {
        Map<String, String> given = new java.util.HashMap<>(Map.of("format", format, "lanes", "" + lanes, "group", "" + group,
                "out", out, "order", order));
        if (!format.startsWith("mx") && !format.startsWith("bfp")) {
            given.put("scale", scale); // block-scaled formats refuse the grouped formats' scale and zero point
            given.put("zero-point", "" + zp);
        }
        DequantConfig cfg = DequantOptions.parse(given);
        assertEquals(cfg, DequantOptions.parse(DequantOptions.of(cfg)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "format=mxfp4,group=64| group| must be 32 for mxfp4 (the only MX v1.0 block size), got 64",
            "format=mxfp6_e3m2,scale=s16| scale| does not apply to mxfp6_e3m2: its blocks carry their own E8M0 scale and no zero point; leave scale out",
            "format=mxfp6_e3m2,scale=bf16| scale| does not apply to mxfp6_e3m2: its blocks carry their own E8M0 scale and no zero point; leave scale out",
            "format=mxint8,zero-point=true| zero-point| does not apply to mxint8: its blocks carry their own E8M0 scale and no zero point; leave zero-point out",
            "format=bfp,zero-point=false| zero-point| does not apply to bfp: its blocks carry their own E8M0 scale and no zero point; leave zero-point out",
            "scale-frac=8| scale-frac| applies only to an s16 scale (--scale s16); leave scale-frac out",
            "format=int4,mantissa-bits=8| mantissa-bits| applies only to bfp and bfp_outlier; int4 codes have their own width, so leave mantissa-bits out",
            "format=mxfp8_e4m3,out=fixed| out| fixed cannot carry the NaN and infinity codes of mxfp8_e4m3; use bf16, fp16 or fp32",
            "lanes=12| lanes| must be a power of two in 1..64, got 12",
            "format=bfp,mantissa-bits=1| mantissa-bits| must be in 2..16, got 1",
            "group=48| group| must be a power of two in 2..256, got 48",
            "format=int2,order=awq| order| awq packs only 4-bit codes (int4, uint4), got int2",
            "order=awq,lanes=4| lanes| must be at least 8 (one 32-bit word of codes) in the awq order, got 4",
            "format=bfp_outlier,out=fixed| out| fixed has one exponent per group, but bfp_outlier's outliers and inliers carry two; use bf16, fp16 or fp32",
            "format=bfp_outlier,group=4,outliers=4| outliers| must be in 1..3 (fewer than the group of 4), got 4",
            "format=bfp,outliers=3| outliers| applies only to bfp_outlier; bfp has no outliers, so leave outliers out",
            "format=bfp,outliers=2| outliers| applies only to bfp_outlier; bfp has no outliers, so leave outliers out"})
    void badCombinationsNameTheOption(String given, String option, String problem) {
        Map<String, String> o = new java.util.HashMap<>();
        for (String kv : given.split(",")) {
            o.put(kv.split("=")[0], kv.split("=")[1]);
        }
        InvalidOption e = assertThrows(InvalidOption.class, () -> DequantOptions.parse(o));
        assertEquals(option, e.option());
        assertEquals(problem, e.problem());
    }
}

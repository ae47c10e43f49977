package dev.qforge.generators.systolic;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.PortDoc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import dev.qforge.numerics.TfliteRounding;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SystolicConfigTest {
    @ParameterizedTest(name = "maxK={0} bias={1} -> {2} bits")
    @CsvSource({"1, false, 16", "2, false, 17", "64, false, 22", "129, false, 23", "1, true, 33", "4096, true, 33", "131073, true, 34"})
    void accumulatorIsJustWideEnough(int maxK, boolean bias, int bits) {
        assertEquals(bits, SystolicConfig.int8(4, 4, 4, maxK, 4, bias).accBits());
        // the largest sum, maxK * (-128) * (-128) (+ int32 max), needs exactly that many bits
        long hi = maxK * 16384L + (bias ? Integer.MAX_VALUE : 0);
        assertEquals(bits, 64 - Long.numberOfLeadingZeros(hi) + 1);
    }

    @Test
    void badParametersNameTheParameterAndValue() {
        assertMessage("rows must be in 1..256, got 0", () -> SystolicConfig.int8(0, 4, 4, 4, 4, false));
        assertMessage("cols must be in 1..256, got 300", () -> SystolicConfig.int8(4, 300, 4, 4, 4, false));
        assertMessage("maxK must be in 1..1048576, got -1", () -> SystolicConfig.int8(4, 4, 4, -1, 4, false));
        assertMessage("actBits must be 2, 4 or 8, got 3", () -> new SystolicConfig(4, 4, 4, 4, 4, 3, true, 8, 0, false, Dataflow.WS, false, 1, null));
        assertMessage("accBits must be 0 (derived) or in 22..64, got 20: a sum of up to 64 int8 x int8 products needs 22 bits",
                () -> new SystolicConfig(4, 4, 4, 64, 4, 8, true, 8, 20, false, Dataflow.WS, false, 1, null));
        assertMessage("peStages must be in 1..3, got 4", () -> SystolicConfig.int8(4, 4, 4, 4, 4, false).withPeStages(4));
        assertMessage("bias cannot be combined with requant: the quant beat carries the bias",
                () -> SystolicConfig.int8(4, 4, 4, 4, 4, true).withRequant(TfliteRounding.DOUBLE_ROUNDING));
        assertMessage("M must be in 1..4, got 5", () -> SystolicConfig.int8(4, 4, 4, 4, 4, false).requireShape(5, 1, 1));
    }

    private static void assertMessage(String message, Runnable r) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, r::run).getMessage());
    }

    @Test
    void cycleModelOfOnePe() {
        // cfg at 0, weight at 1, activation at 2, result 3 cycles later; the next cfg at 3
        GemmCycleModel.Prediction p = new GemmCycleModel(SystolicConfig.int8(1, 1, 4, 4, 4, false)).predict(1, 1, 1);
        assertEquals(new GemmCycleModel.Prediction(5, 5, 3), p);
        // each extra PE stage delays the result one cycle; from 3 stages the multiplier reads the
        // weight a cycle later, so a single PE column drains one cycle before the next GEMM
        assertEquals(new GemmCycleModel.Prediction(6, 6, 3),
                new GemmCycleModel(SystolicConfig.int8(1, 1, 4, 4, 4, false).withPeStages(2)).predict(1, 1, 1));
        assertEquals(new GemmCycleModel.Prediction(7, 7, 4),
                new GemmCycleModel(SystolicConfig.int8(1, 1, 4, 4, 4, false).withPeStages(3)).predict(1, 1, 1));
    }

    @Test
    void requantAcceptsEveryAccumulatorWidth() {
        // int2 x int2 over K <= 3 needs 5 bits; an explicit 64-bit accumulator is wider than TFLite's int32
        SystolicConfig narrow = SystolicConfig.int8(2, 1, 8, 3, 8, false).withTypes(2, true, 2).withRequant(TfliteRounding.SINGLE_ROUNDING);
        assertEquals(5, narrow.accBits());
        Design.elaborate(new GemmEngineBlock("narrow", narrow).top());
        Design.elaborate(new GemmEngineBlock("wide", SystolicConfig.int8Os(2, 2, 8, 8, 8).withAccBits(64)
                .withRequant(TfliteRounding.DOUBLE_ROUNDING)).top());
    }

    @Test
    void moduleNamesStateThePeStages() {
        SystolicConfig cfg = SystolicConfig.int8(2, 4, 8, 8, 8, false).withPacking().withPeStages(3);
        Design design = Design.elaborate(new GemmEngineBlock("g", cfg).top());
        assertEquals("GemmEngine_ws_2x4_s8xs8_acc19_m8k8n8_packed_p3", design.top().name());
        assertTrue(design.fileList().contains("PackedWsPe2_s8xs8_acc19_p3.v"), design.fileList());
    }

    @Test
    void performanceIsSteadyStateMacsPerInitiationInterval() {
        SystolicConfig cfg = SystolicConfig.int8(4, 4, 16, 16, 16, false);
        GemmCycleModel.Prediction p = new GemmCycleModel(cfg).predict(16, 16, 16);
        assertEquals(16.0 * 16 * 16 / p.initiationInterval(), new GemmEngineBlock("g", cfg).performance().macsPerCycle(), 1e-12);
    }

    /**
     * Columns per packed PE: as many negated weights, S = a + w - 1 bits apart, as the DSP48E2's
     * 27-bit signed operand holds (the largest, 2^(w-1) * sum 2^(iS), below 2^26), by hand: int4 x
     * int4 8 + 2^10 + 2^17 + 2^24; int8 x int4 8 + 2^14 + 2^25; int8 x int8 2^7 + 2^22 (a third
     * field would be 2^37); uint8 (9 bits) x int8 2^7 + 2^23.
     */
    @ParameterizedTest(name = "{0}-bit x int{2} -> {3} columns, {4} PE columns of {5}")
    @CsvSource({
            "4, true, 4, 4, 2, 8",
            "4, true, 4, 4, 2, 7",
            "8, true, 4, 3, 2, 6",
            "8, true, 8, 2, 3, 5",
            "8, false, 8, 2, 2, 4",
            "4, true, 2, 5, 1, 5",
            "2, true, 2, 9, 2, 10",
    })
    void packingFitsAsManyColumnsAsTheDspOperandHolds(int actBits, boolean actSigned, int weightBits, int perPe, int gridCols, int cols) {
        SystolicConfig cfg = SystolicConfig.int8(2, cols, 8, 8, 8, false).withTypes(actBits, actSigned, weightBits).withPacking();
        assertEquals(perPe, cfg.columnsPerPe());
        assertEquals(gridCols, cfg.gridCols());
        SystolicConfig unpacked = SystolicConfig.int8(2, cols, 8, 8, 8, false).withTypes(actBits, actSigned, weightBits);
        assertEquals(1, unpacked.columnsPerPe());
        assertEquals(cols, unpacked.gridCols());
    }

    static java.util.stream.Stream<SystolicConfig> blocks() {
        return java.util.stream.Stream.of(SystolicConfig.int8(3, 2, 8, 8, 8, true),
                SystolicConfig.int8(3, 2, 8, 8, 8, false).withTypes(8, false, 4).withRequant(TfliteRounding.SINGLE_ROUNDING).withPacking(),
                SystolicConfig.int8Os(2, 3, 8, 8, 8).withTypes(8, false, 2).withPeStages(2));
    }

    @ParameterizedTest
    @MethodSource("blocks")
    void portTableDescribesEveryPortOfTheTop(SystolicConfig cfg) {
        GemmEngineBlock block = new GemmEngineBlock("g", cfg);
        Design design = Design.elaborate(block.top());
        List<String> documented = new ArrayList<>();
        for (PortDoc d : block.ports()) {
            String[] range = d.name().split("\\.\\.");
            if (range.length == 1) {
                documented.add(d.name());
            } else {
                String prefix = range[0].substring(0, range[0].lastIndexOf('_') + 1);
                int last = Integer.parseInt(range[1].substring(prefix.length()));
                for (int i = 0; i <= last; i++) {
                    documented.add(prefix + i);
                }
            }
        }
        List<String> actual = new ArrayList<>(List.of("clk", "rst"));
        for (Signal p : design.top().ports()) {
            actual.add(p.name());
        }
        assertEquals(actual, documented);
    }
}

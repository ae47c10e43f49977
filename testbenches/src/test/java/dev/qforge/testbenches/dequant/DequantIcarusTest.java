package dev.qforge.testbenches.dequant;

import dev.qforge.generators.dequant.DequantConfig;
import dev.qforge.generators.dequant.Dequantizer;
import dev.qforge.testbenches.icarus.IcarusCrossCheck;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.dequant.DequantCosimTest.Run;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A second simulator: runs checked against the golden model in Verilator (bubbles, back-pressure,
 * NaN scales, subnormals) replayed in Icarus agree on every output of every cycle. Two of the
 * co-simulated configurations (their Verilator models are shared): float rounding into fp16 with
 * an E8M0 scale, fixed output with per-beat fixed-point scales and zero points, and the AWQ order
 * ({@link DequantAwqCosimTest}); and {@link DequantSetCosimTest}'s fixed-output set (MXFP6, MXINT8,
 * BFP, bf16 and fp16 scales into fixed) and float-output set (with bfp_outlier).
 */
@Cosim(tools = {"verilator", "iverilog"})
class DequantIcarusTest {
    static Stream<DequantConfig> configs() {
        return Stream.of(DequantCosimTest.CONFIGS.get(3), DequantCosimTest.CONFIGS.get(2), DequantAwqCosimTest.AWQ);
    }

    /** The fixed-output set, and the float-output set with its bfp_outlier units. */
    static Stream<List<DequantConfig>> sets() {
        return Stream.of(DequantSetCosimTest.FIXED, DequantSetCosimTest.FLOAT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void icarusAgreesWithVerilator(DequantConfig cfg, CosimSession cosim) {
        Simulator sim = cosim.open(new Dequantizer(cfg), 5);
        IcarusCrossCheck check = IcarusCrossCheck.record(sim).reset();
        Frames[] run = DequantCosimTest.drive(cfg, sim, 5, 400);
        check.add(run[0], run[1]).assertIcarusAgrees(Path.of("target", "cosim-icarus"));
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("sets")
    void icarusAgreesWithVerilatorOnASet(List<DequantConfig> set, CosimSession cosim) {
        Simulator sim = cosim.open(new DequantizerSet(set), 5);
        IcarusCrossCheck check = IcarusCrossCheck.record(sim).reset();
        Run run = DequantCosimTest.drive(DequantSetCosimTest.units(set), sim, 5, 400);
        check.add(run.in(), run.out()).assertIcarusAgrees(Path.of("target", "cosim-icarus"));
    }
}

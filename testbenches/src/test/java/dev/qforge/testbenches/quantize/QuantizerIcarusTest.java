package dev.qforge.testbenches.quantize;

import dev.qforge.testbenches.icarus.IcarusCrossCheck;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A second simulator: recorded runs of two co-simulated units (their Verilator models are shared),
 * bubbles and back-pressure included, replayed in Icarus agree with Verilator on every output of
 * every cycle: the MXFP8 pair (fp32, 8 lanes) and the one-beat BFP set.
 */
@Cosim(tools = {"verilator", "iverilog"})
class QuantizerIcarusTest {
    static Stream<QuantizerCosimTest.Unit> units() {
        return Stream.of(QuantizerCosimTest.units().get(0), QuantizerCosimTest.units().get(2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void icarusAgreesWithVerilator(QuantizerCosimTest.Unit u, CosimSession cosim) {
        Simulator sim = cosim.open(u.module(), 5);
        IcarusCrossCheck check = IcarusCrossCheck.record(sim).reset();
        QuantizerCosimTest.Traffic t = QuantizerCosimTest.traffic(u, 5, 40);
        StreamResult r = sim.transact(new StreamRun().sendBeats("in", t.in).receive("out", t.out.size())
                .bubbles("in", 0.3).stalls("out", 0.3).seed(5).record());
        r.expectBeats("out", t.out, t::describe);
        check.add(r).assertIcarusAgrees(Path.of("target", "cosim-icarus"));
    }
}

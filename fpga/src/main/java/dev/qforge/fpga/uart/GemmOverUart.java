package dev.qforge.fpga.uart;

import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.testbenches.systolic.GemmRunner;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** GEMMs through a GEMM engine behind the UART bridge, every result beat checked against the golden model. */
public final class GemmOverUart {
    private GemmOverUart() { }

    /**
     * Sends the GEMMs (the golden model's beats, unused lanes filled from {@code junk}) and checks
     * every result beat; returns the number of result beats checked.
     *
     * @throws ResultMismatch naming the GEMM, the beat, and the expected and received values
     */
    public static int run(UartHost host, SystolicConfig cfg, List<Gemm> gemms, Random junk) throws IOException {
        GemmRunner.Beats b = GemmRunner.beats(cfg, gemms, junk);
        List<long[]> got = host.run(b.inputs(), Map.of("out", b.expected().size())).get("out");
        for (int i = 0; i < b.expected().size(); i++) {
            if (!Arrays.equals(b.expected().get(i), got.get(i))) {
                throw new ResultMismatch(b.origin().get(i) + ": expected " + Arrays.toString(b.expected().get(i)) + ", the board sent "
                        + Arrays.toString(got.get(i)));
            }
        }
        return got.size();
    }

    /** A result beat differs from the golden model's. */
    public static final class ResultMismatch extends RuntimeException {
        public ResultMismatch(String message) {
            super(message, null, false, false);
        }
    }
}

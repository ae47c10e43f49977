package dev.qforge.dsl;

import dev.qforge.lib.SyncFifo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A {@code mem} with a registered read port becomes block RAM, not flip-flops: a 1024 x 16 FIFO
 * synthesised by Yosys for Xilinx 7-series (RAMB18E1/RAMB36E1) and for iCE40 (SB_RAM40_4K).
 */
class BlockRamInferenceTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "synth_xilinx, t:RAMB18E1 t:RAMB36E1",
            "synth_ice40, t:SB_RAM40_4K"})
    void fifoStorageIsBlockRam(String synth, String ramCells, @TempDir Path dir) {
        HdlTools.require("yosys");
        SyncFifo fifo = new SyncFifo(16, 1024);
        Design.elaborate(fifo).write(dir);
        String script = "read_verilog " + String.join(" ", HdlTools.files(dir)) + "; " + synth + " -top " + fifo.name()
                + "; select -assert-min 1 " + ramCells;
        HdlTools.Result r = HdlTools.run(dir, "yosys", "-q", "-p", script);
        if (r.exitCode() != 0) {
            fail(synth + " did not map the FIFO's memory to " + ramCells + ":\n" + r.output());
        }
    }
}

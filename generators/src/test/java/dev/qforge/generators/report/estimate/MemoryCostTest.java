package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Resources;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MemoryCostTest {
    private static Module memory(int width, int depth) {
        return new Module("Memory" + width + "x" + depth) {{
            Mem m = mem("m", uint(width), depth);
            int aw = m.addressWidth();
            when(input("we", bool()), () -> m.write(input("wa", uint(aw)), input("wd", uint(width))));
            output("rd", uint(width)).set(m.readSync("rd_q", input("ra", uint(aw))));
        }};
    }

    /** The memory's own cost alone (the pass on a fresh tally): LUT RAM or block RAM by size, and the read register. */
    @ParameterizedTest
    @CsvSource({
        // 16 x 8: RAM32M16 (8 LUTs per 14 bits) on xcup, RAM32M (4 per 6) on xc7; an EBR on iCE40 with its bypass registers
        "8, 16, XCUP, 8, 8, 0", "8, 16, XC7, 8, 8, 0", "8, 16, HX8K, 2, 19, 1",
        // 64 x 8: RAM64M8 (8 per 7 bits), RAM64M (4 per 3)
        "8, 64, XCUP, 16, 8, 0", "8, 64, XC7, 12, 8, 0",
        // 512 x 16: one RAMB18; two 256 x 16 EBRs
        "16, 512, XCUP, 0, 0, 1", "16, 512, UP5K, 2, 35, 2",
        // 4 x 4 on iCE40: 16 bits are cheaper as flip-flops than an EBR
        "4, 4, HX8K, 11, 20, 0"})
    void memories(int width, int depth, Target t, long luts, long flipFlops, long blockRams) {
        Tally tally = new Tally();
        new MemoryCost(memory(width, depth), t, tally);
        Resources r = tally.resources();
        assertEquals(luts, r.get(Resource.LUT));
        assertEquals(flipFlops, r.get(Resource.FF));
        assertEquals(blockRams, r.get(Resource.BRAM));
    }
}

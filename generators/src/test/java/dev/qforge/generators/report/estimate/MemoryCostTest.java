package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Rom;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.check.Drivers;
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
        // 128 x 8: two of those per bit group, MUXF7 between them (Yosys 0.23: 4 RAM64M8 on xcup, 6 RAM64M on xc7)
        "8, 128, XCUP, 32, 8, 0", "8, 128, XC7, 24, 8, 0",
        // 512 x 16: one RAMB18; two 256 x 16 EBRs
        "16, 512, XCUP, 0, 0, 1", "16, 512, UP5K, 2, 35, 2",
        // 4 x 4 on iCE40: 16 bits are cheaper as flip-flops than an EBR
        "4, 4, HX8K, 11, 20, 0"})
    void memories(int width, int depth, Target t, long luts, long flipFlops, long blockRams) {
        Resources r = cost(memory(width, depth), t);
        assertEquals(luts, r.get(Resource.LUT));
        assertEquals(flipFlops, r.get(Resource.FF));
        assertEquals(blockRams, r.get(Resource.BRAM));
    }

    private static Resources cost(Module m, Target t) {
        Tally tally = new Tally();
        new MemoryCost(m, t, new Drivers(m), tally);
        return tally.resources();
    }

    /**
     * A memory a controller writes in one state and reads in another: memory_dff proves the enables
     * exclusive, so the EBR needs no read-during-write registers (Yosys 0.23 on the UP5K: one EBR,
     * 0 flip-flops; the attention engine's K/V cache, written in LOAD and read in ATTEND, likewise).
     * Read in any state, the EBR keeps its bypass registers.
     */
    @ParameterizedTest
    @CsvSource({"true, 0, 0", "false, 19, 2"})
    void aReadInAnotherStateNeedsNoCollisionRegisters(boolean otherState, long flipFlops, long luts) {
        Module m = new Module("StateMemory" + otherState) {{
            Signal state = input("state", uint(2));
            Mem mem = mem("m", uint(8), 256);
            Signal loading = wire("loading", bool());
            loading.set(state.eq(0));
            when(loading.and(input("we", bool())), () -> mem.write(input("wa", uint(8)), input("wd", uint(8))));
            Signal re = wire("re", bool());
            re.set(otherState ? state.eq(1).and(input("go", bool())) : input("go", bool()));
            output("rd", uint(8)).set(mem.readSync("rd_q", input("ra", uint(8)), re));
        }};
        Resources r = cost(m, Target.UP5K);
        assertEquals(flipFlops, r.get(Resource.FF));
        assertEquals(luts, r.get(Resource.LUT));
        assertEquals(1, r.get(Resource.BRAM));
    }

    /**
     * A table read at a register's bits: memory_dff merges the register into the port, so on iCE40
     * the table is an EBR, its lanes constant in every entry removed (base2's 2^(f / 256) table of
     * the attention engine: 17 bits, bit 16 always set; Yosys 0.23: one EBR, no flip-flop).
     */
    @ParameterizedTest
    @CsvSource({"UP5K, 0, 0, 1", "HX8K, 0, 0, 1"})
    void aTableAtARegistersBitsIsARegisteredRead(Target t, long luts, long flipFlops, long blockRams) {
        Resources r = cost(exp2Table(256, true), t);
        assertEquals(luts, r.get(Resource.LUT));
        assertEquals(flipFlops, r.get(Resource.FF));
        assertEquals(blockRams, r.get(Resource.BRAM));
    }

    /** base2's 2^(f / depth) in Q1.16 (bit 16 always set), read at the bits of a register reset or not. */
    private static Module exp2Table(int depth, boolean reset) {
        return new Module("Exp2Table" + depth + (reset ? "r" : "")) {{
            long[] entries = new long[depth];
            for (int i = 0; i < entries.length; i++) {
                entries[i] = Math.round(Math.pow(2, 16 + i / (double) depth));
            }
            Rom table = rom("table", uint(17), entries);
            int aw = table.addressWidth();
            Signal u = reset ? reg("u", uint(aw), 0) : reg("u", uint(aw));
            u.set(input("x", uint(aw)));
            output("y", uint(17)).set(table.read("y_r", u));
        }};
    }

    /**
     * On Xilinx a table read at a register with a synchronous reset takes the reset in as one more input of each
     * bit: past the slice's 8 inputs (256 entries) each bit costs twice. Yosys 0.23 on the 256-entry 2^(f / 256)
     * (16 live bits): 61 LUTs without the reset on both families, 114 with it on xc7 and 93 on xcup; the 128-entry
     * table fits the slice with its reset (31 LUTs, 38 with it).
     */
    @ParameterizedTest
    @CsvSource({"256, false, XC7, 64", "256, true, XC7, 128", "256, true, XCUP, 128", "128, true, XC7, 32"})
    void aTableAtAResetRegistersBitsTakesTheResetIn(int depth, boolean reset, Target t, long luts) {
        assertEquals(luts, cost(exp2Table(depth, reset), t).get(Resource.LUT));
    }
}

package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Mem;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Rom;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.check.Drivers;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;

import static dev.qforge.generators.report.estimate.Operators.ceilDiv;
import static dev.qforge.generators.report.estimate.Operators.strip;

/** Costs a module's memories and constant tables: block RAM, LUT RAM or flip-flops by size and target. */
final class MemoryCost {
    private final Target target;
    private final Tally tally;

    MemoryCost(Module module, Target target, Drivers drivers, Tally tally) {
        this.target = target;
        this.tally = tally;
        ExclusiveEnables exclusive = target.isIce40() && !module.mems().isEmpty() ? new ExclusiveEnables(module, drivers) : null;
        for (Mem m : module.mems()) {
            int colliding = exclusive == null ? 0 : (int) m.reads().stream().filter(p -> !exclusive.readExcludesWrites(m, p.enable())).count();
            ram(m.type().width(), m.depth(), m.reads().size(), colliding);
        }
        for (Rom r : module.roms()) {
            // memory_dff also merges a register in front of the address into the port (a table indexed by a register's bits)
            boolean registered = r.reads().stream().allMatch(p -> p.enable() != null || strip(p.addr()) instanceof Signal s && s.kind() == Signal.Kind.REG);
            boolean resetAddress = r.reads().stream().allMatch(p -> p.enable() == null && strip(p.addr()) instanceof Signal s
                    && s.kind() == Signal.Kind.REG && s.resetValue() != null);
            rom(r.type().width() - constantLanes(r), r.depth(), r.addressWidth(), r.reads().size(), registered, resetAddress);
        }
    }

    /** Block RAM units for {@code width x depth} per read port, the cheapest of the family's shapes. */
    private long blockRams(int width, int depth, int readPorts) {
        int[][] shapes = target.isIce40() ? new int[][] {{256, 16}, {512, 8}, {1024, 4}, {2048, 2}}
                : new int[][] {{512, 36}, {1024, 18}, {2048, 9}, {4096, 4}, {8192, 2}, {16384, 1}};
        long best = Long.MAX_VALUE;
        for (int[] s : shapes) {
            best = Math.min(best, (long) ceilDiv(depth, s[0]) * ceilDiv(width, s[1]) * readPorts);
        }
        return best;
    }

    /**
     * Bits equal in every entry of a table: memory_libmap removes these lanes ("removing const-1
     * lane"), so base2's 2^(f / 256) in Q1.16, whose bit 16 is always set, fits one 16-bit EBR.
     */
    private static int constantLanes(Rom r) {
        int lanes = 0;
        for (int b = 0; b < r.type().width(); b++) {
            long first = r.value(0) >>> b & 1;
            boolean same = true;
            for (int i = 1; i < r.depth() && same; i++) {
                same = (r.value(i) >>> b & 1) == first;
            }
            lanes += same ? 1 : 0;
        }
        return Math.min(lanes, r.type().width() - 1);
    }

    /**
     * A memory written and read through a register. iCE40: an EBR when its bits cost more as logic
     * than the EBRs (Yosys' memory_libmap prices an EBR at 64 bits), and then, for each of the
     * {@code colliding} read ports that may read while a write is enabled ({@link ExclusiveEnables}),
     * Yosys keeps the old data on a read of the address being written (EBRs leave it undefined) with
     * a register of the write data, one of the read data and an address match; else flip-flops and read multiplexers.
     * Xilinx: block RAM when large, else LUT RAM (RAM32M/RAM64M on 7-series, RAM32M16/RAM64M8 on
     * UltraScale+, one SDP port group each) and the read register.
     */
    private void ram(int width, int depth, int readPorts, int colliding) {
        long bits = (long) width * depth;
        if (target.isIce40()) {
            long ebrs = blockRams(width, depth, readPorts);
            if (bits * readPorts > 64 * ebrs) {
                tally.add(Resource.BRAM, ebrs);
                tally.add(Resource.FF, (2L * width + 3) * colliding);
                tally.add(Resource.LUT, 2L * colliding);
            } else {
                tally.add(Resource.FF, bits + (long) width * readPorts);
                tally.add(Resource.LUT, Math.round(width * (depth - 1) * 0.6) * readPorts + depth);
            }
            return;
        }
        if (bits > 4096 && depth > 64) {
            tally.add(Resource.BRAM, blockRams(width, depth, readPorts));
            return;
        }
        boolean ultraScale = target == Target.XCUP;
        long luts;
        if (depth <= 32) {
            luts = ultraScale ? 8L * ceilDiv(width, 14) : 4L * ceilDiv(width, 6);
        } else if (depth <= 64) {
            luts = ultraScale ? 8L * ceilDiv(width, 7) : 4L * ceilDiv(width, 3);
        } else {
            // a stack of the 64-word shape per 64 words, their outputs chosen by MUXF7/MUXF8 (no LUTs): a 128x8
            // table is 6 RAM64M (24 LUTs) on xc7 and 4 RAM64M8 (32) on xcup, as the attention engine's caches measure
            luts = (ultraScale ? 8L * ceilDiv(width, 7) : 4L * ceilDiv(width, 3)) * ceilDiv(depth, 64);
        }
        tally.add(Resource.LUT, luts * readPorts);
        tally.add(Resource.FF, (long) width * readPorts);
    }

    /**
     * A constant table: block RAM when large and read through a register, else LUTs (and the read register).
     * {@code resetAddress}: the address register has a synchronous reset. memory_dff merges that register into
     * the read port with its reset, so the reset becomes one more input of each bit's table function; once the
     * address bits and the reset exceed the 8 inputs a slice's LUT6s, MUXF7 and MUXF8 compose (256 entries and
     * more), ABC maps each half of the function apart. Yosys 0.23, 256 entries: 16 bits of 2^(f/256) 61 LUTs
     * without the reset, 114 with it on xc7 (93 on xcup); 12 random bits 48, 89 with it (68 on xcup); 128 entries
     * fit the slice (2^(f/128): 31 LUTs, 38 with the reset).
     */
    private void rom(int width, int depth, int addressBits, int readPorts, boolean registeredRead, boolean resetAddress) {
        long bits = (long) width * depth;
        // Yosys puts every registered-read table in iCE40 EBR; on Xilinx small ones go to LUTs
        if (registeredRead && (target.isIce40() || bits > 4096 && depth > 64)) {
            tally.add(Resource.BRAM, blockRams(width, depth, readPorts));
            return;
        }
        int entriesPerLut = target.isIce40() ? 16 : 64;
        boolean split = !target.isIce40() && resetAddress && addressBits + 1 > target.lutInputs() + 2;
        tally.add(Resource.LUT, (long) width * ceilDiv(depth, entriesPerLut) * (split ? 2 : 1) * readPorts);
        if (registeredRead) {
            tally.add(Resource.FF, (long) width * readPorts);
        }
    }
}

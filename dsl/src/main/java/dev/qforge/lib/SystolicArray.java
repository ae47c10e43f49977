package dev.qforge.lib;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.SourceLocation;
import dev.qforge.dsl.Vec;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;

/**
 * A rows x cols grid of weight-stationary {@link MacPe}s: activations enter at the left of each
 * row and flow right, weights shift down each column while {@code w_load} is high, partial sums
 * start at 0 on the top row and flow down to {@code psum_out_<c>}. Every PE keeps its own signals
 * (no flattened buses), which keeps Verilator fast on large arrays.
 */
public final class SystolicArray extends Module {
    public final Vec aIn;
    public final Vec wIn;
    public final Signal wLoad;
    public final Vec psumOut;

    public SystolicArray(int rows, int cols, int aBits, int wBits, int accBits) {
        this("SystolicArray", rows, cols, aBits, wBits, accBits);
    }

    public SystolicArray(String name, int rows, int cols, int aBits, int wBits, int accBits) {
        super(name);
        aIn = inputs("a_in", rows, sint(aBits));
        wIn = inputs("w_in", cols, sint(wBits));
        wLoad = input("w_load", bool());
        psumOut = outputs("psum_out", cols, sint(accBits));

        SourceLocation at = createdAt(); // where every PE and connection is reported: one stack walk, not one per PE
        MacPe pe = new MacPe(aBits, wBits, accBits);
        @SuppressWarnings("unchecked")
        Instance<MacPe>[][] grid = new Instance[rows][cols];
        Expr zero = Expr.s(0, accBits);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                Instance<MacPe> p = instance("pe_" + r + "_" + c, pe, at);
                grid[r][c] = p;
                connect(p.io(pe.aIn), c == 0 ? aIn.get(r) : grid[r][c - 1].io(pe.aOut), at);
                connect(p.io(pe.wIn), r == 0 ? wIn.get(c) : grid[r - 1][c].io(pe.wOut), at);
                connect(p.io(pe.wLoad), wLoad, at);
                connect(p.io(pe.psumIn), r == 0 ? zero : grid[r - 1][c].io(pe.psumOut), at);
            }
        }
        for (int c = 0; c < cols; c++) {
            connect(psumOut.get(c), grid[rows - 1][c].io(pe.psumOut), at);
        }
    }
}

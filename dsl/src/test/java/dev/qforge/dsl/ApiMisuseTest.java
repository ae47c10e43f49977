package dev.qforge.dsl;

import dev.qforge.lib.AdderTree;
import dev.qforge.lib.Counter;
import dev.qforge.lib.PipelineStage;
import org.junit.jupiter.api.Test;

import static dev.qforge.dsl.BadDesigns.assertError;
import static dev.qforge.dsl.BadDesigns.line;
import static dev.qforge.dsl.BadDesigns.single;
import static dev.qforge.dsl.BadDesigns.thrown;
import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Misuses of the public API a fuzzer found ending in a NullPointerException, an int overflow or
 * silently broken hardware: each is now an error at the user's line that names the problem.
 */
class ApiMisuseTest {
    // ---- a Java null where the DSL expects hardware -------------------------------------------

    @Test
    void nullOperandsAreNamed() {
        Expr a = Expr.u(1, 8);
        Diagnostic plus = thrown(() -> a.plus((Expr) null)); int plusAt = line();
        Diagnostic gt = thrown(() -> a.gt((Expr) null)); int gtAt = line();
        Diagnostic mux = thrown(() -> Expr.mux(Expr.bool(true), null, a)); int muxAt = line();
        Diagnostic cat = thrown(() -> Expr.cat(a, null)); int catAt = line();
        Diagnostic shift = thrown(() -> a.shl((Expr) null)); int shiftAt = line();
        Diagnostic mode = thrown(() -> a.roundShiftRight(2, null)); int modeAt = line();
        Diagnostic type = thrown(() -> Expr.lit(1, null)); int typeAt = line();
        assertError(plus, plusAt, "operand of + is null");
        assertError(gt, gtAt, "operand of > is null");
        assertError(mux, muxAt, "mux's true value is null");
        assertError(cat, catAt, "cat() part 1 is null");
        assertError(shift, shiftAt, "shift amount is null");
        assertError(mode, modeAt, "rounding mode is null");
        assertError(type, typeAt, "constant type is null");
    }

    @Test
    void nullInAModuleIsReportedAtItsLine() {
        int[] at = new int[1];
        Diagnostic value = thrown(() -> new Module("M") {{ at[0] = line(); output("y", uint(8)).set((Expr) null); }});
        assertError(value, at[0], "value assigned to 'y' is null");
        Diagnostic type = thrown(() -> new Module("M") {{ at[0] = line(); output("y", null); }});
        assertError(type, at[0], "type of 'y' is null");
        Diagnostic body = thrown(() -> new Module("M") {{ at[0] = line(); when(input("a", bool()), null); }});
        assertError(body, at[0], "the body of a when is null");
        Diagnostic rom = thrown(() -> new Module("M") {{ at[0] = line(); rom("t", uint(8), null); }});
        assertError(rom, at[0], "value array of ROM 't' is null");
        Diagnostic def = thrown(() -> new Module("M") {{ at[0] = line(); instance("c", (Counter) null); }});
        assertError(def, at[0], "module instantiated as 'c' is null");
        Diagnostic addr = thrown(() -> new Module("M") {{ at[0] = line(); rom("t", uint(8), new long[] {1, 2}).read("r", null); }});
        assertError(addr, at[0], "address of ROM 't' is null");
        Diagnostic stream = thrown(() -> new Module("M") {{ at[0] = line(); inStream("s", (Record) null); }});
        assertError(stream, at[0], "record of 's' is null");
        Diagnostic top = thrown(() -> Design.elaborate(null)); int topAt = line();
        assertError(top, topAt, "top module is null");
    }

    @Test
    void nullRecordFieldsAndLibraryParametersAreNamed() {
        Diagnostic name = thrown(() -> Record.of(null, uint(8))); int nameAt = line();
        Diagnostic type = thrown(() -> Record.of("a", uint(8)).with("b", null)); int typeAt = line();
        Diagnostic stage = thrown(() -> new PipelineStage((HwType) null)); int stageAt = line();
        Diagnostic tree = thrown(() -> new AdderTree(4, null)); int treeAt = line();
        assertError(name, nameAt, "record field name is null");
        assertError(type, typeAt, "type of record field 'b' is null");
        assertError(stage, stageAt, "type of record field 'data' is null");
        assertError(tree, treeAt, "AdderTree's element type is null");
    }

    // ---- widths past what Verilator takes, and the int overflows they hid ---------------------

    @Test
    void widthsHaveAnUpperBound() {
        Diagnostic wide = thrown(() -> uint(1 << 20)); int wideAt = line();
        Diagnostic counter = thrown(() -> new Counter(Integer.MAX_VALUE)); int counterAt = line();
        Diagnostic shl = thrown(() -> Expr.u(1, 8).shl(Integer.MAX_VALUE)); int shlAt = line();
        Expr half = Expr.u(0, 1 << 15);
        Diagnostic cat = thrown(() -> Expr.cat(half, half, half)); int catAt = line();
        Diagnostic dshl = thrown(() -> Expr.u(1, 8).shl(Expr.u(1, 12))); int dshlAt = line();
        assertError(wide, wideAt, "width 1048576 is more than the 65536 bits qforge emits (Verilator's --max-num-width)");
        // was "width must be at least 1, got -2147483648": the width + 1 of the counter's adder wrapped
        assertError(counter, counterAt, "width 2147483647 is more than the 65536 bits qforge emits (Verilator's --max-num-width)");
        assertError(shl, shlAt, "shl(2147483647) of a 8-bit value: amount must be in 0..65528 (results are at most 65536 bits)");
        assertError(cat, catAt, "width 98304 is more than the 65536 bits qforge emits (Verilator's --max-num-width)");
        assertError(dshl, dshlAt, "dynamic shl by a 12-bit amount would grow the result by 2^12 - 1 bits; truncate the amount first");
        assertEquals(1 << 16, uint(1 << 16).width());
    }

    // ---- silently wrong hardware --------------------------------------------------------------

    @Test
    void constantVectorIndexPastTheEndIsAnError() {
        int[] at = new int[2];
        Diagnostic read = thrown(() -> new Module("M") {{
            Vec v = inputs("a", 4, uint(8));
            at[0] = line(); output("y", uint(8)).set(v.at(Expr.u(7, 3)));
        }});
        assertError(read, at[0], "constant index 7 is outside vector 'a' of 4 elements (0..3)");
        Diagnostic write = thrown(() -> new Module("M") {{
            Vec v = wires("w", 4, uint(8));
            at[1] = line(); v.setAt(Expr.u(4, 3), Expr.u(1, 8));
        }});
        assertError(write, at[1], "constant index 4 is outside vector 'w' of 4 elements (0..3)");
    }

    @Test
    void equalityWithAConstantTheValueCannotHoldIsAnError() {
        // was accepted as a constant false (true for !=), while switchOn(...).is(9) refused the same case
        Expr u2 = Expr.u(1, 2);
        Diagnostic eq = thrown(() -> u2.eq(9)); int eqAt = line();
        Diagnostic ne = thrown(() -> Expr.s(-1, 4).ne(8)); int neAt = line();
        Diagnostic fix = thrown(() -> Expr.lit(1, HwType.ufix(4, 2)).eq(4)); int fixAt = line();
        Diagnostic sw = thrown(() -> new Module("M") {{ switchOn(input("s", uint(2))).is(9, () -> { }); }}); int swAt = line();
        assertError(eq, eqAt, "constant 9 does not fit in UInt(2): == with it is always false");
        assertError(ne, neAt, "constant 8 does not fit in SInt(4): != with it is always true");
        assertError(fix, fixAt, "constant 4 does not fit in UFix(4,2): == with it is always false");
        assertError(sw, swAt, "constant 9 does not fit in UInt(2)");
        // the largest value a type holds still compares, and an ordering compare past it stays a bound a parameter can reach
        assertEquals(HwType.bool(), u2.eq(3).type());
        assertEquals(HwType.bool(), Expr.lit(1, HwType.ufix(4, 2)).eq(3).type());
        assertEquals(HwType.bool(), u2.le(4).type());
    }

    @Test
    void memoryNeverWrittenIsAnError() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("M") {{
            Mem m = mem("m", uint(8), 4); at[0] = line();
            output("y", uint(8)).set(m.readSync("r", input("a", uint(2))));
        }});
        assertError(d, at[0], "unwritten memory: 'm' is declared but never written; a fixed table is a rom(...)");
    }

    @Test
    void moduleWithoutOutputsIsAnError() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("Sink") {{ input("a", uint(8)); }}); at[0] = line();
        assertError(d, at[0], "module Sink has no outputs, so synthesis removes all of its logic");
    }

    @Test
    void roundingConstantNeedsAShift() {
        // constant(0) was HALF_AWAY's -1 (2^-1 floored to 0, minus 1): a bias no shift by 0 has
        assertEquals("shift must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Rounding.HALF_AWAY.constant(0)).getMessage());
    }
}

package dev.qforge.dsl;

import dev.qforge.lib.AdderTree;
import dev.qforge.lib.Counter;
import dev.qforge.lib.MacPe;
import dev.qforge.lib.SyncFifo;
import dev.qforge.lib.SystolicArray;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static dev.qforge.dsl.BadDesigns.assertError;
import static dev.qforge.dsl.BadDesigns.errors;
import static dev.qforge.dsl.BadDesigns.line;
import static dev.qforge.dsl.BadDesigns.single;
import static dev.qforge.dsl.BadDesigns.thrown;
import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sfix;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad names, values, addresses, switch cases and generator parameters, each on a small design:
 * the message and the user's file:line.
 */
class DeclarationChecksTest {
    private static final String FILE = "DeclarationChecksTest.java:";

    // ---- names --------------------------------------------------------------------------------

    @Test
    void cppKeywordIsRejectedAsName() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("Bad") {{
            Signal w = wire("switch", uint(1)); at[0] = line();
            w.set(0);
            output("y", uint(1)).set(w);
        }});
        assertError(d, at[0], "name 'switch' is a C++ keyword (Verilator compiles every name into C++)");
    }

    @Test
    void verilogKeywordIsRejectedAsModuleName() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("module") {{ output("y", uint(1)).set(0); }}); at[0] = line();
        assertError(d, at[0], "module name 'module' is a Verilog keyword");
    }

    @Test
    void clockAndResetNamesAreReserved() {
        int[] at = new int[2];
        List<Diagnostic> d = errors(new Module("Bad") {{
            Signal c = input("clk", bool()); at[0] = line();
            Signal r = wire("rst", bool()); at[1] = line();
            r.set(c);
            output("y", bool()).set(r);
        }});
        assertEquals(2, d.size(), d::toString);
        assertError(d.get(0), at[0], "name 'clk' is reserved for the implicit clock/reset of every module");
        assertError(d.get(1), at[1], "name 'rst' is reserved for the implicit clock/reset of every module");
    }

    @Test
    void illegalIdentifierCharactersAreRejected() {
        int[] at = new int[4];
        List<Diagnostic> d = errors(new Module("Bad") {{
            input("a-b", bool()); at[0] = line();
            input("9lives", bool()); at[1] = line();
            input("caf\u00e9", bool()); at[2] = line();
            input("", bool()); at[3] = line();
            output("y", bool()).set(0);
        }});
        assertEquals(4, d.size(), d::toString);
        assertError(d.get(0), at[0], "name 'a-b' has '-'; use letters, digits and _");
        assertError(d.get(1), at[1], "name '9lives' must start with a letter or underscore");
        assertError(d.get(2), at[2], "name 'caf\u00e9' has '\u00e9'; use letters, digits and _");
        assertError(d.get(3), at[3], "name must not be empty");
    }

    // ---- values and types ---------------------------------------------------------------------

    @Test
    void binaryPointMismatchOnAssignment() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("Bad") {{
            Signal a = input("a", sfix(8, 2));
            Signal y = output("y", sfix(8, 4));
            y.set(a); at[0] = line();
        }});
        assertError(d, at[0], "binary point mismatch: assigning SFix(8,2) to SFix(8,4) 'y'; if 'y' should hold these bits as they are, "
                + "declare 'y' as SFix(8,2); to keep the value, add 2 fraction bits with shl(2).asFixed(4) (SFix(10,4)), then narrow it to 8 bits");
    }

    @Test
    void resetValueOutOfRange() {
        int[] at = new int[2];
        List<Diagnostic> d = errors(new Module("Bad") {{
            Signal r = reg("r", uint(4), 16); at[0] = line();
            Signal s = reg("s", sint(4), -9); at[1] = line();
            r.set(r);
            s.set(s);
            output("y", uint(4)).set(r);
            output("z", sint(4)).set(s);
        }});
        assertEquals(2, d.size(), d::toString);
        assertError(d.get(0), at[0], "reset value 16 of register 'r' does not fit in UInt(4)");
        assertError(d.get(1), at[1], "reset value -9 of register 's' does not fit in SInt(4)");
    }

    @Test
    void romEntryOutOfRange() {
        int[] at = new int[1];
        List<Diagnostic> d = errors(new Module("Bad") {{
            Signal a = input("a", uint(2));
            Rom t = rom("t", sint(4), new long[] {0, 8, -9, 7}); at[0] = line();
            output("y", sint(4)).set(t.read("t_q", a));
        }});
        assertEquals(2, d.size(), d::toString);
        assertError(d.get(0), at[0], "ROM 't' entry 1 = 8 does not fit in SInt(4)");
        assertError(d.get(1), at[0], "ROM 't' entry 2 = -9 does not fit in SInt(4)");
    }

    @Test
    void memoryAndRomAddressWidthsMustMatchTheirDepth() {
        int[] at = new int[3];
        List<Diagnostic> d = errors(new Module("Bad") {{
            Signal wide = input("wide", uint(4));
            Signal signed = input("signed_addr", sint(3));
            Mem ram = mem("ram", uint(8), 8);
            ram.write(wide, Expr.u(1, 8)); at[0] = line();
            Signal q = ram.readSync("q", signed); at[1] = line();
            Rom t = rom("t", uint(8), new long[] {1, 2, 3, 4, 5});
            Signal r = t.read("r", wide.slice(1, 0)); at[2] = line();
            output("y", uint(8)).set(q.xor(r));
        }});
        assertEquals(3, d.size(), d::toString);
        assertError(d.get(0), at[0], "address of memory 'ram' (depth 8) must be UInt(3), got UInt(4)");
        assertError(d.get(1), at[1], "address of memory 'ram' (depth 8) must be UInt(3), got SInt(3)");
        assertError(d.get(2), at[2], "address of ROM 't' (depth 5) must be UInt(3), got UInt(2)");
    }

    @Test
    void memoryWritesCheckTypeBinaryPointAndWidth() {
        int[] at = new int[3];
        List<Diagnostic> d = errors(new Module("Bad") {{
            Signal addr = input("addr", uint(2));
            Mem ram = mem("ram", sfix(8, 4), 4);
            ram.write(addr, input("half", sfix(8, 2))); at[0] = line();
            ram.write(addr, input("wide", sfix(9, 4))); at[1] = line();
            ram.write(addr, input("unsigned_data", uint(8))); at[2] = line();
            output("y", sfix(8, 4)).set(ram.readSync("q", addr));
        }});
        assertEquals(3, d.size(), d::toString);
        assertError(d.get(0), at[0], "binary point mismatch: assigning SFix(8,2) to SFix(8,4) memory 'ram'; if memory 'ram' should hold these bits "
                + "as they are, declare memory 'ram' as SFix(8,2); to keep the value, add 2 fraction bits with shl(2).asFixed(4) (SFix(10,4)), "
                + "then narrow it to 8 bits");
        assertError(d.get(1), at[1], "width mismatch: assigning a 9-bit value (SFix(9,4)) to 8-bit memory 'ram'; narrow it explicitly "
                + "with truncate(8), saturate(8) or resize(8)");
        assertError(d.get(2), at[2], "type mismatch: assigning UInt(8) to SFix(8,4) memory 'ram'; choose by what the bits mean: "
                + "toSInt() keeps the value (UInt(8) -> SInt(9): 255 stays 255), asSInt() reinterprets the bits (UInt(8) -> SInt(8): 255 becomes -1)");
    }

    @Test
    void drivingAnInputFromInsideIsAnError() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("Bad") {{
            Signal a = input("a", uint(4));
            a.set(Expr.u(3, 4)); at[0] = line();
            output("y", uint(4)).set(a);
        }});
        assertError(d, at[0], "cannot drive 'a': it is an input of Bad; it is driven from outside");
    }

    @Test
    void rangeOfTypesBeyondALongIsExactAndItsLongFormIsALocatedError() {
        assertEquals(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), uint(64).maxValue());
        assertEquals(BigInteger.ONE.shiftLeft(64).negate(), sint(65).minValue());
        assertEquals(Long.MAX_VALUE, uint(63).max());
        assertEquals(Long.MIN_VALUE, sint(64).min());
        int[] at = new int[1];
        Diagnostic d = thrown(() -> {
            at[0] = line(); uint(64).max();
        });
        assertError(d, at[0], "max() of UInt(64) does not fit in a long; use maxValue()");
    }

    // ---- switch -------------------------------------------------------------------------------

    @Test
    void aSwitchCaseListedTwiceIsAnError() {
        int[] at = new int[2];
        Diagnostic d = single(new Module("Bad") {{
            Signal s = input("s", uint(2));
            Signal y = output("y", uint(4));
            Switch sw = switchOn(s);
            sw.is(1, () -> y.set(1)); at[0] = line();
            sw.is(1, () -> y.set(2)); at[1] = line();
            sw.otherwise(() -> y.set(0));
        }});
        assertError(d, at[1], "switch case 1 is listed twice: here and at " + FILE + at[0]);
    }

    @Test
    void aSwitchCoveringEveryValueIsNoLatch() {
        Design design = Design.elaborate(new Module("Full") {{
            Signal s = input("s", uint(2));
            Signal y = output("y", uint(4));
            switchOn(s).is(0, () -> y.set(1)).is(1, () -> y.set(2)).is(2, () -> y.set(4)).is(3, () -> y.set(8));
        }});
        // The last case needs no compare: it is the else branch.
        assertTrue(design.verilog("Full").contains("end else if (s == 2'd2) begin\n            y = 4'd4;\n        end else begin\n            y = 4'd8;\n"),
                design.verilog("Full"));
    }

    @Test
    void otherwiseAfterACompleteSwitchIsAnError() {
        int[] at = new int[1];
        Diagnostic d = thrown(() -> new Module("Bad") {{
            Signal s = input("s", bool());
            Signal y = output("y", uint(4));
            Switch sw = switchOn(s).is(0, () -> y.set(1)).is(1, () -> y.set(2));
            at[0] = line(); sw.otherwise(() -> y.set(3));
        }});
        assertError(d, at[0], "switch already covers every value of its Bool selector; this otherwise would never be taken");
    }

    // ---- vectors and generator parameters -----------------------------------------------------

    @Test
    void vectorIndexOutOfRangeIsALocatedError() {
        int[] at = new int[1];
        Diagnostic d = thrown(() -> new Module("Bad") {{
            Vec v = inputs("v", 3, uint(4));
            at[0] = line(); v.get(3);
        }});
        assertError(d, at[0], "index 3 is outside vector 'v' of 3 elements (0..2)");
    }

    @Test
    void libraryBlockParameterErrorsNameTheLineThatBuiltTheBlock() {
        int[] at = new int[3];
        Diagnostic fifo = thrown(() -> {
            at[0] = line(); new SyncFifo(8, 1);
        });
        assertError(fifo, at[0], "SyncFifo depth must be >= 2, got 1");
        Diagnostic mac = thrown(() -> {
            at[1] = line(); new MacPe(8, 8, 12);
        });
        assertError(mac, at[1], "MacPe accumulator of 12 bits cannot hold an 8x8-bit product");
        Diagnostic tree = thrown(() -> {
            at[2] = line(); new AdderTree(1, uint(8));
        });
        assertError(tree, at[2], "AdderTree needs n >= 2, got 1");
        Diagnostic grid = thrown(() -> {
            at[0] = line(); new SystolicArray(0, 4, 8, 8, 32);
        });
        assertError(grid, at[0], "vector 'a_in' needs at least one element, got 0");
        Diagnostic counter = thrown(() -> {
            at[1] = line(); new Counter(0);
        });
        assertError(counter, at[1], "width must be at least 1, got 0");
    }
}

package dev.qforge.dsl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.qforge.dsl.BadDesigns.assertError;
import static dev.qforge.dsl.BadDesigns.errors;
import static dev.qforge.dsl.BadDesigns.line;
import static dev.qforge.dsl.BadDesigns.single;
import static dev.qforge.dsl.BadDesigns.thrown;
import static dev.qforge.dsl.HwType.sfix;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Messages that must not mislead: a sign mismatch explains what each conversion does, a binary-point
 * mismatch suggests what fits the case, a mistake made in a loop is reported once with a count, an
 * error that follows from an earlier one is not reported again, and a bad slice names its value.
 */
class MismatchMessagesTest {
    // ---- signed and unsigned ------------------------------------------------------------------

    @Test
    void mixingANibbleWithASignedValueExplainsBothConversions() {
        int[] at = new int[1];
        Diagnostic d = thrown(() -> new Module("Bad") {{
            Signal nibble = input("nibble", uint(4));
            Signal s = input("s", sint(4));
            at[0] = line(); nibble.plus(s);
        }});
        assertError(d, at[0], "operator + mixes UInt(4) and SInt(4); convert one side, choosing by what the bits mean: on the UInt(4) side toSInt() keeps the value (UInt(4) -> SInt(5): 15 stays 15), asSInt() reinterprets the bits (UInt(4) -> SInt(4): 15 becomes -1); or on the SInt(4) side asUInt() reinterprets the bits (SInt(4) -> UInt(4): -1 becomes 15)");
    }

    @Test
    void unsignedIntoSignedExplainsBothConversions() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("Bad") {{
            Signal nibble = input("nibble", uint(4));
            output("y", sint(4)).set(nibble); at[0] = line();
        }});
        assertError(d, at[0], "type mismatch: assigning UInt(4) to SInt(4) 'y'; choose by what the bits mean: toSInt() keeps the value (UInt(4) -> SInt(5): 15 stays 15), asSInt() reinterprets the bits (UInt(4) -> SInt(4): 15 becomes -1)");
    }

    @Test
    void signedIntoUnsignedSaysNoConversionKeepsANegativeValue() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("Bad") {{
            Signal s = input("s", sint(8));
            output("y", uint(8)).set(s); at[0] = line();
        }});
        assertError(d, at[0], "type mismatch: assigning SInt(8) to UInt(8) 'y'; choose by what the bits mean: asUInt() reinterprets the bits (SInt(8) -> UInt(8): -1 becomes 255); no conversion keeps a negative value, so declare 'y' signed if it can be negative");
    }

    /** The types and values the messages quote are what the conversions do. */
    @Test
    void theConversionsDoWhatTheMessagesSay() {
        new Module("Check") {{
            Signal nibble = input("nibble", uint(4));
            assertEquals(sint(5), nibble.toSInt().type());
            assertEquals(sint(4), nibble.asSInt().type());
            assertEquals(uint(4), input("s", sint(4)).asUInt().type());
        }};
    }

    // ---- binary point -------------------------------------------------------------------------

    @Test
    void sameWidthBinaryPointMismatchSuggestsTheDeclarationFirst() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("Bad") {{
            Signal a = input("a", sfix(8, 2));
            output("y", sfix(8, 4)).set(a); at[0] = line();
        }});
        assertError(d, at[0], "binary point mismatch: assigning SFix(8,2) to SFix(8,4) 'y'; if 'y' should hold these bits as they are, declare 'y' as SFix(8,2); to keep the value, add 2 fraction bits with shl(2).asFixed(4) (SFix(10,4)), then narrow it to 8 bits");
    }

    @Test
    void moreFractionBitsThanTheTargetSuggestTheRoundingShift() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("Bad") {{
            Signal a = input("a", sfix(16, 6));
            output("y", sfix(8, 2)).set(a); at[0] = line();
        }});
        assertError(d, at[0], "binary point mismatch: assigning SFix(16,6) to SFix(8,2) 'y'; to keep the value, drop 4 fraction bits with roundShiftRight(4, mode).asFixed(2) (SFix(13,2)), then narrow it to 8 bits");
    }

    /** Following each hint elaborates cleanly and keeps the value's scale. */
    @Test
    void theSuggestedShiftsFit() {
        Design.elaborate(new Module("Fixed") {{
            Signal a = input("a", sfix(8, 2));
            Signal b = input("b", sfix(16, 6));
            Expr up = a.shl(2).asFixed(4);
            assertEquals(sfix(10, 4), up.type());
            output("y", sfix(8, 4)).set(up.truncate(8));
            Expr down = b.roundShiftRight(4, Rounding.HALF_EVEN).asFixed(2);
            assertEquals(sfix(13, 2), down.type());
            output("z", sfix(8, 2)).set(down.saturate(8));
        }});
    }

    // ---- a mistake in a loop, and what follows from it ----------------------------------------

    @Test
    void aWrongDeclarationInALoopOfLanesIsOneError() {
        int[] at = new int[1];
        List<Diagnostic> d = errors(new Module("Lanes") {{
            Vec a = inputs("a", 8, sfix(8, 2));
            Vec p = wires("p", 8, sfix(8, 4));
            Vec y = outputs("y", 8, sfix(12, 2));
            for (int i = 0; i < 8; i++) {
                p.get(i).set(a.get(i)); at[0] = line();
                y.get(i).set(p.get(i).plus(a.get(i)));
            }
        }});
        assertEquals(1, d.size(), d::toString);
        assertError(d.get(0), at[0], "binary point mismatch: assigning SFix(8,2) to SFix(8,4) 'p_0'; if 'p' should hold these bits as they are, declare 'p' as SFix(8,2); to keep the value, add 2 fraction bits with shl(2).asFixed(4) (SFix(10,4)), then narrow it to 8 bits (8 times on this line: lanes 0..7 of 'p')");
    }

    @Test
    void repeatsOutsideAVectorListTheSignals() {
        int[] at = new int[1];
        List<Diagnostic> d = errors(new Module("Many") {{
            Signal a = input("a", uint(9));
            for (String n : List.of("x", "y", "z")) {
                output(n, uint(8)).set(a); at[0] = line();
            }
        }});
        assertEquals(1, d.size(), d::toString);
        assertError(d.get(0), at[0], "width mismatch: assigning a 9-bit value (UInt(9)) to 8-bit 'x'; narrow it explicitly with truncate(8), saturate(8) or resize(8) (3 times on this line: 'x', 'y', 'z')");
    }

    @Test
    void anUnrelatedErrorAfterACascadeIsStillReported() {
        int[] at = new int[2];
        List<Diagnostic> d = errors(new Module("Two") {{
            Signal a = input("a", uint(9));
            Signal w = wire("w", uint(8));
            w.set(a); at[0] = line();
            output("y", uint(4)).set(w);
            output("z", uint(4)).set(a.slice(7, 0)); at[1] = line();
        }});
        assertEquals(2, d.size(), d::toString);
        assertError(d.get(0), at[0], "width mismatch: assigning a 9-bit value (UInt(9)) to 8-bit 'w'; narrow it explicitly with truncate(8), saturate(8) or resize(8)");
        assertError(d.get(1), at[1], "width mismatch: assigning an 8-bit value (UInt(8)) to 4-bit 'z'; narrow it explicitly with truncate(4), saturate(4) or resize(4)");
    }

    // ---- slices -------------------------------------------------------------------------------

    @Test
    void aSliceOutOfRangeNamesItsSignal() {
        int[] at = new int[1];
        Diagnostic d = thrown(() -> new Module("Bad") {{
            Signal acc = input("acc", sint(32));
            at[0] = line(); acc.slice(32, 29);
        }});
        assertError(d, at[0], "slice [32:29] of 'acc' is outside its 32 bits (SInt(32), bits 31..0)");
    }

    @Test
    void aSliceOutOfRangeDescribesAnUnnamedValue() {
        int[] at = new int[1];
        Diagnostic d = thrown(() -> new Module("Bad") {{
            Signal a = input("a", sint(16));
            Signal b = input("b", sint(16));
            at[0] = line(); a.times(b).bit(40);
        }});
        assertError(d, at[0], "bit 40 of (a * b) is outside its 32 bits (SInt(32), bits 31..0)");
    }

    @Test
    void aSliceWithItsBoundsSwappedSaysSo() {
        int[] at = new int[1];
        Diagnostic d = thrown(() -> new Module("Bad") {{
            Signal a = input("a", uint(8));
            at[0] = line(); a.slice(2, 5);
        }});
        assertError(d, at[0], "slice [2:5] of 'a' names its high bit last; write slice(5, 2)");
    }
}

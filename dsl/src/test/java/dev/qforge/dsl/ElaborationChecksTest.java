package dev.qforge.dsl;

import dev.qforge.lib.MacPe;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.qforge.dsl.BadDesigns.errors;
import static dev.qforge.dsl.BadDesigns.line;
import static dev.qforge.dsl.BadDesigns.single;
import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every elaboration check, each on a small bad design: the message and the user's file:line. */
class ElaborationChecksTest {
    private static final String FILE = "ElaborationChecksTest.java:";

    private static void assertAt(Diagnostic d, int line) {
        assertEquals(FILE + line, d.where().toString(), () -> "reported at the wrong place: " + d);
    }

    @Test
    void wideValueIntoNarrowSignalIsAWidthMismatch() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("Bad") {{
            Signal a = input("a", uint(8));
            Signal y = output("y", uint(8));
            y.set(a.plus(a)); at[0] = line();
        }});
        assertAt(d, at[0]);
        assertEquals("width mismatch: assigning a 9-bit value (UInt(9)) to 8-bit 'y'; narrow it explicitly with truncate(8), "
                + "saturate(8) or resize(8)", d.message());
    }

    @Test
    void signedIntoUnsignedIsATypeMismatch() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("Bad") {{
            Signal a = input("a", sint(8));
            Signal y = output("y", uint(8));
            y.set(a); at[0] = line();
        }});
        assertAt(d, at[0]);
        assertEquals("type mismatch: assigning SInt(8) to UInt(8) 'y'; choose by what the bits mean: asUInt() reinterprets the bits "
                + "(SInt(8) -> UInt(8): -1 becomes 255); no conversion keeps a negative value, so declare 'y' signed if it can be negative", d.message());
    }

    @Test
    void narrowValueIsExtendedWithoutError() {
        Design.elaborate(new Module("Ok") {{
            Signal a = input("a", sint(4));
            Signal y = output("y", sint(8));
            y.set(a);
        }});
    }

    @Test
    void undrivenOutputWireAndRegisterAreEachReported() {
        int[] at = new int[3];
        List<Diagnostic> d = errors(new Module("Bad") {{
            output("y", uint(8)); at[0] = line();
            wire("w", uint(8)); at[1] = line();
            reg("r", uint(8), 0); at[2] = line();
        }});
        assertEquals(3, d.size(), d::toString);
        assertEquals("undriven output: 'y' is declared but never assigned", d.get(0).message());
        assertAt(d.get(0), at[0]);
        assertEquals("undriven wire: 'w' is declared but never assigned", d.get(1).message());
        assertAt(d.get(1), at[1]);
        assertEquals("undriven register: 'r' is declared but never assigned", d.get(2).message());
        assertAt(d.get(2), at[2]);
    }

    @Test
    void twoDriversNameBothPlaces() {
        int[] at = new int[2];
        Diagnostic d = single(new Module("Bad") {{
            Signal a = input("a", uint(8));
            Signal y = output("y", uint(8));
            y.set(a); at[0] = line();
            y.set(a.not()); at[1] = line();
        }});
        assertAt(d, at[1]);
        assertEquals("multiple drivers: 'y' is assigned here and already at " + FILE + at[0] + " on the same path", d.message());
    }

    @Test
    void assigningTwiceInOneBranchIsTwoDrivers() {
        int[] at = new int[2];
        Diagnostic d = single(new Module("Bad") {{
            Signal c = input("c", bool());
            Signal y = output("y", uint(8));
            y.set(0);
            when(c, () -> {
                y.set(1); at[0] = line();
                y.set(2); at[1] = line();
            });
        }});
        assertAt(d, at[1]);
        assertTrue(d.message().contains("already at " + FILE + at[0]), d.message());
    }

    @Test
    void defaultThenOverrideInWhenIsOneDriver() {
        Design.elaborate(new Module("Ok") {{
            Signal c = input("c", bool());
            Signal d = input("d", bool());
            Signal y = output("y", uint(8));
            y.set(0);
            when(c, () -> y.set(1)).elsewhen(d, () -> y.set(2));
        }});
    }

    @Test
    void whenWithoutOtherwiseOnAWireIsALatch() {
        int[] at = new int[2];
        Diagnostic d = single(new Module("Bad") {{
            Signal c = input("c", bool());
            Signal y = output("y", uint(8));
            when(c, () -> {
                y.set(1); at[1] = line();
            }); at[0] = line() - 2;
        }});
        assertAt(d, at[1]);
        assertEquals("latch: output 'y' is not assigned on every path (assigned at " + FILE + at[1] + " inside the when at "
                + FILE + at[0] + "); assign a default before the when, or add an otherwise", d.message());
    }

    @Test
    void everyBranchAssignedIsNoLatch() {
        Design.elaborate(new Module("Ok") {{
            Signal c = input("c", bool());
            Signal d = input("d", bool());
            Signal y = output("y", uint(8));
            when(c, () -> y.set(1)).elsewhen(d, () -> y.set(2)).otherwise(() -> y.set(3));
        }});
    }

    @Test
    void registerInWhenWithoutOtherwiseHoldsItsValue() {
        Design.elaborate(new Module("Ok") {{
            Signal c = input("c", bool());
            Signal r = reg("r", uint(8), 0);
            Signal y = output("y", uint(8));
            when(c, () -> r.set(r.plus(1).truncate(8)));
            y.set(r);
        }});
    }

    @Test
    void combinationalLoopPrintsItsPath() {
        int[] at = new int[2];
        Diagnostic d = single(new Module("Bad") {{
            Signal a = input("a", uint(8));
            Signal x = wire("x", uint(8));
            Signal z = wire("z", uint(8));
            Signal y = output("y", uint(8));
            x.set(z.xor(a)); at[0] = line();
            z.set(x.not()); at[1] = line();
            y.set(z);
        }});
        String m = d.message();
        assertTrue(m.startsWith("combinational loop: x -> z -> x") || m.startsWith("combinational loop: z -> x -> z"), m);
        assertTrue(m.contains("'x' assigned at " + FILE + at[0]), m);
        assertTrue(m.contains("'z' assigned at " + FILE + at[1]), m);
    }

    @Test
    void registerBreaksALoop() {
        Design.elaborate(new Module("Ok") {{
            Signal r = reg("r", uint(8), 0);
            Signal x = wire("x", uint(8));
            Signal y = output("y", uint(8));
            x.set(r.not());
            r.set(x);
            y.set(r);
        }});
    }

    /** A pass-through submodule: its output depends combinationally on its input. */
    static final class Pass extends Module {
        final Signal i;
        final Signal o;

        Pass() {
            super("Pass");
            i = input("i", uint(4));
            o = output("o", uint(4));
            o.set(i.not());
        }
    }

    @Test
    void loopThroughASubmoduleIsFound() {
        int[] at = new int[2];
        Diagnostic d = single(new Module("Bad") {{
            Pass p = new Pass();
            Instance<Pass> u = instance("u", p); at[0] = line();
            u.io(p.i).set(u.io(p.o)); at[1] = line();
            output("y", uint(4)).set(u.io(p.o));
        }});
        assertAt(d, at[0]);
        assertEquals("combinational loop: u_i -> u_o -> u_i\n"
                + "    'u_i' assigned at " + FILE + at[1] + "\n"
                + "    'u_o' comes from instance at " + FILE + at[0], d.message());
    }

    @Test
    void unconnectedSubmoduleInputNamesPortAndInstance() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("Bad") {{
            Pass p = new Pass();
            Instance<Pass> u = instance("u", p); at[0] = line();
            output("y", uint(4)).set(u.io(p.o));
        }});
        assertAt(d, at[0]);
        assertEquals("unconnected input: port 'i' of instance 'u' (Pass) is not driven", d.message());
    }

    @Test
    void nameClashNamesBothDeclarations() {
        int[] at = new int[2];
        List<Diagnostic> d = errors(new Module("Bad") {{
            Signal a = input("a", uint(8)); at[0] = line();
            Signal w = wire("a", uint(8)); at[1] = line();
            w.set(a);
            output("y", uint(8)).set(w);
        }});
        assertEquals(1, d.size(), d::toString);
        assertAt(d.get(0), at[1]);
        assertEquals("name clash: 'a' is declared twice in module Bad, first at " + FILE + at[0], d.get(0).message());
    }

    @Test
    void verilogKeywordIsRejectedAsName() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("Bad") {{
            Signal w = wire("reg", uint(1)); at[0] = line();
            w.set(0);
            output("y", uint(1)).set(w);
        }});
        assertAt(d, at[0]);
        assertEquals("name 'reg' is a Verilog keyword", d.message());
    }

    @Test
    void readingAnotherModulesPortIsAnError() {
        int[] at = new int[1];
        Diagnostic d = single(new Module("Bad") {{
            Pass p = new Pass();
            Instance<Pass> u = instance("u", p);
            u.io(p.i).set(0);
            output("y", uint(4)).set(p.o); at[0] = line();
        }});
        assertAt(d, at[0]);
        assertTrue(d.message().startsWith("'o' belongs to module Pass, not to Bad"), d.message());
    }

    @Test
    void errorsAreCollectedAndReportedTogether() {
        int[] at = new int[3];
        ElaborationException e = assertThrows(ElaborationException.class, () -> Design.elaborate(new Module("Bad") {{
            Signal a = input("a", uint(8));
            output("y", uint(4)).set(a); at[0] = line();
            wire("unused_wire", uint(2)); at[1] = line();
            wire("module", uint(2)).set(0); at[2] = line();
        }}));
        assertEquals(3, e.diagnostics().size(), e::getMessage);
        for (int l : at) {
            assertTrue(e.getMessage().contains(FILE + l), () -> "missing line " + l + " in\n" + e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("3 design errors:"), e.getMessage());
    }

    @Test
    void twoDifferentModulesWithOneNameNameBothPlaces() {
        int[] at = new int[2];
        Diagnostic d = single(new Module("Top") {{
            Module a = new Module("Same") {{ output("y", uint(4)).set(1); }}; at[0] = line();
            Module b = new Module("Same") {{ output("y", uint(4)).set(2); }}; at[1] = line();
            output("ya", uint(4)).set(instance("ua", a).io("y"));
            output("yb", uint(4)).set(instance("ub", b).io("y"));
        }});
        assertAt(d, at[1]);
        assertEquals("two different modules are both named Same, created at " + FILE + at[0] + " and at " + FILE + at[1]
                + "; a generator's module name must state every parameter that changes its hardware", d.message());
    }

    @Test
    void aModuleNameConflictIsReportedWithTheOtherErrors() {
        int[] at = new int[2];
        List<Diagnostic> d = errors(new Module("Top") {{
            Module a = new Module("Same") {{ output("y", uint(4)).set(1); }};
            Module b = new Module("Same") {{ output("y", uint(4)).set(2); }}; at[0] = line();
            output("ya", uint(4)).set(instance("ua", a).io("y"));
            output("yb", uint(4)).set(instance("ub", b).io("y"));
            wire("loose", uint(2)); at[1] = line();
        }});
        assertEquals(2, d.size(), d::toString);
        assertAt(d.get(0), at[0]);
        assertTrue(d.get(0).message().startsWith("two different modules are both named Same"), d.get(0).message());
        assertAt(d.get(1), at[1]);
        assertEquals("undriven wire: 'loose' is declared but never assigned", d.get(1).message());
    }

    @Test
    void identicalGeneratorsBuiltTwiceEmitOneModule() {
        Design design = Design.elaborate(new Module("Top") {{
            MacPe first = new MacPe(8, 8, 32);
            MacPe second = new MacPe(8, 8, 32);
            Instance<MacPe> u0 = instance("u0", first);
            Instance<MacPe> u1 = instance("u1", second);
            u0.io(first.aIn).set(input("a", sint(8)));
            u0.io(first.wIn).set(input("w", sint(8)));
            Signal load = input("load", bool());
            u0.io(first.wLoad).set(load);
            u0.io(first.psumIn).set(Expr.s(0, 32));
            u1.io(second.aIn).set(u0.io(first.aOut));
            u1.io(second.wIn).set(u0.io(first.wOut));
            u1.io(second.wLoad).set(load);
            u1.io(second.psumIn).set(u0.io(first.psumOut));
            output("psum", sint(32)).set(u1.io(second.psumOut));
        }});
        assertEquals(List.of("MacPe_s8xs8_acc32", "Top"), List.copyOf(design.verilog().keySet()));
        assertEquals("MacPe_s8xs8_acc32.v\nTop.v\n", design.fileList());
        String top = design.verilog("Top");
        assertTrue(top.contains("MacPe_s8xs8_acc32 u0 (") && top.contains("MacPe_s8xs8_acc32 u1 ("), top);
    }

    @Test
    void mixingSignedAndUnsignedFailsAtTheLineThatDoesIt() {
        int[] at = new int[1];
        ElaborationException e = assertThrows(ElaborationException.class, () -> new Module("Bad") {{
            Signal a = input("a", uint(8));
            Signal b = input("b", sint(8));
            at[0] = line(); a.plus(b);
        }});
        assertAt(e.diagnostics().get(0), at[0]);
        assertTrue(e.getMessage().contains("operator + mixes UInt(8) and SInt(8)"), e.getMessage());
    }
}

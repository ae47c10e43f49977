package dev.qforge.dsl;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Helpers for tests of bad designs: where the test wrote a line, and the errors a design gives. */
final class BadDesigns {
    private BadDesigns() { }

    /** The line number of the caller, to pin where a test wrote the bad statement. */
    static int line() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst().orElseThrow().getLineNumber());
    }

    /** That {@code d} is {@code message} at line {@code line} of the calling test's file. */
    static void assertError(Diagnostic d, int line, String message) {
        String file = StackWalker.getInstance().walk(f -> f.skip(1).findFirst().orElseThrow().getFileName());
        assertEquals(file + ":" + line + ": " + message, d.toString());
    }

    /** The errors Design.elaborate reports for {@code m}. */
    static List<Diagnostic> errors(Module m) {
        return assertThrows(ElaborationException.class, () -> Design.elaborate(m)).diagnostics();
    }

    /** The one error Design.elaborate reports for {@code m}. */
    static Diagnostic single(Module m) {
        List<Diagnostic> d = errors(m);
        assertEquals(1, d.size(), () -> "expected one error, got " + d);
        return d.get(0);
    }

    /** The one error thrown while a design is built, at the line that does it. */
    static Diagnostic thrown(Runnable build) {
        List<Diagnostic> d = assertThrows(ElaborationException.class, build::run).diagnostics();
        assertEquals(1, d.size(), d::toString);
        return d.get(0);
    }
}

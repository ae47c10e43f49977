package dev.qforge.dsl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.qforge.dsl.BadDesigns.errors;
import static dev.qforge.dsl.BadDesigns.line;
import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A generator building a row of registers from one line (a pipeline) captures the location once and
 * passes it to {@code reg(..., at)} and {@code when(cond, at, ...)}: the registers, their loads and
 * their errors are all reported there.
 */
class PassedLocationTest {
    private static final String FILE = "PassedLocationTest.java:";

    @Test
    void registersTheirLoadsAndTheirErrorsAreAtThePassedLocation() {
        int[] at = new int[1];
        Signal[] regs = new Signal[2];
        Module row = new Module("Row") {{
            Signal d = input("d", uint(4));
            Signal en = input("en", bool());
            SourceLocation here = SourceLocation.capture(); at[0] = line();
            regs[0] = reg("q", uint(4), here);
            regs[1] = reg("v", bool(), 2, here); // a reset value that does not fit
            when(en, here, () -> connect(regs[0], d, here));
            connect(regs[1], en, here);
            connect(reg("q", bool(), here), en, here); // a name clash
            output("y", uint(4)).set(regs[0]);
        }};
        String here = FILE + at[0];
        assertEquals(here, regs[0].declaredAt().toString());
        assertEquals(here, regs[1].declaredAt().toString());
        Stmt.If load = (Stmt.If) row.body().stmts().get(0);
        assertEquals(here, load.at().toString());
        assertEquals(here, load.then().stmts().get(0).at().toString());

        List<Diagnostic> d = errors(row);
        assertEquals(List.of("reset value 2 of register 'v' does not fit in " + bool(),
                "name clash: 'q' is declared twice in module Row, first at " + here), d.stream().map(Diagnostic::message).toList());
        d.forEach(e -> assertEquals(here, e.where().toString(), e::message));
    }
}

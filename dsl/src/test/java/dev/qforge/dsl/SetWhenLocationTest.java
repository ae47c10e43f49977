package dev.qforge.dsl;

import org.junit.jupiter.api.Test;

import static dev.qforge.dsl.BadDesigns.line;
import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code setWhen} captures its location once (a pipeline stage each) for both statements it builds: the user's line. */
class SetWhenLocationTest {
    @Test
    void theConditionalAndTheLoadAreAtTheLineThatCallsSetWhen() {
        int[] at = new int[1];
        Module m = new Module("Pipe") {{
            Signal en = input("en", bool());
            Signal d = input("d", uint(4));
            Signal q = reg("q", uint(4));
            at[0] = line(); q.setWhen(en, d);
            output("o", uint(4)).set(q);
        }};
        String here = "SetWhenLocationTest.java:" + at[0];
        Stmt.If load = (Stmt.If) m.body().stmts().get(0);
        assertEquals(here, load.at().toString());
        assertEquals(1, load.then().stmts().size());
        assertEquals(here, load.then().stmts().get(0).at().toString());
    }
}

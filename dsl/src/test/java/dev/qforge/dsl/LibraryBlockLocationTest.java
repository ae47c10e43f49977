package dev.qforge.dsl;

import dev.qforge.lib.SystolicArray;
import org.junit.jupiter.api.Test;

import static dev.qforge.dsl.BadDesigns.line;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A library block reports everything it builds at the user's line that built it; SystolicArray
 * passes that location along (one stack walk) instead of capturing it per PE and connection.
 */
class LibraryBlockLocationTest {
    @Test
    void everyInstanceAndConnectionOfASystolicArrayIsAtTheLineThatBuiltIt() {
        int at = line(); SystolicArray grid = new SystolicArray(3, 2, 8, 8, 32);
        String here = "LibraryBlockLocationTest.java:" + at;
        assertEquals(here, grid.createdAt().toString());
        assertEquals(6, grid.instances().size());
        for (Instance<?> inst : grid.instances()) {
            assertEquals(here, inst.createdAt().toString(), inst.name());
        }
        assertEquals(6 * 4 + 2, grid.body().stmts().size()); // four inputs per PE, one output per column
        for (Stmt s : grid.body().stmts()) {
            assertEquals(here, s.at().toString(), ((Stmt.Assign) s).target().name());
        }
    }
}

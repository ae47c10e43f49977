package dev.qforge.dsl;

import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.lib.Counter;
import dev.qforge.lib.SystolicArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writing RTL never destroys a file the user wrote, and does not leave stale generated files. */
class WriteTest {
    @Test
    void aHandWrittenFileWithAModulesNameIsNotOverwritten(@TempDir Path dir) throws Exception {
        Path mine = dir.resolve("Counter_w8.v");
        Files.writeString(mine, "module Counter_w8; // my own\nendmodule\n");
        OutputFolder.Refused e = assertThrows(OutputFolder.Refused.class, () -> Design.elaborate(new Counter(8)).write(dir));
        assertEquals("refusing to overwrite " + mine + ": qforge did not write it", e.getMessage());
        assertEquals("module Counter_w8; // my own\nendmodule\n", Files.readString(mine));
        assertEquals(List.of(mine), Files.list(dir).toList(), "nothing else is written");
    }

    @Test
    void aForeignFilelistIsNotOverwritten(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("filelist.f"), "top.v\n");
        Files.writeString(dir.resolve("top.v"), "module top; endmodule\n");
        OutputFolder.Refused e = assertThrows(OutputFolder.Refused.class, () -> Design.elaborate(new Counter(8)).write(dir));
        assertEquals("refusing to overwrite " + dir.resolve("filelist.f") + ": qforge did not write it", e.getMessage());
        assertEquals("top.v\n", Files.readString(dir.resolve("filelist.f")));
        assertTrue(Files.exists(dir.resolve("top.v")));
    }

    @Test
    void regeneratingRemovesModulesTheDesignNoLongerHasAndKeepsOtherFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Design.elaborate(new SystolicArray(2, 2, 8, 8, 32)).write(dir);
        assertTrue(Files.exists(dir.resolve("MacPe_s8xs8_acc32.v")));
        Design.elaborate(new Counter(8)).write(dir);
        assertFalse(Files.exists(dir.resolve("MacPe_s8xs8_acc32.v")));
        assertFalse(Files.exists(dir.resolve("SystolicArray.v")));
        assertEquals("Counter_w8.v\n", Files.readString(dir.resolve("filelist.f")));
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void aGeneratedFileTheUserEditedIsRefusedByName(@TempDir Path dir) throws Exception {
        Design.elaborate(new Counter(8)).write(dir);
        Design.elaborate(new Counter(8)).write(dir); // a rerun over qforge's own output
        Path edited = dir.resolve("Counter_w8.v");
        Files.writeString(edited, Files.readString(edited) + "// my fix\n");
        OutputFolder.Refused e = assertThrows(OutputFolder.Refused.class, () -> Design.elaborate(new Counter(8)).write(dir));
        assertEquals("refusing to overwrite " + edited + ": it changed since qforge wrote it", e.getMessage());
        assertTrue(Files.readString(edited).endsWith("// my fix\n"));
    }
}

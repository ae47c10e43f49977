package dev.qforge.dsl;

import dev.qforge.lib.SystolicArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The same design, built twice from scratch, gives byte-identical files. */
class DeterminismTest {
    @Test
    void emittingTwiceGivesIdenticalBytes(@TempDir Path first, @TempDir Path second) throws Exception {
        List<Path> a = Design.elaborate(new SystolicArray(6, 5, 8, 8, 32)).write(first);
        List<Path> b = Design.elaborate(new SystolicArray(6, 5, 8, 8, 32)).write(second);
        assertEquals(a.stream().map(Path::getFileName).toList(), b.stream().map(Path::getFileName).toList());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), "differs: " + a.get(i).getFileName());
        }
        assertEquals("MacPe_s8xs8_acc32.v\nSystolicArray.v\n", Files.readString(first.resolve("filelist.f")));
    }

    @Test
    void operatorZooIsStableToo() {
        assertEquals(Design.elaborate(new OperatorZoo()).verilog(), Design.elaborate(new OperatorZoo()).verilog());
    }
}

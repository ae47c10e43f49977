package dev.qforge.maven;

import dev.qforge.testbenches.junit.Cosim;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bitstream goal writes the folder `qforge fpga` writes, and names a bad board or option. */
@Cosim(tools = {"yosys", "nextpnr-ice40", "icepack"})
class BitstreamMojoTest {
    private static BitstreamMojo mojo(String board, Map<String, String> options, Path out) throws ReflectiveOperationException {
        BitstreamMojo m = new BitstreamMojo();
        set(m, "board", board);
        set(m, "options", options);
        set(m, "gemms", 0);
        set(m, "outputDirectory", out.toFile());
        return m;
    }

    private static void set(Object o, String field, Object value) throws ReflectiveOperationException {
        var f = BitstreamMojo.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(o, value);
    }

    @Test
    void writesTheBoardFolder(@TempDir Path tmp) throws Exception {
        mojo("icebreaker", null, tmp).execute();
        assertTrue(Files.size(tmp.resolve("fpga-icebreaker/icebreaker.bin")) > 100_000);
        assertTrue(Files.readString(tmp.resolve("fpga-icebreaker/README.md")).contains("## The UART protocol"));
    }

    @Test
    void writesTheVivadoKitOfAZynqBoardAndRefusesAnEngineTooLargeForIt(@TempDir Path tmp) throws Exception {
        mojo("zcu104", null, tmp).execute();
        assertTrue(Files.readString(tmp.resolve("fpga-zcu104/build.tcl")).contains("\nset part xczu7ev-ffvc1156-2-e\n"));
        assertTrue(Files.readString(tmp.resolve("fpga-zcu104/README.md")).contains("has not been run on a board"));
        MojoFailureException e = assertThrows(MojoFailureException.class,
                () -> mojo("pynq-z2", Map.of("rows", "32", "cols", "32"), tmp).execute());
        assertTrue(e.getMessage().startsWith("qforge bitstream: the design does not fit the TUL PYNQ-Z2"), e.getMessage());
    }

    @Test
    void aBadBoardOrOptionIsNamed(@TempDir Path tmp) throws Exception {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> mojo("icebraker", null, tmp).execute());
        assertEquals("qforge bitstream: unknown board 'icebraker' (did you mean icebreaker?); boards: pynq-z2, zcu104, kv260, icebreaker, hx8k",
                e.getMessage());
        e = assertThrows(MojoFailureException.class, () -> mojo("hx8k", Map.of("rows", "0"), tmp).execute());
        assertTrue(e.getMessage().startsWith("qforge bitstream: option rows "), e.getMessage());
        e = assertThrows(MojoFailureException.class, () -> mojo("hx8k", Map.of("result", "fp32"), tmp).execute());
        assertEquals("qforge bitstream: option result applies only with group scales: set group (e.g. 128) or leave result out", e.getMessage());
    }
}

package dev.qforge.fpga.vivado;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.fpga.board.ZynqBoard;
import dev.qforge.fpga.shell.AxiShell;
import dev.qforge.fpga.shell.AxisStream;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Resources;
import dev.qforge.generators.systolic.GemmEngineBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit folder of each Zynq board with its default engine, and an engine too large for the part, refused by how much. */
class VivadoBringUpTest {
    @ParameterizedTest
    @EnumSource(ZynqBoard.class)
    void theDefaultEngineFitsAndItsKitFolderIsComplete(ZynqBoard board, @TempDir Path dir) throws Exception {
        GemmEngineBlock engine = VivadoBringUp.engine(board, Map.of());
        assertEquals("ws_8x8_s8xs8_acc22_m64k64n64_rqsgl", engine.config().shortName()); // the demo's engine
        List<String> log = new ArrayList<>();
        VivadoKit kit = VivadoBringUp.build(board, engine, OutputFolder.at(dir), log::add);
        String design = kit.shell().designName();
        assertEquals("gemm_" + board.id().replace('-', '_'), design);
        for (String f : kit.files().keySet()) {
            assertEquals(kit.files().get(f), Files.readString(dir.resolve(f)), f);
        }
        String readme = Files.readString(dir.resolve("README.md"));
        assertTrue(readme.contains("**This flow has not been run on a board, nor in Vivado**"), readme);
        assertTrue(readme.contains("    vivado -mode batch -source build.tcl\n"), readme);
        // the interrupt lines as build.tcl wires them: the shell's first, then dma0's channels
        String irq = board.ps() == ZynqBoard.Ps.ZYNQMP ? "pl_ps_irq0" : "IRQ_F2P";
        assertTrue(readme.contains("| `dma0` | MM2S | `s_axis_cfg` | 16 | `" + irq + "[1]` |"), readme);
        assertTrue(readme.matches("(?s).*\\| `dma0` \\| S2MM \\| `m_axis_out` \\| \\d+ \\| `" + irq + "\\[2]` \\|.*"), readme);
        assertTrue(readme.contains("The shell's own interrupt (`irq`, see `regmap.md`) is `" + irq + "[0]`, a line of its own.\n"), readme);
        assertTrue(readme.contains("    shell = Shell(\"" + design + ".bit\")"), readme);
        for (String driver : List.of("qforge_shell.py", "regmap.py", "design.py", "regmap.h", "qf_shell.c", "regmap.md")) {
            assertTrue(Files.isRegularFile(dir.resolve(driver)), driver);
        }
        assertTrue(readme.contains("part " + board.part()), readme);
        assertTrue(log.get(0).contains("in the AXI shell on the " + board.title() + " (" + board.part() + "): estimated "), log.toString());

        // the FuseSoC core of the shell lists exactly the kit's Verilog, the shell's top as toplevel
        JsonNode core = new ObjectMapper(new YAMLFactory()).readTree(dir.resolve(design + ".core").toFile());
        List<String> files = new ArrayList<>();
        core.path("filesets").path("rtl").path("files").forEach(f -> files.add(f.asText()));
        assertEquals(new TreeSet<>(kit.files().keySet().stream().filter(f -> f.endsWith(".v")).toList()), new TreeSet<>(files));
        assertEquals(kit.shell().topName(), core.path("targets").path("lint").path("toplevel").asText());
    }

    @Test
    void anOptionThatClashesWithTheBoardsDefaultNamesTheDefault() {
        // the Zynq default requantizes, which MX engines (float results) cannot: the error says the board set it, and how to drop it
        InvalidOption e = assertThrows(InvalidOption.class,
                () -> VivadoBringUp.engine(ZynqBoard.PYNQ_Z2, Map.of("act", "mxfp8_e4m3", "weight", "mxfp4")));
        assertEquals("requant", e.option());
        assertTrue(e.problem().endsWith("(the board's default engine sets --requant tflite; give --requant none with these options)"), e.getMessage());
        GemmEngineBlock mx = VivadoBringUp.engine(ZynqBoard.PYNQ_Z2, Map.of("act", "mxfp8_e4m3", "weight", "mxfp4", "requant", "none"));
        assertTrue(mx.config().mx() != null, mx.config().shortName());
        // a clash among the user's own options is reported as it is
        InvalidOption own = assertThrows(InvalidOption.class,
                () -> VivadoBringUp.engine(ZynqBoard.PYNQ_Z2, Map.of("act", "mxfp8_e4m3", "weight", "mxfp4", "requant", "gemmlowp")));
        assertFalse(own.getMessage().contains("default engine"), own.getMessage());
    }

    @Test
    void anEngineTooLargeForThePartIsRefusedByHowMuch(@TempDir Path dir) {
        GemmEngineBlock big = VivadoBringUp.engine(ZynqBoard.PYNQ_Z2, Map.of("rows", "32", "cols", "32"));
        Resources estimate = dev.qforge.generators.report.Estimator.estimate(AxiShell.around(big).design())
                .get(ZynqBoard.PYNQ_Z2.target()).total();
        long dsps = estimate.get(Resource.DSP);
        assertTrue(dsps >= 32 * 32, "one multiplier a processing element: " + dsps);
        VivadoBringUp.DoesNotFit e = assertThrows(VivadoBringUp.DoesNotFit.class,
                () -> VivadoBringUp.build(ZynqBoard.PYNQ_Z2, big, OutputFolder.at(dir), line -> { }));
        assertTrue(e.getMessage().startsWith("the design does not fit the TUL PYNQ-Z2 (Zynq-7000 XC7Z020): it needs an estimated "), e.getMessage());
        assertTrue(e.getMessage().contains(String.format("%,d DSP slices where the xc7z020clg400-1 has 220 (%,d too many, %.0f%%)",
                dsps, dsps - 220, 100.0 * dsps / 220)), e.getMessage());
        assertTrue(e.getMessage().endsWith("; choose a smaller engine (fewer rows/columns, narrower types, smaller max shapes)"));
        assertFalse(Files.exists(dir.resolve("build.tcl")), "nothing is written for a design that does not fit");
        // the larger part has the DSPs, but the requantization stream (32 lanes' multipliers and shifts) is wider than an AXI DMA's TDATA
        VivadoBringUp.DoesNotFit d = assertThrows(VivadoBringUp.DoesNotFit.class,
                () -> VivadoBringUp.requireFits(ZynqBoard.ZCU104, AxiShell.around(big)));
        AxisStream quant = AxiShell.around(big).streams().stream().filter(st -> st.name().equals("quant")).findFirst().orElseThrow();
        assertEquals(512, quant.bytes());
        assertEquals("stream s_axis_quant is 512 bytes wide, more than the 128 bytes (1024-bit TDATA) an AXI DMA moves; choose fewer lanes "
                + "(rows/columns) or narrower types", d.getMessage());
    }
}

package dev.qforge.fpga.fusesoc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.qforge.dsl.Design;
import dev.qforge.fpga.RequiresTools;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.process.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CAPI2 core of a generated design, read back as YAML (fusesoc itself is not in this machine's
 * package index): its name, file set, targets and parameters; every file it lists is one the design
 * writes; and what its lint and sim targets run (Verilator -Wall, Icarus) passes on those files
 * with the core's defines.
 */
class FuseSocCoreTest {
    private static final GemmEngineBlock ENGINE = new GemmEngineBlock("gemm_ws_2x2", SystolicConfig.int8(2, 2, 8, 8, 8, false));

    @Test
    void theCoreListsTheDesignsFilesTargetsAndParameters(@TempDir Path dir) throws Exception {
        Design design = Design.elaborate(ENGINE.top());
        String text = FuseSocCore.of(ENGINE.designName(), design, ENGINE.parameters());
        assertTrue(text.startsWith("CAPI=2:\n"), text); // FuseSoC reads the first line as the format tag
        assertEquals(text, FuseSocCore.of(ENGINE.designName(), Design.elaborate(ENGINE.top()), ENGINE.parameters()));
        JsonNode core = new ObjectMapper(new YAMLFactory()).readTree(text);

        assertEquals("qforge:generated:gemm_ws_2x2:0", core.path("name").asText());
        JsonNode rtl = core.path("filesets").path("rtl");
        assertEquals("verilogSource", rtl.path("file_type").asText());
        design.write(dir);
        List<String> files = new ArrayList<>();
        rtl.path("files").forEach(f -> files.add(f.asText()));
        assertEquals(Files.readString(dir.resolve(Design.FILE_LIST)).lines().toList(), files);

        List<String> targets = new ArrayList<>();
        core.path("targets").fieldNames().forEachRemaining(targets::add);
        assertEquals(FuseSocCore.TARGETS, targets);
        for (String t : targets) {
            assertEquals(design.top().name(), core.path("targets").path(t).path("toplevel").asText(), t);
            assertEquals("rtl", core.path("targets").path(t).path("filesets").path(0).asText(), t);
            assertEquals(ENGINE.parameters().size(), core.path("targets").path(t).path("parameters").size(), t);
        }
        assertEquals("verilator", core.path("targets").path("lint").path("default_tool").asText());
        assertEquals("lint-only", core.path("targets").path("lint").path("tools").path("verilator").path("mode").asText());
        assertEquals("icarus", core.path("targets").path("sim").path("default_tool").asText());
        assertEquals("ice40", core.path("targets").path("synth").path("tools").path("yosys").path("arch").asText());

        JsonNode params = core.path("parameters");
        assertEquals(ENGINE.parameters().size(), params.size());
        assertEquals("2", ENGINE.parameters().get("rows"));
        assertEquals("int", params.path("QFORGE_ROWS").path("datatype").asText());
        assertEquals(2, params.path("QFORGE_ROWS").path("default").asInt());
        assertEquals("vlogdefine", params.path("QFORGE_ROWS").path("paramtype").asText());
        for (Map.Entry<String, String> p : ENGINE.parameters().entrySet()) {
            assertEquals(p.getValue(), params.path(FuseSocCore.define(p.getKey())).path("default").asText(), p.getKey());
        }
    }

    @Test
    void whatTheLintAndSimTargetsRunPassesOnTheListedFiles(@TempDir Path dir) throws Exception {
        RequiresTools.require("verilator", "iverilog");
        Design design = Design.elaborate(ENGINE.top());
        design.write(dir);
        JsonNode core = new ObjectMapper(new YAMLFactory()).readTree(FuseSocCore.of(ENGINE.designName(), design, ENGINE.parameters()));
        List<String> files = new ArrayList<>();
        core.path("filesets").path("rtl").path("files").forEach(f -> files.add(f.asText()));
        List<String> defines = new ArrayList<>();
        core.path("parameters").fields().forEachRemaining(p -> defines.add("+define+" + p.getKey() + "=" + p.getValue().path("default").asText()));

        List<String> lint = new ArrayList<>(List.of(Tools.require("verilator").toString(), "--lint-only", "-Wall", "--top-module",
                core.path("targets").path("lint").path("toplevel").asText()));
        lint.addAll(defines);
        lint.addAll(files);
        Processes.Result l = Processes.run(lint, dir, Map.of(), dir.resolve("lint.log"), Duration.ofMinutes(5));
        assertEquals("", l.output().strip());
        assertEquals(0, l.exitCode());

        List<String> sim = new ArrayList<>(List.of(Tools.require("iverilog").toString(), "-g2005", "-s",
                core.path("targets").path("sim").path("toplevel").asText(), "-o", "sim.vvp"));
        defines.forEach(d -> sim.add("-D" + d.substring("+define+".length())));
        sim.addAll(files);
        Processes.Result s = Processes.run(sim, dir, Map.of(), dir.resolve("sim.log"), Duration.ofMinutes(5));
        assertEquals(0, s.exitCode(), s.output());
    }

    @Test
    void parametersThatNameTheSameDefineAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FuseSocCore.defines(new java.util.LinkedHashMap<>(Map.of("act-type", "int8", "act_type", "int4"))));
        assertTrue(e.getMessage().startsWith("generator parameters [act"), e.getMessage());
        assertEquals("\"a \\\"b\\\" \\\\ c\\n\"", FuseSocCore.quote("a \"b\" \\ c\n"));
    }
}

package dev.qforge.fpga.vivado;

import dev.qforge.fpga.board.ZynqBoard;
import dev.qforge.fpga.shell.AxiShell;
import dev.qforge.fpga.shell.AxisStream;
import dev.qforge.fpga.shell.ShellPort;
import dev.qforge.fpga.shell.driver.DriverFiles;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.testbenches.process.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vivado kit, checked short of running Vivado (not on this machine): build.tcl and the XDC
 * files run in tclsh against stubs of the Vivado commands listed, with their options, in
 * ug835-commands.txt (any other command or option fails); every file they reference is in the kit;
 * the port list build.tcl checks the packaged IP against is the RTL top's; and a step that leaves
 * no output stops the build with an error naming it.
 */
class VivadoKitTest {
    /** A 2x2 int8 engine with a bias stream: four input streams and one output, a DMA each. */
    private static final AxiShell SHELL = AxiShell.around(new GemmEngineBlock("gemm_2x2", SystolicConfig.int8(2, 2, 8, 8, 8, true)));

    @ParameterizedTest
    @EnumSource(ZynqBoard.class)
    void buildTclCallsOnlyListedVivadoCommandsAndBuildsEveryPart(ZynqBoard board, @TempDir Path dir) throws Exception {
        VivadoKit kit = new VivadoKit(board, SHELL);
        Processes.Result r = runStubbed(kit, dir, "");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("qforge: done: " + dir.resolve("out").resolve("gemm_2x2.bit")), r.output());
        List<String> calls = Files.readAllLines(dir.resolve(VivadoStubs.CALLS));
        assertTrue(calls.contains("create_project -force qforge_ip " + dir.resolve("work/ip_project") + " -part " + board.part()), calls.toString());
        assertTrue(calls.contains("ipx::package_project -root_dir " + dir.resolve("work/ip") + " -vendor qforge.dev -library qforge -taxonomy /qforge "
                + "-import_files -set_current true"), calls.toString());
        assertTrue(calls.contains("synth_design -mode out_of_context -top " + SHELL.topName() + " -part " + board.part()));
        assertTrue(calls.contains("create_bd_cell -type ip -vlnv xilinx.com:ip:" + (board.ps() == ZynqBoard.Ps.ZYNQMP ? "zynq_ultra_ps_e" : "processing_system7")
                + " ps"));
        // the instance names the drivers look up in the overlay
        assertTrue(calls.contains("create_bd_cell -type ip -vlnv qforge.dev:qforge:" + SHELL.topName() + ":1.0 shell"));
        assertEquals(List.of("s_axis_cfg", "s_axis_wgt", "s_axis_bias", "s_axis_act", "m_axis_out"),
                SHELL.streams().stream().map(AxisStream::bus).toList());
        // input stream k and output stream k share dma<k>, as the drivers look them up: cfg and out on dma0
        for (String dma : List.of("dma0", "dma1", "dma2", "dma3")) {
            assertTrue(calls.contains("create_bd_cell -type ip -vlnv xilinx.com:ip:axi_dma " + dma), dma);
        }
        assertEquals(4, calls.stream().filter(c -> c.contains("xilinx.com:ip:axi_dma")).count());
        assertTrue(calls.contains("connect_bd_intf_net dma3/M_AXIS_MM2S shell/s_axis_act"), calls.toString());
        assertTrue(calls.contains("connect_bd_intf_net shell/m_axis_out dma0/S_AXIS_S2MM"), calls.toString());
        // every stream of the shell is connected once, its DMA channel at its TDATA width
        for (AxisStream s : SHELL.streams()) {
            String pin = "shell/" + s.bus();
            assertEquals(1, calls.stream().filter(c -> c.startsWith("connect_bd_intf_net ") && c.contains(" " + pin)).count(), pin);
            // and its memory-map width no narrower (PG021: Vivado refuses a wider stream)
            String width = (s.input() ? "CONFIG.c_m_axi_mm2s_data_width " + Math.max(32, 8 * s.bytes()) + " CONFIG.c_m_axis_mm2s_tdata_width "
                    : "CONFIG.c_m_axi_s2mm_data_width " + Math.max(32, 8 * s.bytes()) + " CONFIG.c_s_axis_s2mm_tdata_width ") + 8 * s.bytes();
            assertTrue(calls.stream().anyMatch(c -> c.startsWith("set_property -dict {") && c.contains(width) && c.endsWith(" " + DriverFiles.dmaName(s))),
                    width);
        }
        assertTrue(calls.contains("connect_bd_intf_net ctrl/M00_AXI shell/s_axi"), calls.toString());
        assertTrue(calls.contains("connect_bd_net shell/irq irqs/In0"));
        assertTrue(calls.contains("connect_bd_net dma0/s2mm_introut irqs/In2"), calls.toString());
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("write_hw_platform -fixed -include_bit -force -file " + dir.resolve("out/gemm_2x2.xsa"))));
        assertTrue(calls.contains("create_clock -period 10.000 -name aclk aclk"), calls.toString());
        assertTrue(Files.exists(dir.resolve("out/gemm_2x2.hwh")));
    }

    @Test
    void aStepWithoutItsOutputStopsTheBuildNamingIt(@TempDir Path dir) throws Exception {
        VivadoKit kit = new VivadoKit(ZynqBoard.PYNQ_Z2, SHELL);
        Map<String, String> expected = Map.of(
                "no-bitstream", "qforge: write_bitstream did not produce " + dir.resolve("no-bitstream/stub/runs/system_wrapper.bit"),
                "no-xsa", "qforge: write_hw_platform did not produce " + dir.resolve("no-xsa/out/gemm_2x2.xsa"),
                "no-hwh", "qforge: generate_target (the hardware handoff) did not produce " + dir.resolve("no-hwh/stub/system.hwh"),
                "run-failed", "qforge: run synth_1 did not complete (status 'synth_design ERROR', progress 100%); see "
                        + dir.resolve("run-failed/stub/runs") + "/runme.log",
                "ports-differ", "qforge: the packaged IP's ports (");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Processes.Result r = runStubbed(kit, dir.resolve(e.getKey()), e.getKey());
            assertEquals(1, r.exitCode(), e.getKey() + ": " + r.output());
            assertTrue(r.output().startsWith(e.getValue()), e.getKey() + ": " + r.output());
        }
    }

    @Test
    void theStubsRefuseACommandOrAnOptionOutsideTheList(@TempDir Path dir) throws Exception {
        VivadoKit kit = new VivadoKit(ZynqBoard.ZCU104, SHELL);
        String tcl = kit.buildTcl();
        Processes.Result option = runStubbed(kit, dir.resolve("option"), "", tcl.replace("-set_current true", "-set_current true -bogus"));
        assertEquals(1, option.exitCode());
        assertTrue(option.output().startsWith("stub: ipx::package_project takes no option -bogus (ug835-commands.txt)"), option.output());
        Processes.Result command = runStubbed(kit, dir.resolve("command"), "", tcl.replace("validate_bd_design\n", "validate_bd_designs\n"));
        assertEquals(1, command.exitCode());
        assertTrue(command.output().startsWith("invalid command name \"validate_bd_designs\""), command.output());
    }

    @Test
    void theKitReferencesOnlyItsOwnFilesAndChecksTheIpAgainstTheRtlPorts() {
        VivadoKit kit = new VivadoKit(ZynqBoard.KV260, SHELL);
        Map<String, String> files = kit.files();
        // deterministic: the same design gives the same files, byte for byte
        assertEquals(files, new VivadoKit(ZynqBoard.KV260,
                AxiShell.around(new GemmEngineBlock("gemm_2x2", SystolicConfig.int8(2, 2, 8, 8, 8, true)))).files());
        String tcl = files.get(VivadoKit.BUILD_TCL);
        Matcher rtl = Pattern.compile("\nset rtl \\{([^}]*)}").matcher(tcl);
        assertTrue(rtl.find());
        Set<String> referenced = new TreeSet<>(List.of(rtl.group(1).split(" ")));
        Matcher joined = Pattern.compile("\\[file join \\$kit ([^\\]]+)]").matcher(tcl);
        while (joined.find()) {
            referenced.add(joined.group(1));
        }
        referenced.remove("$f"); // each of $rtl
        referenced.removeAll(List.of("out", "work")); // the folders the build writes
        assertTrue(referenced.containsAll(List.of("ooc.xdc", "kv260.xdc", SHELL.topName() + ".v")), referenced.toString());
        for (String f : referenced) {
            assertTrue(files.containsKey(f), f + " is referenced by build.tcl but not in the kit " + files.keySet());
        }
        assertEquals(new TreeSet<>(files.keySet().stream().filter(f -> f.endsWith(".v")).toList()),
                new TreeSet<>(List.of(rtl.group(1).split(" "))));

        // the port list build.tcl checks the packaged IP against, and the top module of the RTL
        Matcher list = Pattern.compile("\nset ip_ports \\{\n(.*?)\n}", Pattern.DOTALL).matcher(tcl);
        assertTrue(list.find());
        List<String> inTcl = list.group(1).lines().map(String::strip).toList();
        String top = files.get(SHELL.topName() + ".v");
        Matcher header = Pattern.compile("module " + SHELL.topName() + " \\((.*?)\\);", Pattern.DOTALL).matcher(top);
        assertTrue(header.find());
        List<String> inRtl = new ArrayList<>();
        Matcher port = Pattern.compile("(input|output) +wire +(?:\\[(\\d+):0] )?(\\w+)").matcher(header.group(1));
        while (port.find()) {
            inRtl.add("{" + port.group(3) + " " + (port.group(1).equals("input") ? "in" : "out") + " "
                    + (port.group(2) == null ? 1 : Integer.parseInt(port.group(2)) + 1) + "}");
        }
        assertEquals(inRtl, inTcl);
        assertTrue(inRtl.contains("{s_axi_awaddr in " + SHELL.registers().addressBits() + "}"), inRtl.toString());
        assertTrue(inRtl.contains("{irq out 1}"));
        for (ShellPort p : SHELL.ports()) {
            assertTrue(p.bus() == null || tcl.contains(" " + p.bus()), p.bus());
        }
    }

    /** The kit written to {@code dir}, its build.tcl (or {@code buildTcl} in its place) run in tclsh against the stubs with {@code fault}. */
    private static Processes.Result runStubbed(VivadoKit kit, Path dir, String fault) throws IOException {
        return runStubbed(kit, dir, fault, kit.buildTcl());
    }

    private static Processes.Result runStubbed(VivadoKit kit, Path dir, String fault, String buildTcl) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> f : kit.files().entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getKey().equals(VivadoKit.BUILD_TCL) ? buildTcl : f.getValue());
        }
        return VivadoStubs.run(dir, kit.boardXdc(), fault);
    }
}

package dev.qforge.fpga.vivado;

import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Module;
import dev.qforge.fpga.board.ZynqBoard;
import dev.qforge.fpga.shell.AxiShell;
import dev.qforge.fpga.shell.AxisStream;
import dev.qforge.fpga.shell.ShellPort;
import dev.qforge.fpga.shell.driver.DriverFiles;
import dev.qforge.generators.report.Resources;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.testbenches.process.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vivado kit, checked short of running Vivado (not on this machine): build.tcl and the XDC
 * files run in tclsh against stubs of the Vivado commands listed, with their options, in
 * ug835-commands.txt (any other command or option fails), the block design commands on a model of
 * the design that fails where Vivado's IP integrator would (each rule shown by the kit's build.tcl
 * with one edit that breaks it); every file they reference is in the kit; the port list build.tcl
 * checks the packaged IP against is the RTL top's; and a step that leaves no output stops the build
 * with an error naming it.
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

    /** {@code n} 8-bit streams in, each passed to a stream out: {@code n} DMAs with both channels. */
    static final class PassThrough extends Module {
        PassThrough(int n) {
            super("PassThrough" + n);
            for (int i = 0; i < n; i++) {
                output("out" + i + "_valid", HwType.bool()).set(input("in" + i + "_valid", HwType.bool()));
                output("in" + i + "_ready", HwType.bool()).set(input("out" + i + "_ready", HwType.bool()));
                output("out" + i + "_data", HwType.uint(8)).set(input("in" + i + "_data", HwType.uint(8)));
            }
        }
    }

    @Test
    void moreInterfacesThanASmartConnectHasGoThroughASecondLevel(@TempDir Path dir) throws Exception {
        // 16 DMAs: 17 register slaves (the shell's first) and 32 memory ports, a SmartConnect has at most 16 a side (PG247)
        VivadoKit kit = new VivadoKit(ZynqBoard.ZCU104, AxiShell.around("lanes", new PassThrough(16), Map.of()));
        List<String> calls = callsOfAGoodBuild(kit, dir);
        List<String> interconnects = calls.stream().filter(c -> c.startsWith("set_property -dict {CONFIG.NUM_SI")).toList();
        assertEquals(List.of("set_property -dict {CONFIG.NUM_SI 1 CONFIG.NUM_MI 2} ctrl", "set_property -dict {CONFIG.NUM_SI 1 CONFIG.NUM_MI 16} ctrl0",
                "set_property -dict {CONFIG.NUM_SI 1 CONFIG.NUM_MI 1} ctrl1", "set_property -dict {CONFIG.NUM_SI 2 CONFIG.NUM_MI 1} data",
                "set_property -dict {CONFIG.NUM_SI 16 CONFIG.NUM_MI 1} data0", "set_property -dict {CONFIG.NUM_SI 16 CONFIG.NUM_MI 1} data1"), interconnects);
        assertTrue(calls.contains("connect_bd_intf_net ctrl0/M00_AXI shell/s_axi"), calls.toString());
        assertTrue(calls.contains("connect_bd_intf_net ctrl1/M00_AXI dma15/S_AXI_LITE"), calls.toString());
        assertTrue(calls.contains("connect_bd_intf_net dma15/M_AXI_S2MM data1/S15_AXI"), calls.toString());
        assertTrue(calls.contains("connect_bd_intf_net data1/M00_AXI data/S01_AXI"), calls.toString());
    }

    /** 4 and 8 lanes: 9 and 17 interrupts (the shell's and a DMA channel's each), past pl_ps_irq0's 8 and IRQ_F2P's 16 lines. */
    private static final AxiShell LANES_4 = AxiShell.around("lanes", new PassThrough(4), Map.of());
    private static final AxiShell LANES_8 = AxiShell.around("lanes", new PassThrough(8), Map.of());

    @Test
    void pastTheLinesOfTheFirstPsInterruptInputAnMpsocKitUsesTheSecond(@TempDir Path dir) throws Exception {
        VivadoKit kit = new VivadoKit(ZynqBoard.ZCU104, LANES_4);
        assertEquals(List.of("pl_ps_irq0[0]", "pl_ps_irq0[1]", "pl_ps_irq0[2]", "pl_ps_irq0[3]", "pl_ps_irq0[4]", "pl_ps_irq0[5]", "pl_ps_irq0[6]",
                "pl_ps_irq0[7]", "pl_ps_irq1[0]"), kit.interruptLines().stream().map(Object::toString).toList());
        List<String> calls = callsOfAGoodBuild(kit, dir);
        assertTrue(calls.stream().anyMatch(c -> c.contains(" CONFIG.PSU__USE__IRQ0 1 CONFIG.PSU__USE__IRQ1 1 ") && c.endsWith(" ps")), calls.toString());
        assertTrue(calls.contains("set_property -dict {CONFIG.NUM_PORTS 8} irqs"), calls.toString());
        assertTrue(calls.contains("set_property -dict {CONFIG.NUM_PORTS 1} irqs1"), calls.toString());
        assertTrue(calls.contains("connect_bd_net dma3/s2mm_introut irqs1/In0"), calls.toString());
        assertTrue(calls.contains("connect_bd_net irqs1/dout ps/pl_ps_irq1"), calls.toString());
        assertEquals(0, calls.stream().filter(c -> c.contains("util_reduced_logic")).count(), "no line is shared");
    }

    @Test
    void pastThePsInterruptLinesTheDmaChannelsShareLinesOrEd(@TempDir Path dir) throws Exception {
        // 17 interrupts on IRQ_F2P's 16 lines: dma7's two channels OR-ed onto the last
        VivadoKit z7 = new VivadoKit(ZynqBoard.PYNQ_Z2, LANES_8);
        List<VivadoKit.InterruptLine> lines = z7.interruptLines();
        assertEquals(16, lines.size());
        assertEquals(new VivadoKit.InterruptLine("IRQ_F2P", 0, List.of("shell/irq")), lines.get(0));
        assertEquals(new VivadoKit.InterruptLine("IRQ_F2P", 14, List.of("dma6/s2mm_introut")), lines.get(14));
        assertEquals(new VivadoKit.InterruptLine("IRQ_F2P", 15, List.of("dma7/mm2s_introut", "dma7/s2mm_introut")), lines.get(15));
        List<String> calls = callsOfAGoodBuild(z7, dir.resolve("z7"));
        for (String call : List.of("set_property -dict {CONFIG.NUM_PORTS 16} irqs", "create_bd_cell -type ip -vlnv xilinx.com:ip:util_reduced_logic irq15_or",
                "set_property -dict {CONFIG.C_SIZE 2 CONFIG.C_OPERATION or} irq15_or", "connect_bd_net irq15/dout irq15_or/Op1",
                "connect_bd_net irq15_or/Res irqs/In15", "connect_bd_net dma7/mm2s_introut irq15/In0", "connect_bd_net dma7/s2mm_introut irq15/In1",
                "connect_bd_net irqs/dout ps/IRQ_F2P")) {
            assertTrue(calls.contains(call), call + " in " + calls);
        }
        String readme = VivadoReadme.of(z7, Resources.none(), "qforge fpga --board pynq-z2");
        assertTrue(readme.contains("| `dma7` | S2MM | `m_axis_out7` | 1 | `IRQ_F2P[15]`, shared |"), readme);
        assertTrue(readme.contains("| `dma6` | S2MM | `m_axis_out6` | 1 | `IRQ_F2P[14]` |"), readme);
        assertTrue(readme.contains("The PS has 16 fabric interrupt lines and the design 17 interrupts, so some DMA channels share a line:"
                + " a line marked shared is the OR of the channels the table puts on it."), readme);

        // 33 on an MPSoC's 16: the shell's alone, the 32 channels in runs of 2 and 3 over the other 15, in the DMAs' order
        VivadoKit mpsoc = new VivadoKit(ZynqBoard.ZCU104, AxiShell.around("lanes", new PassThrough(16), Map.of()));
        List<VivadoKit.InterruptLine> shared = mpsoc.interruptLines();
        assertEquals(16, shared.size());
        assertEquals(List.of(1, 2, 2, 2, 2, 2, 2, 2, 3, 2, 2, 2, 2, 2, 2, 3), shared.stream().map(l -> l.sources().size()).toList());
        assertEquals(List.of("dma7/mm2s_introut", "dma7/s2mm_introut", "dma8/mm2s_introut"), shared.get(8).sources());
        assertEquals("pl_ps_irq1[0]", shared.get(8).toString());
        calls = callsOfAGoodBuild(mpsoc, dir.resolve("mpsoc"));
        assertEquals(15, calls.stream().filter(c -> c.startsWith("set_property -dict {CONFIG.C_SIZE ") && c.contains(" CONFIG.C_OPERATION or} irq")).count());
        assertTrue(calls.contains("connect_bd_net irq8_or/Res irqs1/In0"), calls.toString());
        assertTrue(calls.contains("connect_bd_net dma15/s2mm_introut irq15/In2"), calls.toString());
    }

    /** A rule of the stubs' block design model and the kit's build.tcl (of {@code shell}) with one edit that breaks it. */
    record Broken(String rule, ZynqBoard board, AxiShell shell, String from, String to, String error) {
        Broken(String rule, ZynqBoard board, String from, String to, String error) {
            this(rule, board, SHELL, from, to, error);
        }

        static Broken duplicated(String rule, ZynqBoard board, String line, String error) {
            return new Broken(rule, board, line, line + line, error);
        }

        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Broken> brokenBlockDesigns() {
        String ctrl = "create_bd_cell -type ip -vlnv xilinx.com:ip:smartconnect ctrl\n";
        String register = "connect_bd_intf_net [get_bd_intf_pins ctrl/M00_AXI] [get_bd_intf_pins shell/s_axi]\n";
        String irq = "connect_bd_net [get_bd_pins shell/irq] [get_bd_pins irqs/In0]\n";
        return Stream.of(
                Broken.duplicated("a cell's name is new", ZynqBoard.PYNQ_Z2, ctrl,
                        "stub: create_bd_cell ctrl: the block design already has an object named 'ctrl'; a cell's name is new (UG835)"),
                new Broken("a cell's VLNV is in the IP catalog", ZynqBoard.PYNQ_Z2, "xilinx.com:ip:axi_dma dma1", "xilinx.com:ip:axi_dmaa dma1",
                        "stub: create_bd_cell dma1: IP definition not found for VLNV: xilinx.com:ip:axi_dmaa (Vivado: [BD 5-390])"),
                new Broken("a cell is created in an open block design", ZynqBoard.PYNQ_Z2, "create_bd_design system\n", "",
                        "stub: create_bd_cell: no block design is open (create_bd_design first)"),
                new Broken("a port's name is new (make_external made DDR)", ZynqBoard.PYNQ_Z2, "set ps_clk ps/FCLK_CLK0\n",
                        "create_bd_intf_port -mode Master -vlnv xilinx.com:interface:ddrx_rtl:1.0 DDR\nset ps_clk ps/FCLK_CLK0\n",
                        "stub: create_bd_intf_port DDR: the block design already has an object named 'DDR'; a port's name is new (UG835)"),
                new Broken("a net's pins exist", ZynqBoard.PYNQ_Z2, "[get_bd_pins irqs/In0]", "[get_bd_pins irqs/In9]",
                        "stub: connect_bd_net shell/irq: connect_bd_net takes at least two pins/ports, or one pin/port and a net (Vivado: [BD 41-701]);"
                                + " nothing matched 'get_bd_pins irqs/In9'"),
                new Broken("an interface pin's cell exists", ZynqBoard.PYNQ_Z2, "[get_bd_intf_pins dma3/M_AXIS_MM2S]", "[get_bd_intf_pins dma4/M_AXIS_MM2S]",
                        "stub: connect_bd_intf_net shell/s_axis_act: connect_bd_intf_net takes two interface pins/ports"
                                + " (Vivado: [BD 5-106] arguments cannot be empty); nothing matched 'get_bd_intf_pins dma4/M_AXIS_MM2S'"),
                new Broken("a PS pin exists only when its CONFIG enables it", ZynqBoard.PYNQ_Z2, "CONFIG.PCW_USE_S_AXI_HP0 {1} ", "",
                        "stub: connect_bd_intf_net data/M00_AXI: connect_bd_intf_net takes two interface pins/ports"
                                + " (Vivado: [BD 5-106] arguments cannot be empty); nothing matched 'get_bd_intf_pins ps/S_AXI_HP0'"),
                Broken.duplicated("an interface pin is on one interface net", ZynqBoard.ZCU104, register,
                        "stub: connect_bd_intf_net ctrl/M00_AXI: is already connected by interface net 'ctrl_M00_AXI' (ctrl/M00_AXI to shell/s_axi);"
                                + " an interface net joins one master to one slave"),
                new Broken("an interface net joins a master to a slave of one bus type", ZynqBoard.ZCU104, "[get_bd_intf_pins shell/s_axi]",
                        "[get_bd_intf_pins shell/m_axis_out]",
                        "stub: connect_bd_intf_net ctrl/M00_AXI shell/m_axis_out: cannot join aximm Master to axis Master:"
                                + " an interface net joins a master to a slave of one bus type"),
                new Broken("a pin is on one net", ZynqBoard.KV260, "set resets {shell/aresetn ctrl/aresetn", "set resets {shell/aresetn ctrl/aclk",
                        "stub: connect_bd_net reset/peripheral_aresetn ctrl/aclk: the objects are on different nets"
                                + " (reset/peripheral_aresetn on 'reset_peripheral_aresetn', ctrl/aclk on 'ps_pl_clk0'); a pin or port is on one net"),
                new Broken("a net has one driver", ZynqBoard.KV260, "[get_bd_pins reset/ext_reset_in]", "[get_bd_pins reset/peripheral_aresetn]",
                        "stub: connect_bd_net ps/pl_resetn0 reset/peripheral_aresetn: the net would have two drivers, ps/pl_resetn0 and"
                                + " reset/peripheral_aresetn; a net has one driver"),
                Broken.duplicated("pins are connected once", ZynqBoard.PYNQ_Z2, irq,
                        "stub: connect_bd_net shell/irq irqs/In0: already connected by net 'shell_irq'"),
                new Broken("a property is set on an object", ZynqBoard.PYNQ_Z2, "[get_bd_cells irqs]", "[get_bd_cells irq]",
                        "stub: set_property: CONFIG.NUM_PORTS is set on no object (Vivado: [Common 17-55] 'set_property' expects at least one object);"
                                + " nothing matched 'get_bd_cells irq'"),
                new Broken("a DMA's stream is no wider than its memory map", ZynqBoard.PYNQ_Z2, "CONFIG.c_m_axi_s2mm_data_width {128} ", "",
                        "stub: set_property dma0: CONFIG.c_s_axis_s2mm_tdata_width 128 is out of range"
                                + " (8 to the memory-map width CONFIG.c_m_axi_s2mm_data_width 32; PG021)"),
                new Broken("a SmartConnect has at most 16 master interfaces", ZynqBoard.KV260, "CONFIG.NUM_MI {5}", "CONFIG.NUM_MI {17}",
                        "stub: set_property ctrl: CONFIG.NUM_MI 17 is out of range (1 to 16; PG247)"),
                new Broken("an address goes to an existing segment", ZynqBoard.ZCU104, "assign_bd_address\n",
                        "assign_bd_address [get_bd_addr_segs shell/s_axi/reg0]\nassign_bd_address [get_bd_addr_segs shell/s_axi/reg1]\n",
                        "stub: assign_bd_address: assign_bd_address needs an existing segment; nothing matched 'get_bd_addr_segs shell/s_axi/reg1'"),
                new Broken("every clock input is driven", ZynqBoard.ZCU104, "CONFIG.PSU__USE__M_AXI_GP1 {0} ", "",
                        "stub: validate_bd_design ps/maxihpm1_fpd_aclk: the clock pin is not connected to a valid clock source (Vivado: [BD 41-758])"),
                // the kit before interrupt lines were shared: one concat of them all into the PS's interrupt input
                new Broken("a concat is no wider than IRQ_F2P's 16 lines", ZynqBoard.PYNQ_Z2, "CONFIG.NUM_PORTS {6}", "CONFIG.NUM_PORTS {17}",
                        "stub: connect_bd_net irqs/dout ps/IRQ_F2P: ps/IRQ_F2P takes 1 to 16 bits, the net 'irqs_dout' is 17 wide;"
                                + " Vivado only warns ([BD 41-235]) and connects the lower bits, so the others are lost"),
                new Broken("a concat is no wider than pl_ps_irq0's 8 lines", ZynqBoard.ZCU104, "CONFIG.NUM_PORTS {6}", "CONFIG.NUM_PORTS {9}",
                        "stub: connect_bd_net irqs/dout ps/pl_ps_irq0: ps/pl_ps_irq0 takes 1 to 8 bits, the net 'irqs_dout' is 9 wide;"
                                + " Vivado only warns ([BD 41-235]) and connects the lower bits, so the others are lost"),
                new Broken("a net's pins are one width", ZynqBoard.PYNQ_Z2, "CONFIG.NUM_PORTS {6}", "CONFIG.NUM_PORTS {6} CONFIG.IN0_WIDTH {2}",
                        "stub: connect_bd_net shell/irq irqs/In0: the net 'shell_irq' joins pins of different widths (shell/irq 1, irqs/In0 2 bits);"
                                + " Vivado only warns ([BD 41-235]) and connects the lower bits, so the others are lost"),
                new Broken("a net's widths are checked again at validation", ZynqBoard.PYNQ_Z2, "connect_bd_net [get_bd_pins irqs/dout] [get_bd_pins $ps_irq]\n",
                        "connect_bd_net [get_bd_pins irqs/dout] [get_bd_pins $ps_irq]\nset_property CONFIG.IN0_WIDTH {2} [get_bd_cells irqs]\n",
                        "stub: validate_bd_design shell/irq irqs/In0: the net 'shell_irq' joins pins of different widths (shell/irq 1, irqs/In0 2 bits);"
                                + " Vivado only warns ([BD 41-235]) and connects the lower bits, so the others are lost"),
                new Broken("a concat has at most 128 inputs", ZynqBoard.KV260, "CONFIG.NUM_PORTS {6}", "CONFIG.NUM_PORTS {129}",
                        "stub: set_property irqs: CONFIG.NUM_PORTS 129 is out of range (1 to 128; xlconcat 2.1)"),
                new Broken("pl_ps_irq1 exists only when its CONFIG enables it", ZynqBoard.ZCU104, LANES_4, "CONFIG.PSU__USE__IRQ1 {1} ", "",
                        "stub: connect_bd_net irqs1/dout: connect_bd_net takes at least two pins/ports, or one pin/port and a net"
                                + " (Vivado: [BD 41-701]); nothing matched 'get_bd_pins ps/pl_ps_irq1'"),
                new Broken("a reduced logic reduces at least 2 bits", ZynqBoard.PYNQ_Z2, LANES_8, "CONFIG.C_SIZE {2}", "CONFIG.C_SIZE {1}",
                        "stub: set_property irq15_or: CONFIG.C_SIZE 1 is out of range (at least 2; UG994)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBlockDesigns")
    void theStubsFailABrokenBlockDesignWhereVivadoWould(Broken broken, @TempDir Path dir) throws Exception {
        VivadoKit kit = new VivadoKit(broken.board(), broken.shell());
        String tcl = kit.buildTcl();
        assertEquals(tcl.indexOf(broken.from()), tcl.lastIndexOf(broken.from()), "one place to break: " + broken.from());
        assertTrue(tcl.contains(broken.from()), broken.from());
        Processes.Result r = runStubbed(kit, dir, "", tcl.replace(broken.from(), broken.to()));
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().startsWith(broken.error() + "\n"), r.output());
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

    /** The stubs' calls of the kit's build.tcl, run in {@code dir} without a fault, which must succeed. */
    private static List<String> callsOfAGoodBuild(VivadoKit kit, Path dir) throws IOException {
        Processes.Result r = runStubbed(kit, dir, "");
        assertEquals(0, r.exitCode(), r.output());
        return Files.readAllLines(dir.resolve(VivadoStubs.CALLS));
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

package dev.qforge.fpga.shell;

import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Design;
import dev.qforge.fpga.shell.driver.DriverFiles;
import dev.qforge.generators.BlockInfo;
import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.Registry;
import dev.qforge.testbenches.verilator.PortLayout;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell's public description: port list as the top's Verilog declares it, interfaces, refusals, determinism. */
class AxiShellTest {
    /** A block with a port outside any stream. */
    static final class Counter extends Module {
        Counter() {
            super("Counter8");
            Signal en = input("en", HwType.bool());
            Signal q = output("q", HwType.uint(8));
            Signal c = reg("c", HwType.uint(8), 0);
            when(en, () -> c.set(c.plus(1).truncate(8)));
            q.set(c);
        }
    }

    @Test
    void aPortOutsideAnyStreamIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AxiShell.around("c", new Counter(), Map.of()));
        assertEquals("the AXI shell carries valid/ready streams only, but port 'en' of Counter8 belongs to no stream (a stream is X_valid, "
                + "X_ready and its X_... payload ports)", e.getMessage());
    }

    @Test
    void portsAreTheTopsDeclarationsGroupedIntoInterfaces() {
        AxiShell shell = ShellDesigns.gemm();
        String top = shell.verilog().get(shell.topName() + ".v");
        Matcher m = Pattern.compile("^    (input|output) +wire (?:\\[(\\d+):0\\] )?(\\w+),?$", Pattern.MULTILINE).matcher(top);
        List<String> declared = new ArrayList<>();
        while (m.find()) {
            declared.add(m.group(3) + " " + m.group(1) + " " + (m.group(2) == null ? 1 : Integer.parseInt(m.group(2)) + 1));
        }
        assertEquals(declared, shell.ports().stream().map(p -> p.name() + " " + (p.input() ? "input" : "output") + " " + p.width()).toList());
        assertEquals(List.of("s_axi", "s_axis_cfg", "s_axis_wgt", "s_axis_bias", "s_axis_act", "m_axis_out"),
                shell.ports().stream().map(ShellPort::bus).filter(b -> b != null).distinct().toList());
        ShellPort tlast = shell.ports().stream().filter(p -> p.name().equals("m_axis_out_tlast")).findFirst().orElseThrow();
        assertEquals("TLAST", tlast.signal());
        assertEquals(List.of("aclk", "aresetn", "irq"), shell.ports().stream().filter(p -> p.bus() == null).map(ShellPort::name).toList());
    }

    /** Every registered generator's default block is all valid/ready streams, so each gets a shell whose streams are its own. */
    @Test
    void everyRegisteredGeneratorGetsAShell() {
        for (Generator g : Registry.all()) {
            BlockInfo block = g.build(g.name(), Map.of());
            AxiShell shell = AxiShell.around(block);
            PortLayout ports = PortLayout.of(Design.elaborate(block.top()));
            List<String> streams = new ArrayList<>();
            ports.inStreams().forEach(s -> streams.add("s_axis_" + s.name()));
            ports.outStreams().forEach(s -> streams.add("m_axis_" + s.name()));
            assertEquals(streams, shell.streams().stream().map(AxisStream::bus).toList(), g.name());
            for (AxisStream s : shell.streams()) {
                assertEquals(Integer.highestOneBit(s.bytes()), s.bytes(), s.bus() + " of " + g.name() + ": a power of two bytes");
                assertTrue(8 * s.bytes() >= s.format().bits() && 4 * s.bytes() < Math.max(8, s.format().bits()), s.bus() + " of " + g.name());
            }
        }
    }

    @Test
    void everyOutputIsByteIdenticalFromRunToRun() {
        assertEquals(ShellDesigns.gemm().verilog(), ShellDesigns.gemm().verilog());
        assertEquals(DriverFiles.of(ShellDesigns.dequant()), DriverFiles.of(ShellDesigns.dequant()));
    }
}

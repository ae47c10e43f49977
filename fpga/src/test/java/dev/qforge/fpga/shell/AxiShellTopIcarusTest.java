package dev.qforge.fpga.shell;

import dev.qforge.fpga.shell.regmap.RegisterMap;
import dev.qforge.testbenches.junit.Cosim;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shell's top as a vendor tool instantiates it (the co-simulation runs its core), in Icarus,
 * the second simulator: {@code aresetn} is active low, and a CONTROL.SOFT_RESET write, once
 * answered, resets the core's registers through the top's reset.
 */
@Cosim(tools = {"iverilog"})
class AxiShellTopIcarusTest {
    @Test
    void aresetnAndSoftResetResetTheCore(@TempDir Path dir) throws Exception {
        AxiShell shell = ShellDesigns.dequant();
        RegisterMap map = shell.registers();
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> f : shell.verilog().entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
            files.add(f.getKey());
        }
        StringBuilder pins = new StringBuilder();
        for (ShellPort p : shell.ports()) {
            String v = p.name().startsWith("s_axi_") || p.name().equals("aclk") || p.name().equals("aresetn") ? p.name()
                    : p.input() ? (p.signal().equals("TREADY") ? "1'b1" : p.width() + "'d0") : "";
            pins.append(pins.length() > 0 ? ",\n" : "").append("        .").append(p.name()).append('(').append(v).append(')');
        }
        int enable = map.register(ShellRegisters.INTR_ENABLE).offset();
        int control = map.register(ShellRegisters.CONTROL).offset();
        String tb = """
                `timescale 1ns/1ps
                module tb;
                    reg aclk = 0;
                    always #5 aclk = ~aclk;
                    reg aresetn = 0;
                    reg [@AW@:0] s_axi_awaddr = 0, s_axi_araddr = 0;
                    reg s_axi_awvalid = 0, s_axi_wvalid = 0, s_axi_bready = 0, s_axi_arvalid = 0, s_axi_rready = 0;
                    reg [31:0] s_axi_wdata = 0;
                    reg [3:0] s_axi_wstrb = 4'hF;
                    wire s_axi_awready, s_axi_wready, s_axi_bvalid, s_axi_arready, s_axi_rvalid;
                    wire [1:0] s_axi_bresp, s_axi_rresp;
                    wire [31:0] s_axi_rdata;
                    reg [31:0] d;
                    @TOP@ dut (
@PINS@
                    );
                    task wr(input [31:0] a, input [31:0] v);
                        begin
                            @(negedge aclk); s_axi_awaddr = a; s_axi_wdata = v; s_axi_awvalid = 1; s_axi_wvalid = 1;
                            #1; // let the ready that depends on valid settle
                            while (!(s_axi_awready && s_axi_wready)) @(negedge aclk);
                            @(negedge aclk); s_axi_awvalid = 0; s_axi_wvalid = 0; s_axi_bready = 1;
                            #1;
                            while (!s_axi_bvalid) @(negedge aclk);
                            @(negedge aclk); s_axi_bready = 0;
                        end
                    endtask
                    task rd(input [31:0] a);
                        begin
                            @(negedge aclk); s_axi_araddr = a; s_axi_arvalid = 1;
                            #1;
                            while (!s_axi_arready) @(negedge aclk);
                            @(negedge aclk); s_axi_arvalid = 0; s_axi_rready = 1;
                            #1;
                            while (!s_axi_rvalid) @(negedge aclk);
                            d = s_axi_rdata;
                            @(negedge aclk); s_axi_rready = 0;
                        end
                    endtask
                    initial begin
                        #100000 $display("TIMEOUT"); $finish;
                    end
                    initial begin
                        repeat (3) @(negedge aclk);
                        aresetn = 1;
                        rd(0); $display("ID %h", d);
                        wr(@EN@, 3); rd(@EN@); $display("ENABLE %h", d);
                        wr(@CTL@, 1); rd(@EN@); $display("AFTER_SOFT_RESET %h", d);
                        rd(0); $display("ID %h", d);
                        wr(@EN@, 2); @(negedge aclk); aresetn = 0; repeat (2) @(negedge aclk); aresetn = 1;
                        rd(@EN@); $display("AFTER_ARESETN %h", d);
                        $finish;
                    end
                endmodule
                """.replace("@AW@", Integer.toString(map.addressBits() - 1)).replace("@TOP@", shell.topName())
                .replace("@PINS@", pins).replace("@EN@", Integer.toString(enable)).replace("@CTL@", Integer.toString(control));
        Files.writeString(dir.resolve("tb.v"), tb);
        List<String> cmd = new ArrayList<>(List.of(Tools.require("iverilog").toString(), "-g2005", "-o", "sim", "-s", "tb", "tb.v"));
        cmd.addAll(files);
        Processes.Result c = Processes.run(cmd, dir, Map.of(), dir.resolve("iverilog.log"), Duration.ofMinutes(2));
        assertEquals(0, c.exitCode(), c.output());
        Processes.Result r = Processes.run(List.of(Tools.require("vvp").toString(), "-n", "sim"), dir, Map.of(), dir.resolve("vvp.log"),
                Duration.ofMinutes(2));
        assertEquals(0, r.exitCode(), r.output());
        List<String> lines = r.output().lines().filter(l -> !l.isBlank() && !l.contains("$finish")).toList();
        assertTrue(lines.size() >= 5, r.output());
        assertEquals(List.of("ID 51465348", "ENABLE 00000003", "AFTER_SOFT_RESET 00000000", "ID 51465348", "AFTER_ARESETN 00000000"),
                lines.subList(0, 5));
    }
}

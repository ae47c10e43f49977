package dev.qforge.dsl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A memory whose depth is not a power of two keeps the depth it was given: its address has spare
 * values past the last word, and the emitted RAM adds no guard logic for them (a compare on every
 * port, in front of every block RAM), so a read there is undefined, as Mem's Javadoc says. Icarus
 * reads X and drops the write; Verilator (--x-assign 0) reads 0; a block RAM of Yosys stores the
 * write in its spare words and reads it back, flip-flops read another word.
 */
class MemDepthTest {
    static final class Ram5 extends Module {
        Ram5() {
            super("Ram5");
            Signal we = input("we", bool());
            Signal waddr = input("waddr", uint(3));
            Signal wdata = input("wdata", uint(8));
            Signal raddr = input("raddr", uint(3));
            Mem ram = mem("ram", uint(8), 5);
            when(we, () -> ram.write(waddr, wdata));
            output("q", uint(8)).set(ram.readSync("rd", raddr));
        }
    }

    @Test
    void wordsPastTheDepthAreUndefinedInSimulation(@TempDir Path dir) throws Exception {
        Ram5 m = new Ram5();
        Design.elaborate(m).write(dir);
        String rtl = Files.readString(dir.resolve("Ram5.v"));
        assertTrue(rtl.contains("reg [7:0] ram [0:4];"), rtl);
        Files.writeString(dir.resolve("tb.v"), """
                module tb;
                  reg clk = 0, we = 0;
                  reg [2:0] waddr = 0, raddr = 0;
                  reg [7:0] wdata = 0;
                  wire [7:0] q;
                  integer i;
                  Ram5 dut(.clk(clk), .we(we), .waddr(waddr), .wdata(wdata), .raddr(raddr), .q(q));
                  initial begin
                    for (i = 0; i < 8; i = i + 1) begin
                      we = 1; waddr = i; wdata = 8'h10 + i; #1 clk = 1; #1 clk = 0;
                    end
                    we = 0;
                    for (i = 0; i < 8; i = i + 1) begin
                      raddr = i; #1 clk = 1; #1 clk = 0; $display("%0d %h", i, q);
                    end
                    $finish;
                  end
                endmodule
                """);
        assertEquals(List.of("0 10", "1 11", "2 12", "3 13", "4 14", "5 xx", "6 xx", "7 xx"), HdlTools.runIcarusTestbench(dir));
    }
}

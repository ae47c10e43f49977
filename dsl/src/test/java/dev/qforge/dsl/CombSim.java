package dev.qforge.dsl;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs the emitted Verilog of a module in Icarus as pure combinational logic: applies each input
 * vector, waits, and reads every listed output. Values of any width travel as bit patterns.
 */
final class CombSim {
    private CombSim() { }

    /** The input ports of {@code m} (or its outputs), in declaration order. */
    static List<Signal> ports(Module m, boolean inputs) {
        return m.ports().stream().filter(p -> (p.kind() == Signal.Kind.INPUT) == inputs).toList();
    }

    /**
     * Writes {@code m}'s Verilog into {@code dir} and simulates it.
     *
     * @param vectors per vector, one value per input in {@code ins} order (negative values for signed inputs are fine)
     * @return per vector, the bit pattern of every output in {@code outs} order
     */
    static List<BigInteger[]> run(Path dir, Module m, List<Signal> ins, List<Signal> outs, List<BigInteger[]> vectors) throws Exception {
        HdlTools.require("iverilog");
        Design design = Design.elaborate(m);
        design.write(dir);
        StringBuilder tb = new StringBuilder("module tb;\n");
        StringBuilder pins = new StringBuilder("    " + m.name() + " dut (");
        List<String> conns = new ArrayList<>();
        if (design.clocking(m).clock()) {
            tb.append("    reg clk = 1'b0;\n");
            conns.add(".clk(clk)");
        }
        if (design.clocking(m).reset()) {
            tb.append("    reg rst = 1'b0;\n");
            conns.add(".rst(rst)");
        }
        for (Signal p : ins) {
            tb.append("    reg [").append(p.width() - 1).append(":0] ").append(p.name()).append(";\n");
            conns.add("." + p.name() + "(" + p.name() + ")");
        }
        for (Signal p : outs) {
            tb.append("    wire [").append(p.width() - 1).append(":0] ").append(p.name()).append(";\n");
            conns.add("." + p.name() + "(" + p.name() + ")");
        }
        tb.append(pins).append(String.join(", ", conns)).append(");\n    initial begin\n");
        for (BigInteger[] v : vectors) {
            for (int i = 0; i < ins.size(); i++) {
                Signal p = ins.get(i);
                tb.append("        ").append(p.name()).append(" = ").append(p.width()).append("'h")
                        .append(ExprEval.bits(v[i], p.width()).toString(16)).append(";\n");
            }
            tb.append("        #1 $display(\"").append("%h ".repeat(outs.size()).trim()).append('"');
            for (Signal p : outs) {
                tb.append(", ").append(p.name());
            }
            tb.append(");\n");
        }
        tb.append("        $finish;\n    end\nendmodule\n");
        Files.writeString(dir.resolve("tb.v"), tb.toString());

        List<String> lines = HdlTools.runIcarusTestbench(dir);
        assertEquals(vectors.size(), lines.size(), String.join("\n", lines));
        List<BigInteger[]> results = new ArrayList<>();
        for (String line : lines) {
            String[] got = line.trim().split(" ");
            assertEquals(outs.size(), got.length, line);
            BigInteger[] r = new BigInteger[got.length];
            for (int j = 0; j < got.length; j++) {
                r[j] = new BigInteger(got[j], 16); // an x or z digit fails here, as it should
            }
            results.add(r);
        }
        return results;
    }
}

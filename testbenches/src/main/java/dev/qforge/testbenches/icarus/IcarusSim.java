package dev.qforge.testbenches.icarus;

import dev.qforge.dsl.Design;
import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.process.Tools;
import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.Port;
import dev.qforge.testbenches.verilator.PortLayout;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a design in Icarus Verilog from the same per-cycle input frames a {@link
 * dev.qforge.testbenches.verilator.Simulator} runs: a generated testbench reads them with
 * {@code $readmemh}, applies one frame per cycle with the same timing as the Verilator harness
 * (inputs with the clock low, sample, rising edge) and writes every output of every cycle in hex.
 * Icarus shows never-written registers as x; {@link #compare} treats an x digit as matching
 * anything, since Verilator has to pick a value for it.
 */
public final class IcarusSim {
    private static final String TB = "qforge_tb";

    private IcarusSim() { }

    /** Each cycle's outputs as Icarus printed them: one hex token (digits, x or z) per output port. */
    public record Outputs(PortLayout layout, List<String[]> cycles) { }

    public static boolean available() {
        return Tools.find("iverilog").isPresent() && Tools.find("vvp").isPresent();
    }

    /** Runs {@code inputs} (frames of the design's top module) in Icarus inside {@code workDir}. */
    public static Outputs run(Design design, Frames inputs, Path workDir) {
        Path iverilog = Tools.require("iverilog");
        Path vvp = Tools.require("vvp");
        PortLayout layout = inputs.layout();
        try {
            Files.createDirectories(workDir);
            List<String> compile = new ArrayList<>(List.of(iverilog.toString(), "-g2005", "-s", TB, "-o", "sim.vvp", "tb.v"));
            for (Map.Entry<String, String> m : design.verilog().entrySet()) {
                Files.writeString(workDir.resolve(m.getKey() + ".v"), m.getValue(), StandardCharsets.UTF_8);
                compile.add(m.getKey() + ".v");
            }
            Files.writeString(workDir.resolve("tb.v"), testbench(layout, inputs.cycles()), StandardCharsets.UTF_8);
            writeStimulus(inputs, workDir.resolve("stimulus.hex"));
            Duration timeout = Duration.ofSeconds(Long.getLong("qforge.icarus.timeout.seconds", 600));
            Processes.Result c = Processes.run(compile, workDir, Map.of(), workDir.resolve("iverilog.log"), timeout);
            if (c.exitCode() != 0) {
                throw new IllegalStateException("iverilog rejected the design of " + layout.top() + ":\n" + Processes.tail(c.output(), 40));
            }
            Processes.Result r = Processes.run(List.of(vvp.toString(), "-n", "sim.vvp"), workDir, Map.of(), workDir.resolve("vvp.log"), timeout);
            if (r.exitCode() != 0) {
                throw new IllegalStateException("vvp failed on " + layout.top() + " (exit code " + r.exitCode() + "):\n" + Processes.tail(r.output(), 40));
            }
            List<String[]> cycles = new ArrayList<>();
            for (String line : Files.readAllLines(workDir.resolve("outputs.hex"))) {
                cycles.add(line.isBlank() ? new String[0] : line.trim().split(" "));
            }
            if (cycles.size() != inputs.cycles()) {
                throw new IllegalStateException("Icarus wrote " + cycles.size() + " cycles of " + layout.top() + ", expected " + inputs.cycles());
            }
            return new Outputs(layout, cycles);
        } catch (IOException e) {
            throw new UncheckedIOException("Icarus run of " + layout.top() + " in " + workDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The differences between Verilator's outputs and Icarus's, first ones first (at most
     * {@code limit}), each naming the cycle, port and both values; empty when they agree.
     */
    public static List<String> compare(Frames verilator, Outputs icarus, int limit) {
        List<String> diffs = new ArrayList<>();
        List<Port> outs = verilator.layout().outputs();
        for (int t = 0; t < verilator.cycles() && diffs.size() < limit; t++) {
            String[] tokens = icarus.cycles().get(t);
            if (tokens.length != outs.size()) {
                diffs.add("cycle " + verilator.cycle(t) + ": Icarus wrote " + tokens.length + " values for " + outs.size() + " outputs");
                continue;
            }
            for (int k = 0; k < outs.size() && diffs.size() < limit; k++) {
                Port p = outs.get(k);
                String v = hex(unsigned(verilator.getBig(t, p.name()), p.width()), p.width());
                String i = tokens[k].toLowerCase(Locale.ROOT);
                if (!matches(v, i)) {
                    diffs.add("cycle " + verilator.cycle(t) + " port '" + p.name() + "': verilator 0x" + v + ", icarus 0x" + i);
                }
            }
        }
        return diffs;
    }

    private static boolean matches(String verilator, String icarus) {
        if (verilator.length() != icarus.length()) {
            return false;
        }
        for (int d = 0; d < icarus.length(); d++) {
            char c = icarus.charAt(d);
            if (c != 'x' && c != 'z' && c != verilator.charAt(d)) {
                return false;
            }
        }
        return true;
    }

    private static BigInteger unsigned(BigInteger v, int width) {
        return v.signum() < 0 ? v.add(BigInteger.ONE.shiftLeft(width)) : v;
    }

    private static String hex(BigInteger v, int width) {
        String h = v.toString(16);
        return "0".repeat((width + 3) / 4 - h.length()) + h;
    }

    /** One line per cycle: every input port (rst first), concatenated MSB first, in hex. */
    private static void writeStimulus(Frames inputs, Path file) throws IOException {
        List<Port> ins = inputs.layout().inputs();
        int width = ins.stream().mapToInt(Port::width).sum();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (int t = 0; t < inputs.cycles(); t++) {
                BigInteger line = BigInteger.ZERO;
                for (Port p : ins) {
                    line = line.shiftLeft(p.width()).or(unsigned(inputs.getBig(t, p.name()), p.width()));
                }
                w.write(hex(line, Math.max(1, width)));
                w.newLine();
            }
        }
    }

    private static String testbench(PortLayout layout, int cycles) {
        int width = layout.inputs().stream().mapToInt(Port::width).sum();
        StringBuilder decl = new StringBuilder();
        StringBuilder pins = new StringBuilder();
        List<String> inNames = new ArrayList<>();
        List<String> outNames = new ArrayList<>();
        if (layout.hasClock()) {
            decl.append("    reg clk = 1'b0;\n");
            pins.append("        .clk(clk)");
        }
        for (Port p : layout.inputs()) {
            decl.append("    reg ").append(range(p)).append(p.name()).append(";\n");
            inNames.add(p.name());
        }
        for (Port p : layout.outputs()) {
            decl.append("    wire ").append(range(p)).append(p.name()).append(";\n");
            outNames.add(p.name());
        }
        for (String n : concat(inNames, outNames)) {
            pins.append(pins.length() > 0 ? ",\n" : "").append("        .").append(n).append('(').append(n).append(')');
        }
        String apply = inNames.isEmpty() ? "" : "            {" + String.join(", ", inNames) + "} = stimulus[i];\n";
        String edge = layout.hasClock() ? "            clk = 1'b1;\n            #1;\n            clk = 1'b0;\n" : "            #1;\n";
        return "// Generated by qforge: replays per-cycle input frames into " + layout.top() + " for Icarus.\n"
                + "`timescale 1ns/1ns\n"
                + "module " + TB + ";\n"
                + decl
                + (width > 0 ? "    reg [" + (width - 1) + ":0] stimulus [0:" + Math.max(0, cycles - 1) + "];\n" : "")
                + "    integer i;\n"
                + "    integer out;\n"
                + "    " + layout.top() + " dut (\n" + pins + "\n    );\n"
                + "    initial begin\n"
                + (width > 0 ? "        $readmemh(\"stimulus.hex\", stimulus);\n" : "")
                + "        out = $fopen(\"outputs.hex\", \"w\");\n"
                + "        for (i = 0; i < " + cycles + "; i = i + 1) begin\n"
                + apply
                + "            #1;\n"
                + "            $fwrite(out, \"" + "%h ".repeat(outNames.size()).trim() + "\\n\"" + (outNames.isEmpty() ? "" : ", " + String.join(", ", outNames)) + ");\n"
                + edge
                + "        end\n"
                + "        $fclose(out);\n"
                + "        $finish;\n"
                + "    end\n"
                + "endmodule\n";
    }

    private static String range(Port p) {
        return p.width() > 1 ? "[" + (p.width() - 1) + ":0] " : "";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}

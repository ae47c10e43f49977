package dev.qforge.testbenches.icarus;

import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.process.Tools;
import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.ModelSources;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs a design in Icarus Verilog from the same per-cycle input frames a {@link
 * dev.qforge.testbenches.verilator.Simulator} runs: a generated testbench reads them with
 * {@code $readmemh}, applies one frame per cycle with the same timing as the Verilator harness
 * (inputs with the clock low, sample, rising edge) and writes every output of every cycle in binary,
 * so each bit shows 0, 1, x or z. {@link #compare} is strict: an x or z is a difference unless
 * Verilator's value there depends on the power-up state ({@link IcarusCrossCheck} finds where).
 */
public final class IcarusSim {
    private static final String TB = "qforge_tb";

    private IcarusSim() { }

    /** Each cycle's outputs as Icarus printed them: one binary token (0, 1, x, z per bit, MSB first) per output port. */
    public record Outputs(PortLayout layout, List<String[]> cycles) { }

    /** Runs {@code inputs} (frames of the top module of {@code sources}) in Icarus inside {@code workDir}. */
    public static Outputs run(ModelSources sources, Frames inputs, Path workDir) {
        Path iverilog = Tools.require("iverilog");
        Path vvp = Tools.require("vvp");
        PortLayout layout = inputs.layout();
        try {
            Files.createDirectories(workDir);
            List<String> compile = new ArrayList<>(List.of(iverilog.toString(), "-g2005", "-s", TB, "-o", "sim.vvp", "tb.v"));
            for (Map.Entry<String, String> f : sources.rtl().entrySet()) {
                Files.writeString(workDir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
                compile.add(f.getKey());
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
            for (String line : Files.readAllLines(workDir.resolve("outputs.txt"))) {
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
     * The differences between Verilator's outputs and Icarus's for the same {@code inputs}, replayed
     * from power-up, first ones first (at most {@code limit}), each naming the cycle, port and both
     * values; empty when they agree. Every bit must match, and x or z is a difference, except where
     * Verilator's value depends on the power-up state, which Icarus shows as x:
     * <ul>
     * <li>until the first reset takes effect (every cycle, if {@code rst} is never raised), x is accepted anywhere;
     * <li>{@code otherPowerUps} are Verilator's outputs for the same inputs from other power-up states
     *     (registers without a reset): a bit that differs among them may show anything, and a port
     *     with such a bit may show x anywhere (Icarus's arithmetic turns one unknown bit into a word of them).
     * </ul>
     * The payload of an output stream is not compared on cycles where Verilator's valid is low: no
     * consumer may look at it then, and Icarus's x-pessimism (0 * x is x) makes it x where it is
     * really defined. Its valid and every other port are compared on every cycle.
     */
    public static List<String> compare(Frames inputs, Frames verilator, List<Frames> otherPowerUps, Outputs icarus, int limit) {
        List<String> diffs = new ArrayList<>();
        List<Port> outs = verilator.layout().outputs();
        int resetAt = firstReset(inputs);
        for (int t = 0; t < verilator.cycles() && diffs.size() < limit; t++) {
            String[] tokens = icarus.cycles().get(t);
            if (tokens.length != outs.size()) {
                diffs.add("cycle " + verilator.cycle(t) + ": Icarus wrote " + tokens.length + " values for " + outs.size() + " outputs");
                continue;
            }
            Set<Port> idlePayload = new HashSet<>();
            for (PortLayout.StreamPorts s : verilator.layout().outStreams()) {
                if (verilator.get(t, s.valid()) == 0) {
                    idlePayload.addAll(s.payload());
                }
            }
            for (int k = 0; k < outs.size() && diffs.size() < limit; k++) {
                Port p = outs.get(k);
                if (idlePayload.contains(p)) {
                    continue;
                }
                String v = bits(verilator, t, p);
                List<String> others = new ArrayList<>();
                for (Frames o : otherPowerUps) {
                    others.add(bits(o, t, p));
                }
                String i = tokens[k].toLowerCase(Locale.ROOT);
                if (!agrees(v, others, t <= resetAt, i)) {
                    diffs.add("cycle " + verilator.cycle(t) + " port '" + p.name() + "': verilator 0x" + hexDigits(v) + ", icarus 0x"
                            + (i.length() == v.length() ? hexDigits(i) : "? (" + i.length() + " bits: " + i + ")"));
                }
            }
        }
        return diffs;
    }

    /** The first frame with {@code rst} high (its clock edge resets), the last frame if none has, or -1 for a module without {@code rst}. */
    private static int firstReset(Frames inputs) {
        if (!inputs.layout().hasReset()) {
            return -1;
        }
        for (int t = 0; t < inputs.cycles(); t++) {
            if (inputs.get(t, "rst") != 0) {
                return t;
            }
        }
        return inputs.cycles();
    }

    private static boolean agrees(String verilator, List<String> others, boolean beforeReset, String icarus) {
        if (icarus.length() != verilator.length()) {
            return false;
        }
        boolean portDependsOnPowerUp = beforeReset || others.stream().anyMatch(o -> !o.equals(verilator));
        for (int d = 0; d < icarus.length(); d++) {
            char c = icarus.charAt(d);
            int bit = d;
            boolean bitDependsOnPowerUp = others.stream().anyMatch(o -> o.charAt(bit) != verilator.charAt(bit));
            if (c == 'x' || c == 'z' ? !portDependsOnPowerUp : c != verilator.charAt(d) && !bitDependsOnPowerUp) {
                return false;
            }
        }
        return true;
    }

    /** Port {@code p} of frame {@code t}, as binary digits MSB first. */
    private static String bits(Frames f, int t, Port p) {
        String b = unsigned(f.getBig(t, p.name()), p.width()).toString(2);
        return "0".repeat(p.width() - b.length()) + b;
    }

    /** Binary digits (0, 1, x, z) as hex the way Icarus prints %h: x or z for a whole unknown digit, X or Z for a partly unknown one. */
    static String hexDigits(String bits) {
        StringBuilder sb = new StringBuilder();
        for (int end = bits.length(); end > 0; end -= 4) {
            String nibble = bits.substring(Math.max(0, end - 4), end);
            if (nibble.matches("[01]+")) {
                sb.append(Integer.toHexString(Integer.parseInt(nibble, 2)));
            } else if (nibble.matches("x+") || nibble.matches("z+")) {
                sb.append(nibble.charAt(0));
            } else {
                sb.append(nibble.contains("x") ? 'X' : 'Z');
            }
        }
        return sb.reverse().toString();
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
                + "        out = $fopen(\"outputs.txt\", \"w\");\n"
                + "        for (i = 0; i < " + cycles + "; i = i + 1) begin\n"
                + apply
                + "            #1;\n"
                + "            $fwrite(out, \"" + "%b ".repeat(outNames.size()).trim() + "\\n\"" + (outNames.isEmpty() ? "" : ", " + String.join(", ", outNames)) + ");\n"
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

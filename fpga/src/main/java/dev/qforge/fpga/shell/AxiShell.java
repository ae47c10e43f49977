package dev.qforge.fpga.shell;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.fpga.shell.regmap.RegisterMap;
import dev.qforge.fpga.uart.BridgeLayout;
import dev.qforge.generators.BlockInfo;
import dev.qforge.testbenches.verilator.PortLayout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AXI shell around a block whose ports are valid/ready streams: what another package needs to
 * integrate it. {@link #topName()} is the top module, {@link #verilog()} its files, {@link #ports()}
 * its port list grouped into interfaces, {@link #registers()} the AXI4-Lite register map.
 *
 * <p>Top ports: {@code aclk}; {@code aresetn} (synchronous, active low); the AXI4-Lite slave
 * {@code s_axi_*} (AWADDR, AWVALID, AWREADY, WDATA, WSTRB, WVALID, WREADY, BRESP, BVALID, BREADY,
 * ARADDR, ARVALID, ARREADY, RDATA, RRESP, RVALID, RREADY; 32-bit data, {@link RegisterMap#addressBits()}
 * address bits); one AXI4-Stream slave {@code s_axis_<stream>_*} (TDATA, TVALID, TREADY) per input
 * stream of the block and one master {@code m_axis_<stream>_*} (TDATA, TVALID, TREADY, TLAST) per
 * output stream, each stream on its own interface so every one can have its own DMA channel and
 * none waits behind another; {@code irq} (the interrupt: level, active high).
 */
public final class AxiShell {
    /** The shell's file list (submodules first, the top last), beside the block's filelist.f. */
    public static final String FILE_LIST = "shell.f";
    private final String designName;
    private final Module block;
    private final List<AxisStream> streams;
    private final RegisterMap registers;
    private final Map<String, String> parameters;
    private final AxiShellCore core;
    private final Design design;

    private AxiShell(String designName, Module block, Map<String, String> parameters) {
        this.designName = designName;
        this.block = block;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.streams = streamsOf(block);
        this.registers = ShellRegisters.of(designName, parameters, streams);
        this.core = new AxiShellCore(block, streams, registers);
        this.design = Design.elaborate(core);
    }

    /** The shell around a generated block (its parameters become registers and count in DESIGN_ID). */
    public static AxiShell around(BlockInfo block) {
        return new AxiShell(block.designName(), block.top(), block.parameters());
    }

    /**
     * The shell around any module whose ports are valid/ready streams ({@code X_valid}, {@code X_ready},
     * {@code X_...} payload); refused, naming the port, when a port belongs to no stream.
     */
    public static AxiShell around(String designName, Module block, Map<String, String> parameters) {
        return new AxiShell(designName, block, parameters);
    }

    public String designName() { return designName; }
    public Module block() { return block; }
    /** The block's generation parameters (numeric ones are also registers). */
    public Map<String, String> parameters() { return parameters; }
    /** The top module's name. */
    public String topName() { return "AxiShell_" + block.name(); }
    /** The shell's logic as a DSL module (clk, rst, soft_reset): what co-simulation runs. */
    public AxiShellCore core() { return core; }
    /** The elaborated core and the block's modules. */
    public Design design() { return design; }
    public RegisterMap registers() { return registers; }
    /** Every AXI4-Stream interface: the inputs in the block's order, then the outputs. */
    public List<AxisStream> streams() { return streams; }

    public AxisStream stream(String blockStream) {
        return streams.stream().filter(s -> s.name().equals(blockStream)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                block.name() + " has no stream '" + blockStream + "'"));
    }

    /** File name -> Verilog text: the design's modules (submodules first), then the top. */
    public Map<String, String> verilog() {
        Map<String, String> files = new LinkedHashMap<>();
        design.verilog().forEach((module, text) -> files.put(module + ".v", text));
        files.put(topName() + ".v", top());
        return Collections.unmodifiableMap(files);
    }

    /** The top module's ports in declaration order. */
    public List<ShellPort> ports() {
        List<ShellPort> ports = new ArrayList<>();
        ports.add(new ShellPort("aclk", true, 1, null));
        ports.add(new ShellPort("aresetn", true, 1, null));
        for (Signal s : core.ports()) {
            if (!s.name().equals("soft_reset")) {
                ports.add(new ShellPort(s.name(), s.kind() == Signal.Kind.INPUT, s.width(), bus(s.name())));
            }
        }
        return ports;
    }

    private String bus(String port) {
        if (port.startsWith("s_axi_")) {
            return "s_axi";
        }
        for (AxisStream s : streams) {
            if (port.startsWith(s.bus() + "_t")) {
                return s.bus();
            }
        }
        return null;
    }

    /**
     * The top: AXI clock and active-low reset names (what vendor tools associate with the
     * interfaces), and the soft reset folded into the core's synchronous reset.
     */
    String top() {
        StringBuilder v = new StringBuilder("// Generated by qforge: the AXI shell around " + block.name() + ".\n");
        v.append("module ").append(topName()).append(" (\n");
        List<ShellPort> ports = ports();
        for (int i = 0; i < ports.size(); i++) {
            ShellPort p = ports.get(i);
            v.append("    ").append(p.input() ? "input  wire " : "output wire ").append(p.width() > 1 ? "[" + (p.width() - 1) + ":0] " : "")
                    .append(p.name()).append(i + 1 < ports.size() ? ",\n" : "\n");
        }
        v.append(");\n");
        v.append("    wire soft_reset;\n");
        v.append("    wire rst = ~aresetn | soft_reset;\n");
        v.append("    ").append(core.name()).append(" core (\n");
        v.append("        .clk(aclk),\n        .rst(rst),\n");
        for (ShellPort p : ports.subList(2, ports.size())) {
            v.append("        .").append(p.name()).append('(').append(p.name()).append("),\n");
        }
        v.append("        .soft_reset(soft_reset)\n    );\nendmodule\n");
        return v.toString();
    }

    private static List<AxisStream> streamsOf(Module block) {
        PortLayout ports = PortLayout.of(Design.elaborate(block));
        BridgeLayout.requireOnlyStreams(ports, block, "the AXI shell");
        List<AxisStream> out = new ArrayList<>();
        for (PortLayout.StreamPorts s : ports.inStreams()) {
            out.add(stream("s_axis_", block, s, out.size()));
        }
        int inputs = out.size();
        for (PortLayout.StreamPorts s : ports.outStreams()) {
            out.add(stream("m_axis_", block, s, out.size() - inputs));
        }
        if (inputs == 0 || inputs == out.size()) {
            throw new IllegalArgumentException("the AXI shell needs at least one input and one output stream; " + block.name() + " has "
                    + inputs + " and " + (out.size() - inputs));
        }
        return List.copyOf(out);
    }

    private static AxisStream stream(String prefix, Module block, PortLayout.StreamPorts s, int index) {
        BridgeLayout.StreamFormat f = BridgeLayout.format(block, s, index, Integer.MAX_VALUE);
        int bytes = 1;
        while (bytes < f.bytes()) {
            bytes *= 2;
        }
        return new AxisStream(prefix + s.name(), f, bytes);
    }
}

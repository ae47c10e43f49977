package dev.qforge.fpga.shell;

/**
 * A port of the shell's top module.
 *
 * @param name   the Verilog port name
 * @param input  true for an input
 * @param width  bits
 * @param bus    the interface it belongs to ({@code s_axi}, {@code s_axis_<stream>}, {@code m_axis_<stream>}),
 *               or null for {@code aclk}, {@code aresetn} and {@code irq}
 */
public record ShellPort(String name, boolean input, int width, String bus) {
    /** The AXI signal name within its interface ({@code TDATA}, {@code AWADDR}, ...), or the port name outside any. */
    public String signal() {
        return bus == null ? name : name.substring(bus.length() + 1).toUpperCase(java.util.Locale.ROOT);
    }
}

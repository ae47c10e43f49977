package dev.qforge.generators;

/**
 * One row of a block's port table.
 *
 * @param direction "in" or "out"
 * @param protocol  how the port is used, e.g. "valid/ready stream 'a' (AXI4-Stream rules)", "static config", "clock"
 * @param meaning   what the bits mean, e.g. "lane i of activation row, int8, two's complement"
 */
public record PortDoc(String name, String direction, int width, String protocol, String meaning) { }

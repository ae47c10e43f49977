package dev.qforge.generators.report;

import java.util.Map;

/**
 * The tool-measured figures of one target, as the fpga module obtains them (Yosys, nextpnr-ice40),
 * to be set beside the estimates.
 *
 * @param status        "synthesized", or why there are no figures ("yosys not installed", "failed: ...")
 * @param tool          the synthesis tool's version line, or null
 * @param command       the synthesis command, or null
 * @param modules       per module, its own cells (not its submodules'), or empty
 * @param total         the whole design, or null
 * @param placeAndRoute the place-and-route outcome, or null when not attempted for this target
 */
public record Measured(String status, String tool, String command, Map<String, Resources> modules, Resources total,
                       Report.PlaceAndRoute placeAndRoute) {
    public static final String SYNTHESIZED = "synthesized";

    /** No figures, and why. */
    public static Measured none(String why) {
        return new Measured(why, null, null, Map.of(), null, null);
    }
}

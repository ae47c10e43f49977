package dev.qforge.spec.check;

import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;

import java.util.List;
import java.util.Map;

/**
 * A part or board a spec names as its {@code target}: the estimator's family, what the device
 * holds, and the external memory bandwidth of the usual board (the roofline's slope).
 *
 * @param capacity     the device's LUTs, flip-flops, DSP slices and RAMB18 (AMD DS190/DS891); empty for
 *                     iCE40 parts, whose capacity the estimator's {@link Target} knows
 * @param bandwidthGBs external memory bandwidth in GB/s, 0 when the board has no DRAM
 * @param memory       what that bandwidth is, for the roofline line
 */
public record Device(String name, Target family, Map<Resource, Long> capacity, double bandwidthGBs, String memory) {
    public static final List<Device> ALL = List.of(
            new Device("xc7z020", Target.XC7, caps(53_200, 106_400, 220, 280), 4.26, "DDR3-1066 x32 (ZedBoard, PYNQ-Z2)"),
            new Device("xc7a35t", Target.XC7, caps(20_800, 41_600, 90, 100), 1.33, "DDR3L-667 x16 (Arty A7)"),
            new Device("xc7a100t", Target.XC7, caps(63_400, 126_800, 240, 270), 1.33, "DDR3L-667 x16 (Arty A7-100)"),
            new Device("xczu3eg", Target.XCUP, caps(70_560, 141_120, 360, 432), 8.53, "LPDDR4-2133 x32 (Ultra96-V2)"),
            new Device("xczu9eg", Target.XCUP, caps(274_080, 548_160, 2_520, 1_824), 19.2, "DDR4-2400 x64 (ZCU102)"),
            new Device("up5k", Target.UP5K, Map.of(), 0, "no DRAM"),
            new Device("hx8k", Target.HX8K, Map.of(), 0, "no DRAM"));

    /** Boards a spec may name instead of their part ({@code board zedboard;}), each -> its part. */
    public static final Map<String, String> BOARDS = new java.util.TreeMap<>(Map.of("zedboard", "xc7z020", "pynq_z2", "xc7z020",
            "arty_a7_35", "xc7a35t", "arty_a7_100", "xc7a100t", "ultra96", "xczu3eg", "zcu102", "xczu9eg", "icebreaker", "up5k",
            "hx8k_breakout", "hx8k"));

    private static Map<Resource, Long> caps(long lut, long ff, long dsp, long bram18) {
        return Map.of(Resource.LUT, lut, Resource.FF, ff, Resource.DSP, dsp, Resource.BRAM, bram18);
    }

    public static Device find(String name) {
        return ALL.stream().filter(d -> d.name.equals(name)).findFirst().orElse(null);
    }

    public static List<String> names() {
        return ALL.stream().map(Device::name).toList();
    }
}

package dev.qforge.fpga.shell;

import dev.qforge.fpga.shell.regmap.RegisterMap;
import dev.qforge.fpga.shell.regmap.RegisterMap.Access;
import dev.qforge.fpga.shell.regmap.RegisterMap.Field;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/** The register map of the shell around one block: the one description every register-map output comes from. */
public final class ShellRegisters {
    /** The first register's constant value: "QFSH" in ASCII, so a driver sees at once whether it reads a qforge shell. */
    public static final long MAGIC = 0x51465348L;
    /** The register map's version (major in bits 31..16, minor in 15..0); a driver refuses other majors. */
    public static final long VERSION_VALUE = 0x0001_0000L;
    public static final String ID = "ID";
    public static final String VERSION = "VERSION";
    public static final String DESIGN_ID = "DESIGN_ID";
    public static final String CONTROL = "CONTROL";
    public static final String STATUS = "STATUS";
    public static final String INTR_ENABLE = "INTR_ENABLE";
    public static final String INTR_STATUS = "INTR_STATUS";
    public static final String RESULTS = "RESULTS";
    public static final String BUSY_CYCLES = "BUSY_CYCLES";
    static final String STALL_SUFFIX = "_STALL_CYCLES";
    static final String BEATS_SUFFIX = "_BEATS";
    static final String BYTES_SUFFIX = "_BYTES";
    static final String PARAM_PREFIX = "PARAM_";
    /** Where the per-stream registers start, and the design's constants. */
    private static final int STREAM_BASE = 0x40;
    private static final int CONSTANT_BASE = 0x100;

    private ShellRegisters() { }

    /** {@code M_AXIS_OUT_BEATS}: beats per result transaction of the output stream (TLAST on the last). */
    public static String beats(AxisStream s) { return upper(s.bus()) + BEATS_SUFFIX; }
    /** {@code S_AXIS_ACT_STALL_CYCLES} / {@code M_AXIS_OUT_STALL_CYCLES}. */
    public static String stalls(AxisStream s) { return upper(s.bus()) + STALL_SUFFIX; }
    /** {@code S_AXIS_ACT_BYTES}: TDATA bytes of the stream. */
    public static String bytes(AxisStream s) { return upper(s.bus()) + BYTES_SUFFIX; }
    /** {@code PARAM_MAX_K} for the block parameter {@code max-k}. */
    public static String param(String name) { return PARAM_PREFIX + upper(name).replaceAll("[^A-Z0-9]", "_"); }

    static RegisterMap of(String designName, Map<String, String> parameters, List<AxisStream> streams) {
        RegisterMap.Builder b = new RegisterMap.Builder(designName.replaceAll("[^A-Za-z0-9_]", "_"))
                .constant(ID, MAGIC, "\"QFSH\": a qforge AXI shell")
                .constant(VERSION, VERSION_VALUE, "register map version: major in bits 31..16, minor in 15..0")
                .constant(DESIGN_ID, designId(designName, parameters, streams), "CRC-32 of the design's name, parameters and stream layouts")
                .live(CONTROL, Access.RW, 0, "write 1s to act; reads 0",
                        new Field("SOFT_RESET", 0, 1, "reset the block and the shell (registers included) once this write is answered"),
                        new Field("CLEAR_COUNTERS", 1, 1, "zero RESULTS, BUSY_CYCLES and every *_STALL_CYCLES"))
                .live(STATUS, Access.RO, 0, "live state",
                        new Field("BUSY", 0, 1, "an input beat was taken since the last result beat with TLAST"))
                .live(INTR_ENABLE, Access.RW, 0, "interrupt = OR of INTR_STATUS bits enabled here",
                        new Field("DONE", 0, 1, "raise the interrupt on DONE"),
                        new Field("PAD_ERROR", 1, 1, "raise the interrupt on PAD_ERROR"))
                .live(INTR_STATUS, Access.W1C, 0, "sticky events; write 1 to clear",
                        new Field("DONE", 0, 1, "a result beat with TLAST left"),
                        new Field("PAD_ERROR", 1, 1, "an input beat had a 1 in TDATA bits beyond its fields"))
                .live(RESULTS, Access.RO, 0, "result transactions completed (result beats with TLAST)")
                .live(BUSY_CYCLES, Access.RO, 0, "cycles with STATUS.BUSY set")
                .at(STREAM_BASE);
        for (AxisStream s : streams) {
            if (!s.input()) {
                b.live(beats(s), Access.RW, 1, "beats per result transaction on " + s.bus() + "; TLAST on the last (0 acts as 1)");
            }
        }
        for (AxisStream s : streams) {
            b.live(stalls(s), Access.RO, 0, s.input() ? "cycles with STATUS.BUSY and " + s.bus() + " ready but not valid"
                    : "cycles with " + s.bus() + " valid but not ready");
        }
        b.at(CONSTANT_BASE);
        for (AxisStream s : streams) {
            b.constant(bytes(s), s.bytes(), "TDATA bytes of " + s.bus());
        }
        parameters.forEach((name, value) -> {
            Long v = number(value);
            if (v != null) {
                b.constant(param(name), v, "block parameter " + name);
            }
        });
        return b.build();
    }

    /** A parameter's value as a register: integers that fit 32 bits, booleans as 1/0; other values only count in DESIGN_ID. */
    static Long number(String value) {
        if (value.equals("true") || value.equals("false")) {
            return value.equals("true") ? 1L : 0L;
        }
        if (!value.matches("-?[0-9]{1,10}")) {
            return null;
        }
        long v = Long.parseLong(value);
        return v >= Integer.MIN_VALUE && v <= 0xFFFF_FFFFL ? v : null;
    }

    private static long designId(String designName, Map<String, String> parameters, List<AxisStream> streams) {
        StringBuilder d = new StringBuilder(designName);
        parameters.forEach((k, v) -> d.append(';').append(k).append('=').append(v));
        for (AxisStream s : streams) {
            d.append(';').append(s.bus()).append(':').append(s.bytes());
            s.format().fields().forEach(f -> d.append(',').append(f.port()).append(':').append(f.signed() ? 's' : 'u').append(f.width()));
        }
        CRC32 crc = new CRC32();
        crc.update(d.toString().getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}

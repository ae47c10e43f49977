package dev.qforge.fpga.shell.regmap;

import java.util.Locale;

/** A register map as a Markdown table: one row per register, then one per field under it. */
public final class MarkdownTable {
    private MarkdownTable() { }

    public static String of(RegisterMap map) {
        StringBuilder m = new StringBuilder();
        m.append("# Register map of ").append(map.name()).append("\n\n");
        m.append("AXI4-Lite, 32-bit registers, ").append(map.addressBits()).append("-bit byte addresses. ")
                .append("Reads of an address not listed answer SLVERR, as do writes to RO registers.\n\n");
        m.append("| Offset | Register | Access | Reset / value | Bits | Description |\n");
        m.append("|---|---|---|---|---|---|\n");
        for (RegisterMap.Register r : map.registers()) {
            m.append("| ").append(String.format(Locale.ROOT, "0x%03X", r.offset())).append(" | ").append(r.name()).append(" | ")
                    .append(r.access()).append(" | ").append(String.format(Locale.ROOT, "0x%08X", r.resetRead())).append(" | 31:0 | ")
                    .append(cell(r.description())).append(r.value() != null ? " (constant)" : "").append(" |\n");
            for (RegisterMap.Field f : r.fields()) {
                int hi = f.lsb() + f.width() - 1;
                m.append("| | ").append(r.name()).append('.').append(f.name()).append(" | | | ")
                        .append(hi == f.lsb() ? Integer.toString(hi) : hi + ":" + f.lsb()).append(" | ").append(cell(f.description())).append(" |\n");
            }
        }
        return m.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}

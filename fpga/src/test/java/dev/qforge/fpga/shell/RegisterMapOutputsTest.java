package dev.qforge.fpga.shell;

import dev.qforge.fpga.shell.regmap.CHeader;
import dev.qforge.fpga.shell.regmap.MarkdownTable;
import dev.qforge.fpga.shell.regmap.PythonModule;
import dev.qforge.fpga.shell.regmap.RegisterMap;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.process.Tools;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The four outputs of one register map agree: the C header (as gcc reads it), the Python module
 * (as python3 imports it), the Markdown table, and the RTL (every register read through the
 * AXI4-Lite model right after reset). Each is read back into the same canonical lines, one per
 * register: name, offset, access, value after reset, fields.
 */
@Cosim(tools = {"verilator", "python3", "gcc"})
class RegisterMapOutputsTest {
    @Test
    void cHeaderPythonMarkdownAndRtlAgree(@TempDir Path dir, CosimSession cosim) throws Exception {
        AxiShell shell = ShellDesigns.gemm();
        RegisterMap map = shell.registers();
        List<String> want = canonical(map);
        assertTrue(want.size() > 20, "the GEMM shell's map has its stream and parameter registers");

        Files.writeString(dir.resolve("regmap.h"), CHeader.of(map));
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include \"regmap.h\"\nint main(void) {\n");
        c.append("    printf(\"%s\\n\", QF_DESIGN_NAME);\n");
        for (RegisterMap.Register r : map.registers()) {
            String n = "QF_" + r.name();
            c.append("    printf(\"").append(r.name()).append(" %03X %08X\\n\", ").append(n).append("_OFFSET, ")
                    .append(n).append(r.value() != null ? "_VALUE" : "_RESET").append(");\n");
            for (RegisterMap.Field f : r.fields()) {
                c.append("    printf(\"").append(r.name()).append('.').append(f.name()).append(" %d %08X\\n\", ").append(n).append('_').append(f.name())
                        .append("_SHIFT, ").append(n).append('_').append(f.name()).append("_MASK);\n");
            }
        }
        c.append("    return 0;\n}\n");
        Files.writeString(dir.resolve("dump.c"), c);
        Processes.Result cc = Processes.run(List.of(Tools.require("gcc").toString(), "-std=c99", "-Wall", "-Werror", "-o", "dump", "dump.c"), dir,
                Map.of(), dir.resolve("gcc.log"), Duration.ofMinutes(1));
        assertEquals(0, cc.exitCode(), cc.output());
        Processes.Result fromC = Processes.run(List.of(dir.resolve("dump").toString()), dir, Map.of(), dir.resolve("c.out"), Duration.ofMinutes(1));
        assertEquals(map.name(), fromC.output().lines().findFirst().orElseThrow());
        assertEquals(String.join("\n", cLines(map)), fromC.output().lines().skip(1).reduce((a, b) -> a + "\n" + b).orElseThrow(), "C header");

        Files.writeString(dir.resolve("regmap.py"), PythonModule.of(map));
        Files.writeString(dir.resolve("dump.py"), "import regmap\n"
                + "for name, r in sorted(regmap.REGISTERS.items(), key=lambda kv: kv[1].offset):\n"
                + "    v = r.value if r.value is not None else r.reset\n"
                + "    fields = ','.join('%s:%d:%d' % (f, lsb, w) for f, (lsb, w) in r.fields.items())\n"
                + "    print(('%s %03X %s %08X %s' % (name, r.offset, r.access, v, fields)).strip())\n");
        Processes.Result py = Processes.run(List.of(Tools.require("python3").toString(), "dump.py"), dir, Map.of(), dir.resolve("py.out"),
                Duration.ofMinutes(1));
        assertEquals(0, py.exitCode(), py.output());
        assertEquals(want, py.output().lines().toList(), "Python module");

        assertEquals(want, fromMarkdown(MarkdownTable.of(map)), "Markdown table");

        Simulator sim = cosim.open(shell.core(), 3);
        sim.reset();
        ShellBench b = new ShellBench(shell, sim, 3, 0.3);
        List<String> rtl = new ArrayList<>();
        for (RegisterMap.Register r : map.registers()) {
            rtl.add(line(r, b.lite.read(r.offset())));
        }
        assertEquals(want, rtl, "RTL register file after reset");
    }

    private static List<String> canonical(RegisterMap map) {
        return map.registers().stream().map(r -> line(r, r.resetRead())).toList();
    }

    private static String line(RegisterMap.Register r, long value) {
        StringBuilder fields = new StringBuilder();
        for (RegisterMap.Field f : r.fields()) {
            fields.append(fields.length() > 0 ? "," : "").append(f.name()).append(':').append(f.lsb()).append(':').append(f.width());
        }
        return String.format(Locale.ROOT, "%s %03X %s %08X %s", r.name(), r.offset(), r.access(), value, fields).strip();
    }

    private static List<String> cLines(RegisterMap map) {
        List<String> out = new ArrayList<>();
        for (RegisterMap.Register r : map.registers()) {
            out.add(String.format(Locale.ROOT, "%s %03X %08X", r.name(), r.offset(), r.resetRead()));
            for (RegisterMap.Field f : r.fields()) {
                out.add(String.format(Locale.ROOT, "%s.%s %d %08X", r.name(), f.name(), f.lsb(), f.mask()));
            }
        }
        return out;
    }

    /** Rows "| 0x010 | STATUS | RO | 0x00000000 | 31:0 | ... |" and field rows "| | STATUS.BUSY | | | 0 | ... |". */
    private static List<String> fromMarkdown(String md) {
        Pattern reg = Pattern.compile("^\\| 0x([0-9A-F]{3}) \\| (\\w+) \\| (\\w+) \\| 0x([0-9A-F]{8}) \\| 31:0 \\|.*");
        Pattern field = Pattern.compile("^\\| \\| (\\w+)\\.(\\w+) \\| \\| \\| (\\d+)(?::(\\d+))? \\|.*");
        StringBuilder current = null;
        String currentFields = "";
        List<String> out = new ArrayList<>();
        for (String l : md.lines().toList()) {
            Matcher m = reg.matcher(l);
            Matcher f = field.matcher(l);
            if (m.matches()) {
                if (current != null) {
                    out.add((current + " " + currentFields).strip());
                }
                current = new StringBuilder(m.group(2) + " " + m.group(1) + " " + m.group(3) + " " + m.group(4));
                currentFields = "";
            } else if (f.matches()) {
                int hi = Integer.parseInt(f.group(3));
                int lo = f.group(4) == null ? hi : Integer.parseInt(f.group(4));
                currentFields += (currentFields.isEmpty() ? "" : ",") + f.group(2) + ":" + lo + ":" + (hi - lo + 1);
            }
        }
        if (current != null) {
            out.add((current + " " + currentFields).strip());
        }
        return out;
    }
}

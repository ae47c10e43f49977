package dev.qforge.fpga.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qforge.dsl.Design;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Resources;
import dev.qforge.generators.report.Target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Out-of-context synthesis with Yosys, hierarchy kept so every module has its own figures:
 * {@code synth_xilinx -family xcup|xc7 -noiopad} and {@code synth_ice40 -noflatten [-dsp]}, cell
 * counts read from {@code stat -json}. Results are cached by the hash of the RTL, the script and the
 * Yosys version, so a rerun on unchanged RTL starts no tool.
 */
public final class Yosys {
    private static final String STAT = "stat.json";
    private static final String NETLIST = "netlist.json";

    private final Tool tool;
    private final String version;
    private final SynthCache cache;
    private final Duration timeout;

    private Yosys(Tool tool, SynthCache cache, Duration timeout) {
        this.tool = tool;
        this.version = tool.version("-V");
        this.cache = cache;
        this.timeout = timeout;
    }

    /** Yosys when installed. */
    public static Optional<Yosys> find(SynthCache cache, Duration timeout) {
        return Tool.find("yosys").map(t -> new Yosys(t, cache, timeout));
    }

    /** The synthesis command of {@code target} for top module {@code top}. */
    public static String command(Target target, String top) {
        return switch (target) {
            case XCUP, XC7 -> "synth_xilinx -family " + target.id() + " -noiopad -top " + top;
            case UP5K -> "synth_ice40 -noflatten -dsp -top " + top;
            case HX8K -> "synth_ice40 -noflatten -top " + top;
        };
    }

    public Synthesis synthesize(Design design, Target target) {
        String command = command(target, design.top().name());
        StringBuilder script = new StringBuilder("read_verilog -defer");
        for (String module : design.verilog().keySet()) {
            script.append(' ').append(module).append(".v");
        }
        script.append('\n').append(command).append('\n').append("tee -q -o ").append(STAT).append(" stat -json\n");
        if (target.isIce40()) {
            script.append("flatten\nwrite_json ").append(NETLIST).append('\n');
        }
        List<String> keyParts = new ArrayList<>(List.of(version, script.toString()));
        design.verilog().forEach((name, text) -> {
            keyParts.add(name);
            keyParts.add(text);
        });
        Path dir = cache.get(SynthCache.key(keyParts.toArray(new String[0])), work -> run(design, script.toString(), work));
        return read(dir, target, command);
    }

    private void run(Design design, String script, Path work) {
        try {
            for (Map.Entry<String, String> v : design.verilog().entrySet()) {
                Files.writeString(work.resolve(v.getKey() + ".v"), v.getValue(), StandardCharsets.UTF_8);
            }
            Files.writeString(work.resolve("synth.ys"), script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the synthesis inputs to " + work + ": " + e.getMessage(), e);
        }
        Tool.Result r = tool.run(List.of("-q", "-l", "yosys.log", "synth.ys"), work, timeout).requireSuccess();
        if (!Files.exists(work.resolve(STAT))) {
            throw new Tool.ToolException(r.command() + " wrote no " + STAT + "; last lines of its output:\n" + Tool.tail(r.output(), 30));
        }
    }

    private Synthesis read(Path dir, Target target, String command) {
        JsonNode stat;
        try {
            stat = parseStat(Files.readString(dir.resolve(STAT), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Yosys statistics " + dir.resolve(STAT) + ": " + e.getMessage(), e);
        }
        Map<String, Resources> modules = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = stat.path("modules").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            String name = m.getKey().startsWith("\\") ? m.getKey().substring(1) : m.getKey();
            modules.put(name, resources(m.getValue().path("num_cells_by_type")));
        }
        Resources total = resources(stat.path("design").path("num_cells_by_type"));
        return new Synthesis(target, version, command, modules, total, target.isIce40() ? dir.resolve(NETLIST) : null);
    }

    /**
     * The {@code stat -json} output. Yosys 0.23 writes the hierarchy's instance counts
     * ({@code "       Sub_module        1"}) into it between the modules and the design totals when
     * the top has submodules; those lines carry no quote or bracket and are dropped.
     */
    static JsonNode parseStat(String text) throws IOException {
        String json = text.lines().filter(l -> l.isBlank() || l.matches(".*[\"{}\\[\\]].*"))
                .collect(java.util.stream.Collectors.joining("\n"));
        return new ObjectMapper().readTree(json);
    }

    /** Maps Yosys cell types to resources; submodule cells and buffers are not resources of their own. */
    private static Resources resources(JsonNode cellsByType) {
        EnumMap<Resource, Long> counts = new EnumMap<>(Resource.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = cellsByType.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            CellKind kind = CellKind.of(c.getKey());
            if (kind != null) {
                counts.merge(kind.resource, kind.units * c.getValue().asLong(), Long::sum);
            }
        }
        return Resources.of(counts);
    }

    /** A primitive cell: which resource it takes and how many units of it. */
    private record CellKind(Resource resource, long units) {
        static CellKind of(String type) {
            // LUT RAM and shift registers by the LUTs of the slice they take
            if (type.matches("LUT[1-6]|SB_LUT4|SRL16E|SRLC32E|RAM(32|64)X1S")) {
                return new CellKind(Resource.LUT, 1);
            }
            if (type.matches("RAM(32|64)X1D|RAM128X1S")) {
                return new CellKind(Resource.LUT, 2);
            }
            if (type.matches("RAM(32|64)M|RAM128X1D|RAM256X1S")) {
                return new CellKind(Resource.LUT, 4);
            }
            if (type.matches("RAM32M16|RAM64M8|RAM256X1D|RAM512X1S|RAM32X16DR8")) {
                return new CellKind(Resource.LUT, 8);
            }
            if (type.matches("FD[RSCP]E(_1)?|SB_DFF[A-Z]*")) {
                return new CellKind(Resource.FF, 1);
            }
            if (type.matches("DSP48E[12]|SB_MAC16")) {
                return new CellKind(Resource.DSP, 1);
            }
            if (type.matches("RAMB18E[12]|SB_RAM40_4K[A-Z]*")) {
                return new CellKind(Resource.BRAM, 1);
            }
            if (type.matches("RAMB36E[12]")) {
                return new CellKind(Resource.BRAM, 2);
            }
            return null;
        }
    }
}

package dev.qforge.spec.check;

import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.BlockInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A valid/ready stream of a block, found by its port names ({@code NAME_valid}, {@code NAME_ready},
 * payload {@code NAME_<field>}), as every block declares its streams.
 *
 * @param input  whether the block takes beats on it
 * @param fields the payload ports in port order (lanes {@code out_0..out_7}, or fields {@code cfg_m, cfg_k})
 * @param format the lanes' number format where the port types do not say it ({@code fp32}: a float's bit
 *               pattern), else null
 */
public record StreamPort(String name, boolean input, Signal valid, Signal ready, List<Signal> fields, String format) {
    /** The streams of a block's top module, each with the lane format the block states for it. */
    public static List<StreamPort> of(BlockInfo block) {
        return of(block.top()).stream().map(s -> new StreamPort(s.name, s.input, s.valid, s.ready, s.fields, block.laneFormat(s.name))).toList();
    }

    /** The streams of {@code m}, in port order of their valid signals (their formats the port types). */
    public static List<StreamPort> of(Module m) {
        List<String> names = new ArrayList<>();
        for (Signal p : m.ports()) {
            if (p.name().endsWith("_valid") && has(m, p.name().replaceAll("_valid$", "_ready"))) {
                names.add(p.name().substring(0, p.name().length() - "_valid".length()));
            }
        }
        List<StreamPort> streams = new ArrayList<>();
        for (String n : names) {
            Signal valid = m.port(n + "_valid");
            List<Signal> fields = new ArrayList<>();
            for (Signal p : m.ports()) {
                if (p.name().startsWith(n + "_") && p != valid && !p.name().equals(n + "_ready") && owner(names, p.name()).equals(n)) {
                    fields.add(p);
                }
            }
            streams.add(new StreamPort(n, valid.kind() == Signal.Kind.INPUT, valid, m.port(n + "_ready"), List.copyOf(fields), null));
        }
        return streams;
    }

    /** Ports of {@code m} in no stream (clk and rst excluded). */
    public static List<Signal> loose(Module m, List<StreamPort> streams) {
        List<Signal> out = new ArrayList<>();
        for (Signal p : m.ports()) {
            boolean inStream = streams.stream().anyMatch(s -> s.valid == p || s.ready == p || s.fields.contains(p));
            if (!inStream && !p.name().equals("clk") && !p.name().equals("rst")) {
                out.add(p);
            }
        }
        return out;
    }

    /** The field's name without the stream's: "0" of out_0, "m" of cfg_m. */
    public String fieldName(Signal field) {
        return field.name().substring(name.length() + 1);
    }

    /** "8 lanes of int32", "8 lanes of fp32" or "fields m uint9, k uint9, n uint9". */
    public String shape() {
        if (fields.isEmpty()) {
            return "no payload";
        }
        HwType first = fields.get(0).type();
        if (fields.stream().allMatch(f -> f.type().equals(first))) {
            return fields.size() + (fields.size() == 1 ? " lane of " : " lanes of ") + (format != null ? format : typeName(first));
        }
        List<String> parts = new ArrayList<>();
        for (Signal f : fields) {
            parts.add(fieldName(f) + " " + typeName(f.type()));
        }
        return "fields " + String.join(", ", parts);
    }

    /** Whether a beat of {@code other} carries the same bits, field by field, in the same number format. */
    public boolean sameShape(StreamPort other) {
        if (fields.size() != other.fields.size() || !Objects.equals(format, other.format)) {
            return false;
        }
        for (int i = 0; i < fields.size(); i++) {
            if (!fields.get(i).type().equals(other.fields.get(i).type())) {
                return false;
            }
        }
        return true;
    }

    public int payloadBits() {
        return fields.stream().mapToInt(Signal::width).sum();
    }

    /** A field's type as a format is written: int8, uint9, bool. */
    static String typeName(HwType t) {
        return t.isBool() ? "bool" : (t.isSigned() ? "int" : "uint") + t.width();
    }

    private static boolean has(Module m, String port) {
        return m.ports().stream().anyMatch(p -> p.name().equals(port));
    }

    /** The stream a port belongs to: the longest stream name it starts with. */
    private static String owner(List<String> names, String port) {
        return names.stream().filter(n -> port.startsWith(n + "_")).max(Comparator.comparingInt(String::length)).orElse("");
    }
}

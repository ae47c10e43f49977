package dev.qforge.dsl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The field layout of a bundle: ordered names and types, e.g. a stream payload {@code data, last}. */
public final class Record {
    private final LinkedHashMap<String, HwType> fields;

    private Record(LinkedHashMap<String, HwType> fields) {
        this.fields = fields;
    }

    public static Record of(String name, HwType type) {
        return new Record(new LinkedHashMap<>()).with(name, type);
    }

    /** A record with one more field. */
    public Record with(String name, HwType type) {
        ElaborationException.requireNonNull(name, "record field name");
        ElaborationException.requireNonNull(type, "type of record field '" + name + "'");
        LinkedHashMap<String, HwType> f = new LinkedHashMap<>(fields);
        if (f.put(name, type) != null) {
            throw new ElaborationException("record field '" + name + "' declared twice", SourceLocation.capture());
        }
        return new Record(f);
    }

    public Map<String, HwType> fields() {
        return java.util.Collections.unmodifiableMap(fields);
    }

    /** Total bits of all fields. */
    public int width() {
        return fields.values().stream().mapToInt(HwType::width).sum();
    }

    /** One signal per field, made by {@code make}, as a bundle. */
    Bundle declare(Function<Map.Entry<String, HwType>, Signal> make) {
        LinkedHashMap<String, Signal> signals = new LinkedHashMap<>();
        for (Map.Entry<String, HwType> f : fields.entrySet()) {
            signals.put(f.getKey(), make.apply(f));
        }
        return new Bundle(signals);
    }
}

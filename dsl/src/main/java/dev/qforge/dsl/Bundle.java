package dev.qforge.dsl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Named signals that travel together (a {@link Record}'s fields, declared in a module). */
public final class Bundle {
    private final LinkedHashMap<String, Signal> fields;

    Bundle(LinkedHashMap<String, Signal> fields) {
        this.fields = fields;
    }

    public Signal get(String field) {
        Signal s = fields.get(field);
        if (s == null) {
            throw new ElaborationException("bundle has no field '" + field + "' (fields: " + fields.keySet() + ")", SourceLocation.capture());
        }
        return s;
    }

    public Map<String, Signal> fields() {
        return Collections.unmodifiableMap(fields);
    }

    /** Drive every field of this bundle from the field of the same name in {@code source}. */
    public void set(Bundle source) {
        ElaborationException.requireNonNull(source, "source bundle");
        if (!source.fields.keySet().equals(fields.keySet())) {
            throw new ElaborationException("bundles differ: " + fields.keySet() + " vs " + source.fields.keySet(), SourceLocation.capture());
        }
        for (Map.Entry<String, Signal> f : fields.entrySet()) {
            f.getValue().set(source.fields.get(f.getKey()));
        }
    }

    Bundle map(UnaryOperator<Signal> f) {
        LinkedHashMap<String, Signal> m = new LinkedHashMap<>();
        fields.forEach((k, v) -> m.put(k, f.apply(v)));
        return new Bundle(m);
    }
}

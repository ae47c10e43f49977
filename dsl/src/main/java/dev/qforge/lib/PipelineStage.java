package dev.qforge.lib;

import dev.qforge.dsl.Bundle;
import dev.qforge.dsl.ElaborationException;
import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Record;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.qforge.dsl.HwType.bool;

/**
 * One register slice for a stream of any record: valid and every payload field are registered, so
 * no combinational path runs from {@code in_valid} or the payload to {@code out}; {@code in_ready}
 * is {@code !out_valid || out_ready}, a combinational path from {@code out_ready} (the stage takes
 * a beat whenever its register is empty or being emptied). One beat per cycle, one cycle of
 * latency, one beat of storage. Where ready must be registered too (long ready paths), use
 * {@link SkidBuffer}, which holds two beats.
 */
public final class PipelineStage extends Module {
    private static final int READABLE = 48;
    public final Stream in;
    public final Stream out;

    /** A stage for a stream whose payload is the one field {@code data}. */
    public PipelineStage(HwType data) {
        this(Record.of("data", data));
    }

    public PipelineStage(Record payload) {
        super("PipelineStage_" + signature(payload));
        in = inStream("in", payload);
        out = outStream("out", payload);
        Signal validQ = reg("valid_q", bool(), 0);
        Bundle payloadQ = reg("payload_q", payload);   // no reset: only read while valid_q is high
        Signal en = wire("en", bool());
        en.set(validQ.not().or(out.ready()));
        in.ready().set(en);
        when(en, () -> {
            validQ.set(in.valid());
            payloadQ.set(in.payload());
        });
        out.valid().set(validQ);
        out.payload().set(payloadQ);
    }

    /**
     * The module name states the record: {@code data_u8_last_bool}. A record whose fields would make
     * it longer than {@value #READABLE} characters is named by its field count, total width and a
     * hash of that text ({@code 9f_161b_1a2b3c4d}): Verilator replaces names much longer than that
     * with hashes of its own, which no longer match the file names.
     */
    private static String signature(Record payload) {
        ElaborationException.requireNonNull(payload, "PipelineStage's payload record");
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, HwType> f : payload.fields().entrySet()) {
            parts.add(f.getKey() + "_" + f.getValue().shortName());
        }
        String full = String.join("_", parts);
        if (full.length() <= READABLE) {
            return full;
        }
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(full.getBytes(StandardCharsets.UTF_8));
            return parts.size() + "f_" + payload.width() + "b_" + HexFormat.of().formatHex(sha, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

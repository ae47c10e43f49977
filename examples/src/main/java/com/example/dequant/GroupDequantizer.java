package com.example.dequant;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Record;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Stream;
import dev.qforge.lib.PipelineStage;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sfix;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;

/**
 * Dequantizes grouped int4 weights: every group of groupSize codes shares one signed fixed-point
 * scale, and each code q becomes q * scale, exactly (a value of scaleBits + 4 bits with the scale's
 * fraction bits).
 *
 * <p>Streams: {@code scale} takes one beat per group; {@code codes} takes groupSize / lanes beats
 * per group, each packing {@code lanes} int4 codes, lane i in bits [4i+3:4i] (the ONNX int4
 * layout); {@code out} gives one beat per codes beat: fields value_0 .. value_{lanes-1}, then
 * last (high on the last beat of a group). Full throughput: the next group's scale is taken on
 * the cycle the current group's last codes beat is.
 */
public final class GroupDequantizer extends Module {
    public final Stream scale;
    public final Stream codes;
    public final Stream out;

    public GroupDequantizer(int lanes, int groupSize, int scaleBits, int scaleFrac) {
        super("GroupDequantizer_l" + lanes + "_g" + groupSize + "_sfix" + scaleBits + "_" + scaleFrac);
        requireParameter(lanes >= 1 && groupSize % lanes == 0 && groupSize / lanes >= 2,
                "GroupDequantizer needs a group of at least two beats: groupSize a multiple of lanes and >= 2 * lanes, got lanes "
                        + lanes + ", groupSize " + groupSize);
        int beatsPerGroup = groupSize / lanes;
        int countBits = 32 - Integer.numberOfLeadingZeros(beatsPerGroup - 1);

        scale = inStream("scale", sfix(scaleBits, scaleFrac));
        codes = inStream("codes", uint(4 * lanes));
        Record values = Record.of("value_0", sfix(scaleBits + 4, scaleFrac));
        for (int i = 1; i < lanes; i++) {
            values = values.with("value_" + i, sfix(scaleBits + 4, scaleFrac));
        }
        values = values.with("last", bool());
        out = outStream("out", values);

        Signal scaleQ = reg("scale_q", sfix(scaleBits, scaleFrac));
        Signal haveScale = reg("have_scale", bool(), 0);
        Signal beat = reg("beat", uint(countBits), 0);
        Signal lastBeat = wire("last_beat", bool());
        lastBeat.set(beat.eq(beatsPerGroup - 1));

        PipelineStage stage = new PipelineStage(values);
        var s = instance("out_stage", stage);
        Stream result = s.io(stage.in);
        result.valid().set(codes.valid().and(haveScale));
        codes.ready().set(haveScale.and(result.ready()));
        for (int i = 0; i < lanes; i++) {
            Expr code = codes.data().slice(4 * i + 3, 4 * i).asSInt();   // reinterpret the nibble as int4
            result.field("value_" + i).set(code.times(scaleQ));
        }
        result.field("last").set(lastBeat);
        out.set(s.io(stage.out));

        Signal groupDone = wire("group_done", bool());
        groupDone.set(codes.fire().and(lastBeat));
        scale.ready().set(haveScale.not().or(groupDone));
        when(codes.fire(), () -> beat.set(Expr.mux(lastBeat, Expr.u(0, countBits), beat.plus(1).truncate(countBits))));
        when(scale.fire(), () -> {
            scaleQ.set(scale.data());
            haveScale.set(Expr.bool(true));
        }).elsewhen(groupDone, () -> haveScale.set(Expr.bool(false)));
    }
}

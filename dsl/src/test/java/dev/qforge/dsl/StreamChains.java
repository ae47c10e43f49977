package dev.qforge.dsl;

import dev.qforge.lib.PipelineStage;
import dev.qforge.lib.SkidBuffer;
import dev.qforge.lib.SyncFifo;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;

/** Designs whose streams are connected one line each, between the parent's ports and submodule instances. */
final class StreamChains {
    private StreamChains() { }

    /** in -> SkidBuffer -> SyncFifo -> out. */
    static final class SkidThenFifo extends Module {
        final Stream in;
        final Stream out;

        SkidThenFifo() {
            super("SkidThenFifo");
            in = inStream("in", uint(8));
            out = outStream("out", uint(8));
            SkidBuffer skid = new SkidBuffer(8);
            SyncFifo fifo = new SyncFifo(8, 4);
            Instance<SkidBuffer> u0 = instance("skid", skid);
            Instance<SyncFifo> u1 = instance("fifo", fifo);
            u0.io(skid.in).set(in);
            u1.io(fifo.in).set(u0.io(skid.out));
            out.set(u1.io(fifo.out));
        }
    }

    /** A stream payload of two fields. */
    static final Record TAGGED = Record.of("data", uint(8)).with("last", bool());

    /** in -> PipelineStage -> PipelineStage -> out, the same definition instantiated twice. */
    static final class TwoRecordStages extends Module {
        final Stream in;
        final Stream out;

        TwoRecordStages() {
            super("TwoRecordStages");
            in = inStream("in", TAGGED);
            out = outStream("out", TAGGED);
            PipelineStage stage = new PipelineStage(TAGGED);
            Instance<PipelineStage> s0 = instance("s0", stage);
            Instance<PipelineStage> s1 = instance("s1", stage);
            s0.io(stage.in).set(in);
            s1.io(stage.in).set(s0.io(stage.out));
            out.set(s1.io(stage.out));
        }
    }
}

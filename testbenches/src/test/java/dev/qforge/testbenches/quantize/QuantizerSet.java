package dev.qforge.testbenches.quantize;

import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Record;
import dev.qforge.dsl.Stream;
import dev.qforge.generators.quantize.QuantizeConfig;
import dev.qforge.generators.quantize.Quantizer;

import java.util.List;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;

/**
 * Several quantize units of one lane count, block size and input format fed the same beats, so one
 * Verilator model checks several output formats: the control of every unit is the same generator
 * code, so {@code in_ready} and {@code out_valid} come from the first; {@code out} carries
 * {@code f<k>_scale}, {@code f<k>_last}, {@code f<k>_code_<i>} of unit k.
 */
final class QuantizerSet extends Module {
    QuantizerSet(List<QuantizeConfig> cfgs) {
        super("QuantizerSet_" + String.join("_", cfgs.stream().map(c -> c.format().optionName()).toList()) + "_"
                + cfgs.get(0).input().optionName() + "_b" + cfgs.get(0).blockSize() + "_l" + cfgs.get(0).lanes());
        QuantizeConfig first = cfgs.get(0);
        Record inRecord = Record.of("data_0", uint(first.input().bits()));
        for (int i = 1; i < first.lanes(); i++) {
            inRecord = inRecord.with("data_" + i, uint(first.input().bits()));
        }
        Record outRecord = Record.of("f0_scale", uint(8));
        for (int k = 0; k < cfgs.size(); k++) {
            outRecord = (k == 0 ? outRecord : outRecord.with("f" + k + "_scale", uint(8))).with("f" + k + "_last", bool());
            for (int i = 0; i < first.lanes(); i++) {
                outRecord = outRecord.with("f" + k + "_code_" + i, uint(cfgs.get(k).codeBits()));
            }
        }
        Stream in = inStream("in", inRecord);
        Stream out = outStream("out", outRecord);
        for (int k = 0; k < cfgs.size(); k++) {
            Quantizer q = new Quantizer(cfgs.get(k));
            Instance<Quantizer> u = instance("q" + k, q);
            Stream ui = u.io(q.in);
            Stream uo = u.io(q.out);
            ui.valid().set(in.valid());
            ui.payload().set(in.payload());
            uo.ready().set(out.ready());
            if (k == 0) {
                in.ready().set(ui.ready());
                out.valid().set(uo.valid());
            }
            out.field("f" + k + "_scale").set(uo.field("scale"));
            out.field("f" + k + "_last").set(uo.field("last"));
            for (int i = 0; i < first.lanes(); i++) {
                out.field("f" + k + "_code_" + i).set(uo.field("code_" + i));
            }
        }
    }
}

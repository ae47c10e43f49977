package dev.qforge.dsl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A parent that drives a submodule's input and also reads that input back: the read must see the
 * driven value. (The emitter inlined such a driver into the instance pin and left the read-back
 * wire declared but undriven, which simulated as z.)
 */
class InstanceInputReadBackTest {
    static final class AddOne extends Module {
        final Signal in;

        AddOne() {
            super("AddOne");
            in = input("in", uint(8));
            output("out", uint(8)).set(in.plus(1).truncate(8));
        }
    }

    static final class ReadsChildInput extends Module {
        ReadsChildInput() {
            super("ReadsChildInput");
            Signal a = input("a", uint(8));
            Signal b = input("b", uint(8));
            AddOne child = new AddOne();
            Instance<AddOne> u0 = instance("u0", child);
            Instance<AddOne> u1 = instance("u1", child);
            u0.io(child.in).set(a.xor(b));
            u1.io(child.in).set(u0.io(child.in).and(b));       // read back by another instance's pin
            output("echo", uint(8)).set(u0.io(child.in));      // read back by the body
            output("next", uint(8)).set(u1.io("out"));
        }
    }

    @Test
    void readingADrivenInstanceInputSeesItsValue(@TempDir Path dir) throws Exception {
        ReadsChildInput m = new ReadsChildInput();
        List<Signal> ins = CombSim.ports(m, true);
        List<Signal> outs = CombSim.ports(m, false);
        Random r = new Random(20261206L);
        List<BigInteger[]> vectors = new ArrayList<>();
        for (int k = 0; k < 64; k++) {
            vectors.add(new BigInteger[] {BigInteger.valueOf(r.nextInt(256)), BigInteger.valueOf(r.nextInt(256))});
        }
        List<BigInteger[]> results = CombSim.run(dir, m, ins, outs, vectors);
        for (int k = 0; k < vectors.size(); k++) {
            int a = vectors.get(k)[0].intValue();
            int b = vectors.get(k)[1].intValue();
            assertEquals(a ^ b, results.get(k)[0].intValue(), "echo, vector " + k);
            assertEquals((((a ^ b) & b) + 1) & 0xFF, results.get(k)[1].intValue(), "next, vector " + k);
        }
        HdlTools.assertVerilatorClean(dir, m.name());
    }
}

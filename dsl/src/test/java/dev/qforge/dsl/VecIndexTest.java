package dev.qforge.dsl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vector elements read and written by a runtime index: {@code at} as a balanced mux tree (an index
 * past the end selects the last element, a narrow index reaches only its elements), {@code setAt}
 * and {@code setAtWhen} writing only the selected element. Simulated in Icarus on every index and
 * seeded random data against expectations written here; LintCleanTest holds the design lint-clean.
 */
class VecIndexTest {
    private static final long SEED = 20261205L;
    private static final int N = 5;

    static final class Indexed extends Module {
        Indexed() {
            super("Indexed");
            Vec d = inputs("d", N, sint(8));
            Signal idx = input("idx", uint(4));
            Signal narrow = input("narrow", uint(2));
            Signal en = input("en", bool());
            Signal v = input("v", sint(8));
            output("q", sint(8)).set(d.at(idx));
            output("q_narrow", sint(8)).set(d.at(narrow));
            Vec w = wires("w", N, sint(8));
            Vec x = wires("x", N, sint(8));
            Vec o = outputs("o", N, sint(8));
            Vec p = outputs("p", N, sint(8));
            for (int i = 0; i < N; i++) {
                w.get(i).set(0);
                x.get(i).set(-1);
            }
            w.setAt(idx, v);
            x.setAtWhen(en, idx, v);
            for (int i = 0; i < N; i++) {
                o.get(i).set(w.get(i));
                p.get(i).set(x.get(i));
            }
        }
    }

    @Test
    void aRuntimeReadIsAMuxTreeOnTheIndexBits() {
        String v = Design.elaborate(new Indexed()).verilog("Indexed");
        String q = v.lines().filter(l -> l.contains("assign q = ")).findFirst().orElseThrow();
        assertFalse(q.contains("=="), q);
        assertEquals("    assign q = (idx[3] ? d_4 : (idx[2] ? d_4 : (idx[1] ? (idx[0] ? d_3 : d_2) : (idx[0] ? d_1 : d_0))));", q);
    }

    @Test
    void readsAndWritesSelectExactlyTheIndexedElement(@TempDir Path dir) throws Exception {
        Indexed m = new Indexed();
        List<Signal> ins = CombSim.ports(m, true);
        List<Signal> outs = CombSim.ports(m, false);
        Random r = new Random(SEED);
        List<BigInteger[]> vectors = new ArrayList<>();
        for (int rep = 0; rep < 4; rep++) {
            for (int idx = 0; idx < 16; idx++) {
                BigInteger[] vec = new BigInteger[ins.size()];
                for (int i = 0; i < N; i++) {
                    vec[i] = BigInteger.valueOf(r.nextInt(256) - 128);
                }
                vec[N] = BigInteger.valueOf(idx);
                vec[N + 1] = BigInteger.valueOf(idx % 4);
                vec[N + 2] = BigInteger.valueOf(rep % 2);
                vec[N + 3] = BigInteger.valueOf(r.nextInt(256) - 128);
                vectors.add(vec);
            }
        }
        List<BigInteger[]> got = CombSim.run(dir, m, ins, outs, vectors);
        for (int k = 0; k < vectors.size(); k++) {
            BigInteger[] in = vectors.get(k);
            int idx = in[N].intValue();
            boolean en = in[N + 2].signum() != 0;
            List<BigInteger> expected = new ArrayList<>();
            expected.add(in[Math.min(idx, N - 1)]);
            expected.add(in[in[N + 1].intValue()]);
            for (int i = 0; i < N; i++) {
                expected.add(idx == i ? in[N + 3] : BigInteger.ZERO);
            }
            for (int i = 0; i < N; i++) {
                expected.add(en && idx == i ? in[N + 3] : BigInteger.valueOf(-1));
            }
            for (int j = 0; j < outs.size(); j++) {
                BigInteger want = expected.get(j).mod(BigInteger.valueOf(256));
                assertEquals(want, got.get(k)[j], outs.get(j).name() + " for vector " + k + " (idx " + idx + ", seed " + SEED + ")");
            }
        }
        assertTrue(vectors.size() == 64);
    }
}

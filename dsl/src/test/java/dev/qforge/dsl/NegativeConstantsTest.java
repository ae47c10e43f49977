package dev.qforge.dsl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Negative constants are emitted readably ({@code -8'sd91}, the most negative value as {@code 8'sh80})
 * and compute exactly their value in every context: Icarus runs {@link NegativeConstants} on edge and
 * seeded random inputs against the independent {@link ExprEval}, and the constant outputs against
 * their bit patterns written here. LintCleanTest holds the design lint-clean in Verilator, Yosys and Icarus.
 */
class NegativeConstantsTest {
    private static final long SEED = 20261205L;

    @Test
    void negativeConstantsAreWrittenAsSignedLiterals() {
        String v = Design.elaborate(new NegativeConstants()).verilog("NegativeConstants");
        assertTrue(v.contains("assign c_m91 = -8'sd91;"), v);
        assertTrue(v.contains("assign c_min = 8'sh80;"), v);
        assertTrue(v.contains("assign c_min_wide = -16'sd128;"), v);
        assertTrue(v.contains("assign c_wide = -48'sh10000000005;"), v);
        assertTrue(v.contains("wire [15:0] prod_min_prod = $signed(s) * -16'sd128;"), v);
        assertTrue(v.contains("2'd1: lut_q = -8'sd91;"), v);
        assertTrue(!v.contains("$signed(8'd"), v);
    }

    @Test
    void everyContextComputesTheExactValue(@TempDir Path dir) throws Exception {
        NegativeConstants m = new NegativeConstants();
        List<Signal> ins = CombSim.ports(m, true);
        List<Signal> outs = CombSim.ports(m, false);
        List<BigInteger[]> vectors = new ArrayList<>();
        long[] edges = {-128, -91, -92, -90, -1, 0, 1, 127};
        Random r = new Random(SEED);
        for (long s : edges) {
            for (int amt = 0; amt < 8; amt += 3) {
                vectors.add(vector(s, r.nextInt(256), amt % 2, amt));
            }
        }
        for (int k = 0; k < 200; k++) {
            vectors.add(vector(r.nextInt(256) - 128, r.nextInt(256), r.nextInt(2), r.nextInt(8)));
        }
        List<BigInteger[]> results = CombSim.run(dir, m, ins, outs, vectors);

        for (int k = 0; k < vectors.size(); k++) {
            Map<Signal, BigInteger> in = new LinkedHashMap<>();
            for (int i = 0; i < ins.size(); i++) {
                in.put(ins.get(i), vectors.get(k)[i]);
            }
            ExprEval eval = new ExprEval(m, in);
            for (int j = 0; j < outs.size(); j++) {
                Signal o = outs.get(j);
                assertEquals(ExprEval.bits(eval.eval(o), o.width()).toString(16), results.get(k)[j].toString(16),
                        () -> o.name() + " for inputs " + in + " (seed " + SEED + ")");
            }
            assertEquals("a5", hex(results.get(k), outs, "c_m91"));
            assertEquals("80", hex(results.get(k), outs, "c_min"));
            assertEquals("ff80", hex(results.get(k), outs, "c_min_wide"));
            assertEquals("fefffffffffb", hex(results.get(k), outs, "c_wide"));
            assertEquals("800000000000", hex(results.get(k), outs, "c_wide_min"));
            assertEquals("80", hex(results.get(k), outs, "neg_min"));
        }
    }

    private static BigInteger[] vector(long s, long u, long sel, long amt) {
        return new BigInteger[] {BigInteger.valueOf(s), BigInteger.valueOf(u), BigInteger.valueOf(sel), BigInteger.valueOf(amt)};
    }

    private static String hex(BigInteger[] row, List<Signal> outs, String name) {
        for (int j = 0; j < outs.size(); j++) {
            if (outs.get(j).name().equals(name)) {
                return row[j].toString(16);
            }
        }
        throw new IllegalArgumentException(name);
    }
}

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
import java.time.Duration;

import static dev.qforge.dsl.Expr.u;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large expression used in more than one place is written once, as a helper wire: inlined, a
 * chain that reads each value twice would double its text at every step.
 */
class SharedExpressionsTest {
    /** y(i+1) = y(i) ^ (y(i) << 1) ^ k(i), for the given steps: inlined, 2^steps copies of x. */
    static final class DoublingChain extends Module {
        DoublingChain(int steps) {
            super("DoublingChain_" + steps);
            Signal x = input("x", uint(16));
            Expr y = x;
            for (int i = 0; i < steps; i++) {
                y = y.xor(y.shl(1).truncate(16)).xor(u(i * 2654435761L & 0xffff, 16));
            }
            output("y", uint(16)).set(y);
        }
    }

    @Test
    void aChainThatReadsEachValueTwiceGrowsLinearly(@TempDir Path dir) throws Exception {
        String twenty = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Design.elaborate(new DoublingChain(20)).verilog("DoublingChain_20"));
        DoublingChain m = new DoublingChain(40);
        String forty = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Design.elaborate(m).verilog("DoublingChain_40"));
        assertTrue(forty.length() < 3 * twenty.length(), "twice the steps, " + forty.length() + " characters against " + twenty.length());
        assertSimulatesLikeTheIr(dir, m);
        HdlTools.assertVerilatorClean(dir, "DoublingChain_40");
    }

    /** Icarus on the emitted Verilog agrees with the IR's own evaluation on edge and seeded random inputs. */
    private static void assertSimulatesLikeTheIr(Path dir, Module m) throws Exception {
        List<Signal> ins = CombSim.ports(m, true);
        List<Signal> outs = CombSim.ports(m, false);
        Random random = new Random(20261206L);
        List<BigInteger[]> vectors = new ArrayList<>();
        for (long edge : new long[] {0, 1, 0x8000, 0xffff}) {
            vectors.add(new BigInteger[] {BigInteger.valueOf(edge)});
        }
        for (int k = 0; k < 200; k++) {
            vectors.add(new BigInteger[] {BigInteger.valueOf(random.nextInt(1 << 16))});
        }
        List<BigInteger[]> results = CombSim.run(dir, m, ins, outs, vectors);
        for (int k = 0; k < vectors.size(); k++) {
            Map<Signal, BigInteger> in = new LinkedHashMap<>();
            in.put(ins.get(0), vectors.get(k)[0]);
            ExprEval eval = new ExprEval(m, in);
            for (int j = 0; j < outs.size(); j++) {
                assertEquals(ExprEval.bits(eval.eval(outs.get(j)), outs.get(j).width()), results.get(k)[j],
                        outs.get(j).name() + " for x = " + vectors.get(k)[0]);
            }
        }
    }
}

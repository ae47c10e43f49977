package dev.qforge.dsl;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static dev.qforge.dsl.HwType.sfix;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code roundShiftRight(Signal amount, mode)}, the rounding shift by a runtime amount, simulated in
 * Icarus for every amount a 4-bit amount holds (0, and past the value's width) on signed, unsigned
 * and fixed-point values: range edges, ties and ties +- 1 at every amount, and seeded random
 * values, each against {@link Rounding#shiftRight}. LintCleanTest holds the design lint-clean.
 */
class RuntimeRoundShiftTest {
    private static final long SEED = 20261205L;

    static final class RuntimeShift extends Module {
        RuntimeShift(Rounding mode) {
            super("RuntimeShift_" + mode.name().toLowerCase(Locale.ROOT));
            Signal s = input("s", sint(10));
            Signal u = input("u", uint(10));
            Signal fx = input("fx", sfix(10, 4));
            Signal n = input("n", uint(4));
            Signal narrow = input("narrow", uint(2));
            output("rs", sint(10)).set(s.roundShiftRight(n, mode));
            output("ru", uint(10)).set(u.roundShiftRight(n, mode));
            output("rf", sfix(10, 4)).set(fx.roundShiftRight(n, mode));
            output("rn", sint(10)).set(s.roundShiftRight(narrow, mode));
        }
    }

    @ParameterizedTest
    @EnumSource(Rounding.class)
    void everyAmountRoundsExactlyLikeTheSoftwareRule(Rounding mode, @TempDir Path dir) throws Exception {
        RuntimeShift m = new RuntimeShift(mode);
        List<Signal> ins = CombSim.ports(m, true);
        List<Signal> outs = CombSim.ports(m, false);
        Random r = new Random(SEED);
        List<long[]> cases = new ArrayList<>();
        for (int n = 0; n < 16; n++) {
            List<Long> signedValues = new ArrayList<>(List.of(-512L, 511L, 0L, -1L, 1L));
            if (n >= 1 && n <= 9) {
                long half = 1L << (n - 1);
                for (long t : new long[] {half, 3 * half, -half, -3 * half}) {
                    signedValues.addAll(List.of(t - 1, t, t + 1));
                }
            }
            for (int k = 0; k < 12; k++) {
                signedValues.add((long) r.nextInt(1024) - 512);
            }
            for (long v : signedValues) {
                long sv = Math.max(-512, Math.min(511, v));
                cases.add(new long[] {sv, Math.floorMod(v, 1024), sv, n, n % 4});
            }
        }
        List<BigInteger[]> vectors = new ArrayList<>();
        for (long[] c : cases) {
            BigInteger[] v = new BigInteger[c.length];
            for (int i = 0; i < c.length; i++) {
                v[i] = BigInteger.valueOf(c[i]);
            }
            vectors.add(v);
        }
        List<BigInteger[]> got = CombSim.run(dir, m, ins, outs, vectors);
        for (int k = 0; k < cases.size(); k++) {
            long[] c = cases.get(k);
            long[] expected = {
                mode.shiftRight(c[0], (int) c[3]), mode.shiftRight(c[1], (int) c[3]), mode.shiftRight(c[2], (int) c[3]),
                mode.shiftRight(c[0], (int) c[4])};
            for (int j = 0; j < outs.size(); j++) {
                assertEquals(BigInteger.valueOf(Math.floorMod(expected[j], 1024)), got.get(k)[j],
                        outs.get(j).name() + " of " + c[j == 1 ? 1 : 0] + " >> " + c[j == 3 ? 4 : 3] + " (" + mode + ", seed " + SEED + ")");
            }
        }
    }
}

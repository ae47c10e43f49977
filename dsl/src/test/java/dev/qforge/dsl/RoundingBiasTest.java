package dev.qforge.dsl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A rounding mode's bias as hardware, {@link Rounding#constant} plus {@link Rounding#carry} evaluated by
 * the independent {@link ExprEval}, equals {@link Rounding#bias} bit for bit for every mode with that
 * form and every shift of a 40-bit value, signed and unsigned: range edges, exact ties and their
 * neighbours (odd and even quotients, both signs), and seeded random values.
 */
class RoundingBiasTest {
    private static final int W = 40;
    private static final long SEED = 20261206L;
    private static final int RANDOM_VALUES = 40;

    /** The values the bias expressions read: a signed and an unsigned W-bit input. */
    static final class Probe extends Module {
        final Signal s = input("s", sint(W));
        final Signal u = input("u", uint(W));

        Probe() {
            super("BiasProbe");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Rounding.class, names = "TOWARD_ZERO", mode = EnumSource.Mode.EXCLUDE)
    void constantPlusCarryIsTheBias(Rounding mode) {
        Probe m = new Probe();
        long seed = SEED + mode.ordinal();
        Random rnd = new Random(seed);
        for (int n = 1; n < W; n++) {
            Expr signedCarry = mode.carry(m.s, n);
            Expr unsignedCarry = mode.carry(m.u, n);
            for (long x : values(n, rnd)) {
                long ux = x & ((1L << W) - 1); // the same bits read unsigned
                ExprEval eval = new ExprEval(m, Map.of(m.s, BigInteger.valueOf(x), m.u, BigInteger.valueOf(ux)));
                check(mode, n, x, signedCarry, eval, seed);
                check(mode, n, ux, unsignedCarry, eval, seed);
            }
        }
    }

    @Test
    void towardZeroHasNoConstantPlusOneBitForm() {
        Probe m = new Probe();
        assertThrows(IllegalStateException.class, () -> Rounding.TOWARD_ZERO.constant(3));
        assertThrows(IllegalStateException.class, () -> Rounding.TOWARD_ZERO.carry(m.s, 3));
    }

    private static void check(Rounding mode, int n, long x, Expr carry, ExprEval eval, long seed) {
        BigInteger hardware = mode.constant(n);
        if (carry != null) {
            assertEquals(HwType.bool(), carry.type(), mode + ": the carry is one bit");
            hardware = hardware.add(eval.eval(carry));
        }
        long expected = mode.bias(x, n);
        if (!hardware.equals(BigInteger.valueOf(expected))) {
            fail(mode + " bias of " + x + " for a shift by " + n + " (seed " + seed + "): Rounding.bias gives " + expected
                    + ", constant + carry " + hardware);
        }
    }

    /** Signed W-bit values: the range's edges, ties +- 1 around random quotients, random values. */
    private static List<Long> values(int n, Random rnd) {
        long min = -(1L << (W - 1));
        long max = (1L << (W - 1)) - 1;
        List<Long> xs = new ArrayList<>(List.of(min, max, 0L, 1L, -1L));
        long half = 1L << (n - 1);
        for (int q = 0; q < 8; q++) {
            long quotient = (random(rnd) >> n) + q % 2; // odd and even quotients
            for (long d = -1; d <= 1; d++) {
                long x = (quotient << n) + half + d;
                if (x >= min && x <= max) {
                    xs.add(x);
                }
            }
        }
        for (int k = 0; k < RANDOM_VALUES; k++) {
            xs.add(random(rnd));
        }
        return xs;
    }

    private static long random(Random rnd) {
        return rnd.nextLong() >> (64 - W);
    }
}

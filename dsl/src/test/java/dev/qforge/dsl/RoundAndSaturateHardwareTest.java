package dev.qforge.dsl;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static dev.qforge.dsl.HwType.sfix;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The emitted hardware of {@code roundShiftRight} (every {@link Rounding} mode) and {@code saturate},
 * simulated in Icarus, against references that do not look at the IR: {@link Rounding#shiftRight}
 * for values a long holds, BigDecimal division for 90-bit values (shifts up to 89 bits), and a
 * clamp written here. Signed, unsigned and fixed-point inputs; ties, ties +- 1, range edges and
 * seeded random values.
 */
class RoundAndSaturateHardwareTest {
    private static final int[] NARROW_SHIFTS = {1, 2, 5, 12, 19};
    private static final int[] FIXED_SHIFTS = {1, 3, 7};
    private static final int[] WIDE_SHIFTS = {1, 40, 63, 64, 70, 89};
    private static final int RANDOM_VECTORS = 300;

    /** What one output must equal, from the input value it is computed from. */
    private record Check(Signal out, Signal in, UnaryOperator<BigInteger> expected) { }

    /** Every rounding and saturation form, one output each. */
    static final class RoundSat extends Module {
        final List<Check> checks = new ArrayList<>();
        final List<Signal> ins = new ArrayList<>();

        RoundSat() {
            super("RoundSat");
            Signal s = in("s", sint(20));
            Signal u = in("u", uint(20));
            Signal fx = in("fx", sfix(18, 6));
            Signal ws = in("ws", sint(90));
            Signal wu = in("wu", uint(90));
            for (Rounding mode : Rounding.values()) {
                String m = mode.name().toLowerCase(Locale.ROOT);
                for (int n : NARROW_SHIFTS) {
                    round("r_" + m + "_s" + n, s, n, mode, x -> BigInteger.valueOf(mode.shiftRight(x.longValueExact(), n)));
                    round("r_" + m + "_u" + n, u, n, mode, x -> BigInteger.valueOf(mode.shiftRight(x.longValueExact(), n)));
                }
                for (int n : FIXED_SHIFTS) {
                    // The binary point does not change the raw-bit rounding; shr keeps it where it was.
                    Expr r = fx.roundShiftRight(n, mode);
                    assertEquals(6, r.type().frac(), r.type()::toString);
                    check("r_" + m + "_fx" + n, r.asSInt(), fx, x -> BigInteger.valueOf(mode.shiftRight(x.longValueExact(), n)));
                }
                for (int n : WIDE_SHIFTS) {
                    round("r_" + m + "_ws" + n, ws, n, mode, x -> wideRound(x, n, mode));
                    round("r_" + m + "_wu" + n, wu, n, mode, x -> wideRound(x, n, mode));
                }
            }
            for (int w : new int[] {1, 2, 8, 19}) {
                saturate("sat_s" + w, s, w);
            }
            for (int w : new int[] {1, 8, 19}) {
                saturate("sat_u" + w, u, w);
            }
            for (int w : new int[] {63, 64, 65, 70, 89}) {
                saturate("sat_ws" + w, ws, w);
                saturate("sat_wu" + w, wu, w);
            }
            check("sat_fx10", fx.saturate(10).asSInt(), fx, x -> clamp(x, 10, true));
        }

        private Signal in(String name, HwType t) {
            Signal s = input(name, t);
            ins.add(s);
            return s;
        }

        private void round(String name, Signal x, int n, Rounding mode, UnaryOperator<BigInteger> expected) {
            Expr r = x.roundShiftRight(n, mode);
            // The documented result width: width - n + 1 bits, FLOOR width - n.
            assertEquals(x.width() - n + (mode == Rounding.FLOOR ? 0 : 1), r.width(), name);
            check(name, r, x, expected);
        }

        private void saturate(String name, Signal x, int w) {
            check(name, x.saturate(w), x, v -> clamp(v, w, x.isSigned()));
        }

        private void check(String name, Expr value, Signal from, UnaryOperator<BigInteger> expected) {
            Signal o = output(name, value.type());
            o.set(value);
            checks.add(new Check(o, from, expected));
        }
    }

    /** x / 2^n rounded as {@code mode} says, by BigDecimal (HALF_UP here means ties toward +infinity). */
    static BigInteger wideRound(BigInteger x, int n, Rounding mode) {
        RoundingMode rm = switch (mode) {
            case FLOOR -> RoundingMode.FLOOR;
            case TOWARD_ZERO -> RoundingMode.DOWN;
            case HALF_UP -> x.signum() >= 0 ? RoundingMode.HALF_UP : RoundingMode.HALF_DOWN;
            case HALF_AWAY -> RoundingMode.HALF_UP;
            case HALF_EVEN -> RoundingMode.HALF_EVEN;
        };
        return new BigDecimal(x).divide(new BigDecimal(BigInteger.ONE.shiftLeft(n))).setScale(0, rm).toBigIntegerExact();
    }

    /** x clamped into the range of a w-bit integer. */
    static BigInteger clamp(BigInteger x, int w, boolean signed) {
        BigInteger lo = signed ? BigInteger.ONE.shiftLeft(w - 1).negate() : BigInteger.ZERO;
        BigInteger hi = (signed ? BigInteger.ONE.shiftLeft(w - 1) : BigInteger.ONE.shiftLeft(w)).subtract(BigInteger.ONE);
        return x.max(lo).min(hi);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {20261121L, 7L})
    void emittedHardwareMatchesTheReferences(long seed, @TempDir Path dir) throws Exception {
        RoundSat m = new RoundSat();
        List<Signal> outs = m.checks.stream().map(Check::out).toList();
        List<BigInteger[]> vectors = vectors(m.ins, new Random(seed));
        List<BigInteger[]> results = CombSim.run(dir, m, m.ins, outs, vectors);
        for (int k = 0; k < vectors.size(); k++) {
            Map<Signal, BigInteger> in = new LinkedHashMap<>();
            for (int i = 0; i < m.ins.size(); i++) {
                in.put(m.ins.get(i), vectors.get(k)[i]);
            }
            for (int j = 0; j < outs.size(); j++) {
                Check c = m.checks.get(j);
                BigInteger x = in.get(c.in());
                BigInteger expected = c.expected().apply(x);
                if (!ExprEval.norm(expected, c.out().type()).equals(expected)) {
                    fail(c.out().name() + ": the exact result " + expected + " for " + x + " does not fit its type " + c.out().type());
                }
                BigInteger actual = results.get(k)[j];
                if (!ExprEval.bits(expected, c.out().width()).equals(actual)) {
                    fail(c.out().name() + " (" + c.out().type() + ") of " + c.in().name() + " = " + x + " (vector " + k + ", seed " + seed
                            + "): expected " + expected + ", the hardware gave " + ExprEval.norm(actual, c.out().type()));
                }
            }
        }
    }

    /** Directed values of every input (cycled so each appears), then seeded random ones. */
    private static List<BigInteger[]> vectors(List<Signal> ins, Random rnd) {
        List<List<BigInteger>> directed = new ArrayList<>();
        int longest = 0;
        for (Signal in : ins) {
            int[] shifts = in.width() > 64 ? WIDE_SHIFTS : in.type().isFixed() ? FIXED_SHIFTS : NARROW_SHIFTS;
            List<BigInteger> d = directed(in.type(), shifts, rnd);
            directed.add(d);
            longest = Math.max(longest, d.size());
        }
        List<BigInteger[]> vs = new ArrayList<>();
        for (int k = 0; k < longest + RANDOM_VECTORS; k++) {
            BigInteger[] v = new BigInteger[ins.size()];
            for (int i = 0; i < ins.size(); i++) {
                HwType t = ins.get(i).type();
                v[i] = k < longest ? directed.get(i).get(k % directed.get(i).size()) : random(t, rnd);
            }
            vs.add(v);
        }
        return vs;
    }

    /** Range edges, and for every shift n exact ties (odd and even quotients, both signs) and their neighbours. */
    private static List<BigInteger> directed(HwType t, int[] shifts, Random rnd) {
        BigInteger lo = t.isSigned() ? BigInteger.ONE.shiftLeft(t.width() - 1).negate() : BigInteger.ZERO;
        BigInteger hi = (t.isSigned() ? BigInteger.ONE.shiftLeft(t.width() - 1) : BigInteger.ONE.shiftLeft(t.width())).subtract(BigInteger.ONE);
        List<BigInteger> d = new ArrayList<>(List.of(lo, hi, BigInteger.ZERO, BigInteger.ONE, hi.subtract(BigInteger.ONE), lo.add(BigInteger.ONE)));
        if (t.isSigned()) {
            d.add(BigInteger.ONE.negate());
        }
        for (int n : shifts) {
            BigInteger half = BigInteger.ONE.shiftLeft(n - 1);
            for (int q = 0; q < 4; q++) {
                BigInteger quotient = random(t, rnd).shiftRight(n).add(BigInteger.valueOf(q % 2)); // odd and even quotients
                BigInteger tie = quotient.shiftLeft(n).add(half);
                for (BigInteger x : List.of(tie, tie.add(BigInteger.ONE), tie.subtract(BigInteger.ONE))) {
                    if (x.compareTo(lo) >= 0 && x.compareTo(hi) <= 0) {
                        d.add(x);
                    }
                }
            }
        }
        return d;
    }

    private static BigInteger random(HwType t, Random rnd) {
        BigInteger b = new BigInteger(t.width(), rnd);
        return t.isSigned() ? b.subtract(BigInteger.ONE.shiftLeft(t.width() - 1)) : b;
    }
}

package dev.qforge.dsl;

import java.math.BigInteger;

/**
 * The wording of type-mismatch messages: what each conversion would do to the user's value, so the
 * hint fits the case instead of naming one conversion as the answer, and how to name a value that
 * has no name of its own.
 */
final class MismatchHints {
    private MismatchHints() { }

    /**
     * Both ways to read an unsigned value as signed, side by side with their effect on the
     * all-ones pattern: they differ exactly on values with the top bit set.
     */
    static String toSigned(HwType unsigned) {
        int w = unsigned.width();
        BigInteger ones = BigInteger.ONE.shiftLeft(w).subtract(BigInteger.ONE);
        return "toSInt() keeps the value (" + unsigned + " -> " + HwType.sint(w + 1) + ": " + ones + " stays " + ones
                + "), asSInt() reinterprets the bits (" + unsigned + " -> " + HwType.sint(w) + ": " + ones + " becomes -1)";
    }

    /** Reading a signed value as unsigned, with its effect on -1. */
    static String toUnsigned(HwType signed) {
        int w = signed.width();
        return "asUInt() reinterprets the bits (" + signed + " -> " + HwType.uint(w) + ": -1 becomes "
                + BigInteger.ONE.shiftLeft(w).subtract(BigInteger.ONE) + ")";
    }

    /** Why operator {@code op} refuses signed and unsigned operands, and what each conversion would mean. */
    static String mixedOperands(String op, HwType a, HwType b) {
        HwType unsigned = a.isSigned() ? b : a;
        HwType signed = a.isSigned() ? a : b;
        return "operator " + op + " mixes " + a + " and " + b + "; convert one side, choosing by what the bits mean: on the "
                + unsigned + " side " + toSigned(unsigned) + "; or on the " + signed + " side " + toUnsigned(signed);
    }

    /** Whether a {@code v} value may be assigned to a {@code t} target as it is (same sign and binary point, no wider). */
    static boolean assignable(HwType t, HwType v) {
        return t.isSigned() == v.isSigned() && t.frac() == v.frac() && v.width() <= t.width();
    }

    /**
     * The error for assigning {@code value} to a {@code t}-typed target, or null when it fits.
     *
     * @param target      the target as messages name it ({@code 'y'}, {@code memory 'ram'})
     * @param declaration what the user declared, for a hint to change its type ({@code 'y'} for the elements of vector y)
     */
    static String assignment(HwType t, HwType v, String target, String declaration) {
        if (assignable(t, v)) {
            return null;
        }
        if (t.isSigned() != v.isSigned()) {
            String how = v.isSigned()
                    ? toUnsigned(v) + "; no conversion keeps a negative value, so declare " + declaration + " signed if it can be negative"
                    : toSigned(v);
            return "type mismatch: assigning " + v + " to " + t + " " + target + "; choose by what the bits mean: " + how;
        }
        if (t.frac() != v.frac()) {
            return "binary point mismatch: assigning " + v + " to " + t + " " + target + "; " + binaryPoint(t, v, declaration);
        }
        if (v.width() > t.width()) {
            return "width mismatch: assigning " + article(v.width()) + " " + v.width() + "-bit value (" + v + ") to " + t.width() + "-bit " + target
                    + "; narrow it explicitly with truncate(" + t.width() + "), saturate(" + t.width() + ") or resize(" + t.width() + ")";
        }
        return null;
    }

    /**
     * Same width: most likely the declaration is wrong, so that comes first (a narrower value fits
     * the same declaration too). Otherwise the value needs its binary point moved: shl and
     * roundShiftRight scale the raw bits and keep the binary point, so asFixed must follow them.
     */
    private static String binaryPoint(HwType t, HwType v, String declaration) {
        String declare = v.width() <= t.width()
                ? "if " + declaration + " should hold these bits as they are, declare " + declaration + " as " + v.withFrac(t.width(), v.frac())
                : null;
        int n = Math.abs(t.frac() - v.frac());
        HwType shifted;
        String shift;
        if (v.frac() < t.frac()) {
            shifted = v.withFrac(v.width() + n, t.frac());
            shift = "add " + n + " fraction bit" + (n == 1 ? "" : "s") + " with shl(" + n + ").asFixed(" + t.frac() + ")";
        } else if (n < v.width()) {
            shifted = v.withFrac(v.width() - n + 1, t.frac());
            shift = "drop " + n + " fraction bit" + (n == 1 ? "" : "s") + " with roundShiftRight(" + n + ", mode).asFixed(" + t.frac() + ")";
        } else {
            // every bit of the value is a fraction bit that a shift would drop
            return declare != null ? declare : "the value has no bit left after moving its binary point to " + t.frac();
        }
        String keep = "to keep the value, " + shift + " (" + shifted + ")"
                + (shifted.width() > t.width() ? ", then narrow it to " + t.width() + " bits" : "");
        if (declare == null) {
            return keep;
        }
        return v.width() == t.width() ? declare + "; " + keep : keep + "; or " + declare;
    }

    /** "an" before a number read with a leading vowel sound (8, 11, 18, 80..89, 800..), else "a". */
    private static String article(int n) {
        String d = Integer.toString(n);
        return d.startsWith("8") || d.equals("11") || d.equals("18") ? "an" : "a";
    }

    /** A value as messages name it: {@code 'acc'} for a signal, else a short rendering of the expression. */
    static String describe(Expr e) {
        return e instanceof Signal s ? "'" + s.name() + "'" : "(" + render(e, 2) + ")";
    }

    private static String render(Expr e, int depth) {
        if (e instanceof Signal s) {
            return s.name();
        }
        if (e instanceof Const c) {
            return c.value().toString();
        }
        Op op = (Op) e;
        if (op.kind() == Op.Kind.RETYPE || op.kind() == Op.Kind.EXTEND) {
            return render(op.operand(0), depth);
        }
        if (depth == 0) {
            return "...";
        }
        String a = render(op.operand(0), depth - 1);
        return switch (op.kind()) {
            case ADD -> a + " + " + render(op.operand(1), depth - 1);
            case SUB -> a + " - " + render(op.operand(1), depth - 1);
            case MUL -> a + " * " + render(op.operand(1), depth - 1);
            case AND -> a + " & " + render(op.operand(1), depth - 1);
            case OR -> a + " | " + render(op.operand(1), depth - 1);
            case XOR -> a + " ^ " + render(op.operand(1), depth - 1);
            case EQ -> a + " == " + render(op.operand(1), depth - 1);
            case NE -> a + " != " + render(op.operand(1), depth - 1);
            case LT -> a + " < " + render(op.operand(1), depth - 1);
            case LE -> a + " <= " + render(op.operand(1), depth - 1);
            case NOT -> "~" + a;
            case REDUCE_OR -> "|" + a;
            case REDUCE_AND -> "&" + a;
            case REDUCE_XOR -> "^" + a;
            case SHL -> a + " << " + op.p0();
            case DSHL -> a + " << " + render(op.operand(1), depth - 1);
            case DSHR -> a + " >> " + render(op.operand(1), depth - 1);
            case SLICE -> a + "[" + op.p0() + ":" + op.p1() + "]";
            case CAT -> "cat(" + a + (op.operandCount() > 1 ? ", ..." : "") + ")";
            case MUX -> a + " ? " + render(op.operand(1), depth - 1) + " : " + render(op.operand(2), depth - 1);
            case RETYPE, EXTEND -> throw new AssertionError();
        };
    }
}

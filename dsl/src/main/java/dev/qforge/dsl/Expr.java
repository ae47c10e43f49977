package dev.qforge.dsl;

import java.math.BigInteger;

/**
 * A hardware value: a constant, a named {@link Signal} or an operation on other values.
 *
 * <p>Width rules (checked, never silent): {@code a+b} and {@code a-b} grow to max+1 bits, {@code a*b}
 * to wa+wb, comparisons give Bool, bitwise ops take the wider width. Signed and unsigned operands
 * never mix: convert one explicitly ({@link #asSInt()}, {@link #toSInt()}, {@link #asUInt()}).
 * Narrowing is always explicit: {@link #truncate}, {@link #saturate}, {@link #resize},
 * {@link #roundShiftRight}. Misusing an operator fails at the line that builds it.
 */
public abstract class Expr {
    private final HwType type;

    Expr(HwType type) {
        this.type = type;
    }

    public HwType type() { return type; }
    public int width() { return type.width(); }
    public boolean isSigned() { return type.isSigned(); }

    // ---- constants ----------------------------------------------------------------------------

    /** An unsigned constant of the given width. */
    public static Expr u(long value, int width) { return lit(BigInteger.valueOf(value), HwType.uint(width)); }
    /** A signed constant of the given width. */
    public static Expr s(long value, int width) { return lit(BigInteger.valueOf(value), HwType.sint(width)); }
    public static Expr bool(boolean value) { return lit(value ? BigInteger.ONE : BigInteger.ZERO, HwType.bool()); }
    public static Expr lit(long value, HwType type) { return lit(BigInteger.valueOf(value), type); }

    public static Expr lit(BigInteger value, HwType type) {
        ElaborationException.requireNonNull(value, "constant value");
        ElaborationException.requireNonNull(type, "constant type");
        if (!fits(value, type)) {
            throw new ElaborationException("constant " + value + " does not fit in " + type, SourceLocation.capture());
        }
        return new Const(value, type);
    }

    static boolean fits(BigInteger v, HwType t) {
        if (t.isSigned()) {
            return v.bitLength() < t.width();
        }
        return v.signum() >= 0 && v.bitLength() <= t.width();
    }

    /** A constant of this expression's signedness, just wide enough for {@code value}. */
    private Expr sameKindConst(long value) {
        BigInteger v = BigInteger.valueOf(value);
        if (isSigned()) {
            return new Const(v, HwType.sint(v.bitLength() + 1));
        }
        if (value < 0) {
            throw new ElaborationException("negative constant " + value + " used with unsigned " + type, SourceLocation.capture());
        }
        return new Const(v, HwType.uint(Math.max(1, v.bitLength())));
    }

    // ---- arithmetic ---------------------------------------------------------------------------

    public Expr plus(Expr b) { return addSub(Op.Kind.ADD, "+", b); }
    public Expr minus(Expr b) { return addSub(Op.Kind.SUB, "-", b); }
    public Expr plus(long c) { return plus(sameKindConst(c)); }
    public Expr minus(long c) { return minus(sameKindConst(c)); }

    private Expr addSub(Op.Kind kind, String sym, Expr b) {
        sameSign(sym, b);
        int frac = Math.max(type.frac(), b.type.frac());
        Expr x = alignFrac(frac);
        Expr y = b.alignFrac(frac);
        int w = Math.max(x.width(), y.width()) + 1;
        return new Op(kind, type.withFrac(w, frac), x, y);
    }

    public Expr times(Expr b) {
        sameSign("*", b);
        return new Op(Op.Kind.MUL, type.withFrac(width() + b.width(), type.frac() + b.type.frac()), this, b);
    }

    public Expr times(long c) { return times(sameKindConst(c)); }

    /** Two's complement negation of a signed value; grows by one bit so -min is representable. */
    public Expr negate() {
        if (!isSigned()) {
            throw new ElaborationException("negate() needs a signed value, got " + type + " " + MismatchHints.describe(this) + "; convert it first: "
                    + MismatchHints.toSigned(type), SourceLocation.capture());
        }
        return new Op(Op.Kind.SUB, type.withFrac(width() + 1, type.frac()), lit(0, HwType.sint(1)), this);
    }

    private Expr alignFrac(int frac) {
        return frac == type.frac() ? this : shl(frac - type.frac()).retype(type.withFrac(width() + frac - type.frac(), frac));
    }

    // ---- bitwise ------------------------------------------------------------------------------

    public Expr and(Expr b) { return bitwise(Op.Kind.AND, "&", b); }
    public Expr or(Expr b) { return bitwise(Op.Kind.OR, "|", b); }
    public Expr xor(Expr b) { return bitwise(Op.Kind.XOR, "^", b); }

    private Expr bitwise(Op.Kind kind, String sym, Expr b) {
        sameSign(sym, b);
        HwType t = type.isBool() && b.type.isBool() ? HwType.bool() : type.withFrac(Math.max(width(), b.width()), 0);
        return new Op(kind, t, this, b);
    }

    public Expr not() { return new Op(Op.Kind.NOT, type, this); }

    /** OR of all bits (true when any bit is set). */
    public Expr orReduce() { return new Op(Op.Kind.REDUCE_OR, HwType.bool(), this); }
    /** AND of all bits. */
    public Expr andReduce() { return new Op(Op.Kind.REDUCE_AND, HwType.bool(), this); }
    /** XOR of all bits (parity). */
    public Expr xorReduce() { return new Op(Op.Kind.REDUCE_XOR, HwType.bool(), this); }

    // ---- comparisons --------------------------------------------------------------------------

    public Expr eq(Expr b) { return compare(Op.Kind.EQ, "==", b); }
    public Expr ne(Expr b) { return compare(Op.Kind.NE, "!=", b); }
    public Expr lt(Expr b) { return compare(Op.Kind.LT, "<", b); }
    public Expr le(Expr b) { return compare(Op.Kind.LE, "<=", b); }
    public Expr gt(Expr b) { return ElaborationException.requireNonNull(b, "operand of >").compare(Op.Kind.LT, ">", this); }
    public Expr ge(Expr b) { return ElaborationException.requireNonNull(b, "operand of >=").compare(Op.Kind.LE, ">=", this); }
    public Expr eq(long c) { return eq(heldConst("==", c)); }
    public Expr ne(long c) { return ne(heldConst("!=", c)); }
    // an ordering compare with a constant out of range is a bound a parameter can reach (GemmEngine's
    // kLeft.le(2 * rows) when k_left is narrower): constant, but what the generator means
    public Expr lt(long c) { return lt(sameKindConst(c)); }
    public Expr le(long c) { return le(sameKindConst(c)); }
    public Expr gt(long c) { return gt(sameKindConst(c)); }
    public Expr ge(long c) { return ge(sameKindConst(c)); }

    /**
     * The constant of an equality compare, refused as {@code switchOn(...).is(c)} refuses it when this
     * value can never hold it: the compare would be constant, which is a mistake rather than intent.
     */
    private Expr heldConst(String sym, long c) {
        Expr k = sameKindConst(c);
        if (!fits(BigInteger.valueOf(c).shiftLeft(type.frac()), type)) {
            throw new ElaborationException("constant " + c + " does not fit in " + type + ": " + sym + " with it is always "
                    + sym.equals("!="), SourceLocation.capture());
        }
        return k;
    }

    private Expr compare(Op.Kind kind, String sym, Expr b) {
        sameSign(sym, b);
        int frac = Math.max(type.frac(), b.type.frac());
        return new Op(kind, HwType.bool(), alignFrac(frac), b.alignFrac(frac));
    }

    // ---- shifts -------------------------------------------------------------------------------

    /** Shift left by a constant: grows by n bits, no bit is lost. */
    public Expr shl(int n) {
        if (n < 0 || n > HwType.MAX_WIDTH - width()) {
            throw new ElaborationException("shl(" + n + ") of a " + width() + "-bit value: amount must be in 0.." + (HwType.MAX_WIDTH - width())
                    + " (results are at most " + HwType.MAX_WIDTH + " bits)", SourceLocation.capture());
        }
        return n == 0 ? this : new Op(Op.Kind.SHL, type.withFrac(width() + n, type.frac()), this, n, 0);
    }

    /** Shift right by a constant (arithmetic when signed, i.e. floor): drops the n low bits; a fixed-point binary point stays put. */
    public Expr shr(int n) {
        if (n < 0 || n >= width()) {
            throw new ElaborationException("shr(" + n + ") of a " + width() + "-bit value: amount must be in 0.." + (width() - 1), SourceLocation.capture());
        }
        return n == 0 ? this : slice(width() - 1, n).retype(type.withFrac(width() - n, Math.min(type.frac(), width() - n)));
    }

    /** Shift left by an unsigned amount: grows to width + 2^ws - 1 so nothing is lost. */
    public Expr shl(Expr amount) {
        requireUnsigned("shift amount", amount);
        int grow = amount.width() >= 12 ? Integer.MAX_VALUE : (1 << amount.width()) - 1;
        if (grow > 4096) {
            throw new ElaborationException("dynamic shl by a " + amount.width() + "-bit amount would grow the result by 2^" + amount.width()
                    + " - 1 bits; truncate the amount first", SourceLocation.capture());
        }
        return new Op(Op.Kind.DSHL, type.withFrac(width() + grow, type.frac()), this, amount);
    }

    /** Shift right by an unsigned amount, arithmetic when signed; keeps the width. */
    public Expr shr(Expr amount) {
        requireUnsigned("shift amount", amount);
        return new Op(Op.Kind.DSHR, type, this, amount);
    }

    // ---- bits ---------------------------------------------------------------------------------

    /** Bits hi..lo as an unsigned value. */
    public Expr slice(int hi, int lo) {
        if (0 <= hi && hi < lo && lo < width()) {
            throw new ElaborationException("slice [" + hi + ":" + lo + "] of " + MismatchHints.describe(this) + " names its high bit last; write slice("
                    + lo + ", " + hi + ")", SourceLocation.capture());
        }
        if (lo < 0 || hi < lo || hi >= width()) {
            throw new ElaborationException("slice [" + hi + ":" + lo + "] of " + MismatchHints.describe(this) + " is outside its " + width()
                    + " bits (" + type + ", bits " + (width() - 1) + "..0)", SourceLocation.capture());
        }
        if (lo == 0 && hi == width() - 1 && !isSigned() && !type.isFixed() && !type.isBool()) {
            return this;
        }
        return new Op(Op.Kind.SLICE, HwType.uint(hi - lo + 1), this, hi, lo);
    }

    public Expr bit(int i) {
        if (i < 0 || i >= width()) {
            throw new ElaborationException("bit " + i + " of " + MismatchHints.describe(this) + " is outside its " + width() + " bits (" + type
                    + ", bits " + (width() - 1) + "..0)", SourceLocation.capture());
        }
        return slice(i, i).retype(HwType.bool());
    }

    /** The sign bit (most significant bit). */
    public Expr msb() { return bit(width() - 1); }

    /** Concatenation, first argument in the most significant bits; the result is unsigned. */
    public static Expr cat(Expr... parts) {
        if (parts == null || parts.length == 0) {
            throw new ElaborationException("cat() needs at least one value", SourceLocation.capture());
        }
        long w = 0; // a long: the sum of many wide parts must reach HwType's width check, not wrap
        for (int i = 0; i < parts.length; i++) {
            w += ElaborationException.requireNonNull(parts[i], "cat() part " + i).width();
        }
        return new Op(Op.Kind.CAT, HwType.uint((int) Math.min(w, Integer.MAX_VALUE)), parts);
    }

    /** {@code cond ? a : b}; a and b of the same signedness, result as wide as the wider. */
    public static Expr mux(Expr cond, Expr a, Expr b) {
        requireCondition(cond);
        ElaborationException.requireNonNull(a, "mux's true value");
        ElaborationException.requireNonNull(b, "mux's false value");
        a.sameSign("mux", b);
        int frac = Math.max(a.type.frac(), b.type.frac());
        Expr x = a.alignFrac(frac);
        Expr y = b.alignFrac(frac);
        HwType t = x.type.isBool() && y.type.isBool() ? HwType.bool() : x.type.withFrac(Math.max(x.width(), y.width()), frac);
        return new Op(Op.Kind.MUX, t, cond, x.extend(t.width()).retype(t), y.extend(t.width()).retype(t));
    }

    // ---- resizing -----------------------------------------------------------------------------

    /** Widen to w bits: sign-extend when signed, zero-extend otherwise. Narrowing here is an error. */
    public Expr extend(int w) {
        if (w < width()) {
            throw new ElaborationException("extend(" + w + ") would narrow a " + width() + "-bit value; use truncate, saturate or resize",
                    SourceLocation.capture());
        }
        return w == width() ? this : new Op(Op.Kind.EXTEND, type.withWidth(w), this);
    }

    /** Keep the w low bits (the value wraps). */
    public Expr truncate(int w) {
        if (w > width() || w < 1) {
            throw new ElaborationException("truncate(" + w + ") of a " + width() + "-bit value: w must be in 1.." + width(), SourceLocation.capture());
        }
        return w == width() ? this : slice(w - 1, 0).retype(type.withWidth(w));
    }

    /** Extend or truncate to w bits, whichever applies. */
    public Expr resize(int w) {
        return w >= width() ? extend(w) : truncate(w);
    }

    public Expr signExtend(int w) {
        if (!isSigned()) {
            throw new ElaborationException("signExtend of unsigned " + type + " " + MismatchHints.describe(this)
                    + "; its top bit is no sign bit, so say what the bits mean first: " + MismatchHints.toSigned(type), SourceLocation.capture());
        }
        return extend(w);
    }

    /** Clamp into the range of a w-bit value of the same signedness, then narrow to w bits. */
    public Expr saturate(int w) {
        if (w > width() || w < 1) {
            throw new ElaborationException("saturate(" + w + ") of a " + width() + "-bit value: w must be in 1.." + width(), SourceLocation.capture());
        }
        if (w == width()) {
            return this;
        }
        HwType t = type.withWidth(w);
        Expr hi = lit(t.maxValue(), type.withWidth(width()));
        Expr clamped;
        if (isSigned()) {
            Expr lo = lit(t.minValue(), type.withWidth(width()));
            clamped = mux(gt(hi), hi, mux(lt(lo), lo, this));
        } else {
            clamped = mux(gt(hi), hi, this);
        }
        return clamped.truncate(w);
    }

    /**
     * Divide by 2^n rounding as {@code mode} says: adds {@link Rounding#bias} (in hardware its
     * {@link Rounding#constant} and {@link Rounding#carry}) then shifts, exactly as
     * {@link Rounding#shiftRight} does in software. Result width: width - n + 1 (FLOOR: width - n).
     */
    public Expr roundShiftRight(int n, Rounding mode) {
        ElaborationException.requireNonNull(mode, "rounding mode");
        if (n < 1 || n >= width()) {
            throw new ElaborationException("roundShiftRight(" + n + ") of a " + width() + "-bit value: n must be in 1.." + (width() - 1),
                    SourceLocation.capture());
        }
        if (mode == Rounding.FLOOR) {
            return shr(n);
        }
        if (type.isFixed()) {
            // The bias is a raw-bit quantity: round the raw bits, then put the binary point back as shr does.
            Expr raw = (isSigned() ? asSInt() : asUInt()).roundShiftRight(n, mode);
            return raw.asFixed(Math.min(type.frac(), raw.width()));
        }
        HwType wide = type.withFrac(width() + 1, type.frac());
        Expr x = extend(width() + 1).retype(wide);
        HwType biasType = wide.withFrac(n + 1, 0);
        Expr biased;
        if (mode == Rounding.TOWARD_ZERO) {
            // its bias, sign ? 2^n - 1 : 0, is no constant plus one bit
            Expr sign = isSigned() ? msb() : bool(false);
            biased = x.plus(mux(sign, lit(BigInteger.ONE.shiftLeft(n).subtract(BigInteger.ONE), biasType), lit(0, biasType)));
        } else {
            biased = x.plus(lit(mode.constant(n), biasType));
            Expr carry = mode.carry(this, n);
            if (carry != null) {
                biased = biased.plus(carry.asUInt().extendTo(isSigned()));
            }
        }
        // The bias is < 2^n, so width+1 bits hold x + bias; drop the growth of the adds again.
        return biased.truncate(width() + 1).shr(n);
    }

    /**
     * Divide by 2^amount (a runtime amount) rounding as {@code mode} says, exactly as
     * {@link Rounding#shiftRight} does for every amount, 0 included; the result keeps this value's
     * width and type (the largest result, at amount 0, is the value itself). Amounts past width + 1
     * give the same result as width + 1, so the adder is width + 3 bits whatever the amount's width.
     */
    public Expr roundShiftRight(Expr amount, Rounding mode) {
        requireUnsigned("shift amount", amount);
        ElaborationException.requireNonNull(mode, "rounding mode");
        if (type.isFixed()) {
            return (isSigned() ? asSInt() : asUInt()).roundShiftRight(amount, mode).asFixed(type.frac());
        }
        int w = width();
        int wide = w + 3; // holds x + bias for every bias < 2^(w+1)
        BigInteger cap = BigInteger.valueOf(w + 1);
        Expr n = amount;
        if (amount.type().maxValue().compareTo(cap) > 0) {
            Expr capped = lit(cap, amount.type());
            n = mux(amount.gt(capped), capped, amount).resize(cap.bitLength());
        }
        HwType biasType = HwType.uint(wide);
        Expr pow = u(1, 1).shl(n).resize(wide).retype(biasType); // 2^n
        Expr half = pow.shr(1).extend(wide).retype(biasType);    // 2^(n-1), 0 when n = 0
        Expr nonZero = n.orReduce();
        Expr sign = isSigned() ? msb() : bool(false);
        Expr x = extend(wide);
        Expr zero = lit(0, biasType);
        Expr bias = switch (mode) {
            case FLOOR -> zero;
            case TOWARD_ZERO -> mux(sign, pow.minus(u(1, 1)).truncate(wide), zero);
            case HALF_UP, HALF_AWAY, HALF_EVEN -> {
                // half - 1 plus the mode's carry, or half alone where it has none (HALF_UP); 0 when n = 0
                Expr carry = mode.carry(sign, x.shr(n).bit(0));
                yield carry == null ? half : mux(nonZero, half.plus(carry.asUInt()).minus(u(1, 1)).truncate(wide), zero);
            }
        };
        // bias < 2^(w+1): its top bits are zero, so reading it as signed keeps its value
        Expr sum = x.plus(isSigned() ? bias.asSInt() : bias).truncate(wide);
        return sum.shr(n).truncate(w);
    }

    private Expr extendTo(boolean signed) {
        return signed ? toSInt() : this;
    }

    // ---- reinterpretation ---------------------------------------------------------------------

    /** The same bits read as signed. */
    public Expr asSInt() { return isSigned() && !type.isFixed() ? this : retype(HwType.sint(width())); }
    /** The same bits read as unsigned. */
    public Expr asUInt() { return !isSigned() && !type.isBool() && !type.isFixed() ? this : retype(HwType.uint(width())); }
    /** A 1-bit value read as Bool. */
    public Expr asBool() {
        if (width() != 1) {
            throw new ElaborationException("asBool() of a " + width() + "-bit value; compare or slice first", SourceLocation.capture());
        }
        return type.isBool() ? this : retype(HwType.bool());
    }
    /** Unsigned to signed without changing the value: zero-extends by one bit. */
    public Expr toSInt() {
        if (isSigned()) {
            return this;
        }
        return asUInt().extend(width() + 1).asSInt();
    }
    /** The same bits read as fixed point with {@code frac} fraction bits. */
    public Expr asFixed(int frac) { return retype(type.withFrac(width(), frac)); }

    /** The same bits with another type of equal width (no hardware). */
    Expr retype(HwType t) {
        if (t.width() != width()) {
            throw new IllegalStateException("retype changes width " + width() + " -> " + t.width());
        }
        return t.equals(type) ? this : new Op(Op.Kind.RETYPE, t, this);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void sameSign(String op, Expr b) {
        ElaborationException.requireNonNull(b, "operand of " + op);
        if (isSigned() != b.isSigned()) {
            throw new ElaborationException(MismatchHints.mixedOperands(op, type, b.type), SourceLocation.capture());
        }
    }

    static void requireUnsigned(String what, Expr e) {
        ElaborationException.requireNonNull(e, what);
        if (e.isSigned()) {
            throw new ElaborationException(what + " must be unsigned, got " + e.type, SourceLocation.capture());
        }
    }

    static void requireCondition(Expr cond) {
        ElaborationException.requireNonNull(cond, "condition");
        if (cond.width() != 1 || cond.isSigned()) {
            throw new ElaborationException("a condition must be Bool, got " + cond.type, SourceLocation.capture());
        }
    }

    /** Visits the direct operands (none for constants and signals). */
    public abstract int operandCount();

    public abstract Expr operand(int i);
}

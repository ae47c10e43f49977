package dev.qforge.dsl;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The type of a hardware value: Bool, unsigned or signed integer of a given width, or
 * signed/unsigned fixed point with {@code frac} bits after the binary point.
 * Signed and unsigned never mix implicitly; conversions are explicit ({@link Expr#asSInt()}, ...).
 */
public final class HwType {
    public enum Kind { BOOL, UINT, SINT }

    private final Kind kind;
    private final int width;
    private final int frac;

    /**
     * The widest value qforge emits: Verilator's default --max-num-width (65536) rejects wider
     * constants, and a width past it is nearly always a width computation gone wrong (an int overflow).
     */
    public static final int MAX_WIDTH = 1 << 16;

    private HwType(Kind kind, int width, int frac) {
        if (width < 1) {
            throw new ElaborationException("width must be at least 1, got " + width, SourceLocation.capture());
        }
        if (width > MAX_WIDTH) {
            throw new ElaborationException("width " + width + " is more than the " + MAX_WIDTH + " bits qforge emits (Verilator's --max-num-width)",
                    SourceLocation.capture());
        }
        if (frac < 0 || frac > width) {
            throw new ElaborationException("binary point must be in 0.." + width + ", got " + frac, SourceLocation.capture());
        }
        this.kind = kind;
        this.width = width;
        this.frac = frac;
    }

    private static final HwType BOOL = new HwType(Kind.BOOL, 1, 0);

    public static HwType bool() { return BOOL; }
    public static HwType uint(int width) { return new HwType(Kind.UINT, width, 0); }
    public static HwType sint(int width) { return new HwType(Kind.SINT, width, 0); }
    /** Unsigned fixed point: {@code width} bits, {@code frac} of them after the binary point. */
    public static HwType ufix(int width, int frac) { return new HwType(Kind.UINT, width, frac); }
    /** Signed fixed point: {@code width} bits, {@code frac} of them after the binary point. */
    public static HwType sfix(int width, int frac) { return new HwType(Kind.SINT, width, frac); }

    public Kind kind() { return kind; }
    public int width() { return width; }
    public int frac() { return frac; }
    public boolean isSigned() { return kind == Kind.SINT; }
    public boolean isBool() { return kind == Kind.BOOL; }
    public boolean isFixed() { return frac > 0; }

    /** The same signedness and binary point with another width. Bool widens to UInt. */
    public HwType withWidth(int newWidth) {
        if (kind == Kind.BOOL) {
            return newWidth == 1 ? this : uint(newWidth);
        }
        return new HwType(kind, newWidth, Math.min(frac, newWidth));
    }

    HwType withFrac(int newWidth, int newFrac) {
        return new HwType(kind == Kind.BOOL ? Kind.UINT : kind, newWidth, newFrac);
    }

    /** Smallest representable value (of the raw bits; the binary point is not applied). */
    public BigInteger minValue() {
        return isSigned() ? BigInteger.ONE.shiftLeft(width - 1).negate() : BigInteger.ZERO;
    }

    /** Largest representable value (of the raw bits; the binary point is not applied). */
    public BigInteger maxValue() {
        return (isSigned() ? BigInteger.ONE.shiftLeft(width - 1) : BigInteger.ONE.shiftLeft(width)).subtract(BigInteger.ONE);
    }

    /** {@link #minValue()} as a long; a located error for types whose range a long cannot hold (SInt wider than 64). */
    public long min() { return asLong(minValue(), "min"); }

    /** {@link #maxValue()} as a long; a located error for types whose range a long cannot hold (UInt from 64, SInt from 65 bits). */
    public long max() { return asLong(maxValue(), "max"); }

    private long asLong(BigInteger v, String what) {
        if (v.bitLength() > 63) {
            throw new ElaborationException(what + "() of " + this + " does not fit in a long; use " + what + "Value()", SourceLocation.capture());
        }
        return v.longValue();
    }

    /** Short form used in messages and module names: bool, u8, s32, sfix16_8. */
    public String shortName() {
        return switch (kind) {
            case BOOL -> "bool";
            case UINT -> frac > 0 ? "ufix" + width + "_" + frac : "u" + width;
            case SINT -> frac > 0 ? "sfix" + width + "_" + frac : "s" + width;
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case BOOL -> "Bool";
            case UINT -> frac > 0 ? "UFix(" + width + "," + frac + ")" : "UInt(" + width + ")";
            case SINT -> frac > 0 ? "SFix(" + width + "," + frac + ")" : "SInt(" + width + ")";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HwType t && t.kind == kind && t.width == width && t.frac == frac;
    }

    @Override
    public int hashCode() { return Objects.hash(kind, width, frac); }
}

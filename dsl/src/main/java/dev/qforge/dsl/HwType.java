package dev.qforge.dsl;

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

    private HwType(Kind kind, int width, int frac) {
        if (width < 1) {
            throw new ElaborationException("width must be at least 1, got " + width, SourceLocation.capture());
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

    /** Smallest representable value as a long (widths up to 63). */
    public long min() { return isSigned() ? -(1L << (width - 1)) : 0; }
    /** Largest representable value as a long (widths up to 63). */
    public long max() { return isSigned() ? (1L << (width - 1)) - 1 : (width >= 63 ? Long.MAX_VALUE : (1L << width) - 1); }

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

package dev.qforge.dsl;

import java.math.BigInteger;

/** A constant value of a fixed type. */
public final class Const extends Expr {
    private final BigInteger value;

    Const(BigInteger value, HwType type) {
        super(type);
        this.value = value;
    }

    public BigInteger value() { return value; }

    /** The value as the unsigned bit pattern of its width (two's complement for negatives). */
    public BigInteger bits() {
        return value.signum() >= 0 ? value : value.add(BigInteger.ONE.shiftLeft(width()));
    }

    @Override
    public int operandCount() { return 0; }

    @Override
    public Expr operand(int i) { throw new IndexOutOfBoundsException(i); }
}

package dev.qforge.dsl;

/** An operation on other values. Compound operators (saturate, rounding shift, ...) are built from these. */
public final class Op extends Expr {
    public enum Kind {
        ADD, SUB, MUL, AND, OR, XOR, NOT, REDUCE_OR, REDUCE_AND, REDUCE_XOR,
        EQ, NE, LT, LE,
        /** constant shift left by p0 */ SHL,
        /** dynamic shifts: operand 1 is the amount */ DSHL, DSHR,
        /** bits p0..p1 */ SLICE,
        CAT, MUX, EXTEND,
        /** same bits, another type */ RETYPE
    }

    private final Kind kind;
    private final Expr[] args;
    private final int p0;
    private final int p1;

    Op(Kind kind, HwType type, Expr... args) {
        this(kind, type, args, 0, 0);
    }

    Op(Kind kind, HwType type, Expr arg, int p0, int p1) {
        this(kind, type, new Expr[] {arg}, p0, p1);
    }

    private Op(Kind kind, HwType type, Expr[] args, int p0, int p1) {
        super(type);
        this.kind = kind;
        this.args = args;
        this.p0 = p0;
        this.p1 = p1;
    }

    public Kind kind() { return kind; }
    public int p0() { return p0; }
    public int p1() { return p1; }

    @Override
    public int operandCount() { return args.length; }

    @Override
    public Expr operand(int i) { return args[i]; }
}

package dev.qforge.dsl;

import dev.qforge.dsl.check.Drivers;

import java.math.BigInteger;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * An independent reference for the combinational meaning of IR expressions, in exact BigInteger
 * arithmetic on values (not on Verilog text), used to check what the emitted Verilog computes.
 */
final class ExprEval {
    private final Module module;
    private final Drivers drivers;
    private final Map<Signal, BigInteger> inputs;
    private final Map<Expr, BigInteger> memo = new IdentityHashMap<>();

    ExprEval(Module module, Map<Signal, BigInteger> inputs) {
        this.module = module;
        this.drivers = new Drivers(module);
        this.inputs = inputs;
    }

    /** The value of e: signed types give negative numbers, unsigned types non-negative ones. */
    BigInteger eval(Expr e) {
        BigInteger v = memo.get(e);
        if (v == null) {
            v = norm(compute(e), e.type());
            memo.put(e, v);
        }
        return v;
    }

    /** The bit pattern of a value of type t, as an unsigned number. */
    static BigInteger bits(BigInteger v, int width) {
        return v.mod(BigInteger.ONE.shiftLeft(width));
    }

    static BigInteger norm(BigInteger v, HwType t) {
        BigInteger b = bits(v, t.width());
        return t.isSigned() && b.testBit(t.width() - 1) ? b.subtract(BigInteger.ONE.shiftLeft(t.width())) : b;
    }

    private BigInteger compute(Expr e) {
        if (e instanceof Const c) {
            return c.value();
        }
        if (e instanceof Signal s) {
            return signal(s);
        }
        Op op = (Op) e;
        int w = e.width();
        switch (op.kind()) {
            case ADD: return arg(op, 0).add(arg(op, 1));
            case SUB: return arg(op, 0).subtract(arg(op, 1));
            case MUL: return arg(op, 0).multiply(arg(op, 1));
            case AND: return bits(arg(op, 0), w).and(bits(arg(op, 1), w));
            case OR: return bits(arg(op, 0), w).or(bits(arg(op, 1), w));
            case XOR: return bits(arg(op, 0), w).xor(bits(arg(op, 1), w));
            case NOT: return bits(arg(op, 0), w).not();
            case REDUCE_OR: return bool(bits(arg(op, 0), op.operand(0).width()).signum() != 0);
            case REDUCE_AND: {
                int ow = op.operand(0).width();
                return bool(bits(arg(op, 0), ow).equals(BigInteger.ONE.shiftLeft(ow).subtract(BigInteger.ONE)));
            }
            case REDUCE_XOR: return bool(bits(arg(op, 0), op.operand(0).width()).bitCount() % 2 == 1);
            case EQ: return bool(arg(op, 0).compareTo(arg(op, 1)) == 0);
            case NE: return bool(arg(op, 0).compareTo(arg(op, 1)) != 0);
            case LT: return bool(arg(op, 0).compareTo(arg(op, 1)) < 0);
            case LE: return bool(arg(op, 0).compareTo(arg(op, 1)) <= 0);
            case SHL: return arg(op, 0).shiftLeft(op.p0());
            case DSHL: return arg(op, 0).shiftLeft(arg(op, 1).intValueExact());
            case DSHR: return arg(op, 0).shiftRight(arg(op, 1).intValueExact());
            case SLICE: {
                BigInteger b = bits(arg(op, 0), op.operand(0).width());
                return bits(b.shiftRight(op.p1()), op.p0() - op.p1() + 1);
            }
            case CAT: {
                BigInteger r = BigInteger.ZERO;
                for (int i = 0; i < op.operandCount(); i++) {
                    Expr p = op.operand(i);
                    r = r.shiftLeft(p.width()).or(bits(eval(p), p.width()));
                }
                return r;
            }
            case MUX: return arg(op, 0).signum() != 0 ? arg(op, 1) : arg(op, 2);
            case EXTEND: return arg(op, 0);
            case RETYPE: return bits(arg(op, 0), w);
            default: throw new IllegalStateException(op.kind().toString());
        }
    }

    private BigInteger arg(Op op, int i) {
        return eval(op.operand(i));
    }

    private static BigInteger bool(boolean b) {
        return b ? BigInteger.ONE : BigInteger.ZERO;
    }

    private BigInteger signal(Signal s) {
        switch (s.kind()) {
            case INPUT:
                return inputs.get(s);
            case ROM_READ:
                for (Rom rom : module.roms()) {
                    for (Rom.ReadPort r : rom.reads()) {
                        if (r.data() == s) {
                            int addr = eval(r.addr()).intValueExact();
                            return addr < rom.depth() ? BigInteger.valueOf(rom.value(addr)) : BigInteger.ZERO;
                        }
                    }
                }
                throw new IllegalStateException("no ROM drives " + s);
            default:
                BigInteger v = run(module.body(), s, null);
                if (v == null) {
                    throw new IllegalStateException(s + " is not combinational or not driven");
                }
                return v;
        }
    }

    /** Executes the statements for one target: the last assignment on the taken path wins. */
    private BigInteger run(Stmt.Block block, Signal target, BigInteger current) {
        for (Stmt st : block.stmts()) {
            if (st instanceof Stmt.Assign a && a.target() == target) {
                current = eval(a.value());
            } else if (st instanceof Stmt.If i && drivers.assignsUnder(i, target)) {
                current = run(eval(i.cond()).signum() != 0 ? i.then() : i.otherwise(), target, current);
            }
        }
        return current;
    }
}

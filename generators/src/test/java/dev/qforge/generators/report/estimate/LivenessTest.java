package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Op;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.qforge.dsl.HwType.uint;
import static dev.qforge.generators.report.estimate.Passes.driverOp;
import static dev.qforge.generators.report.estimate.Passes.signal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class LivenessTest {
    /** q = a + b (16 bits), of which the output reads bits [lo, lo + k). */
    private static Module readSlice(int lo, int k) {
        return new Module("ReadSlice") {{
            Signal q = reg("q", uint(16));
            q.set(input("a", uint(16)).plus(input("b", uint(16))).truncate(16));
            Signal dead = reg("dead", uint(16));
            dead.set(input("c", uint(16)).plus(input("d", uint(16))).truncate(16));
            output("y", uint(k)).set(q.slice(lo + k - 1, lo));
        }};
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 9, 16})
    void onlyTheBitsAnOutputReadsAreLive(int k) {
        Module m = readSlice(0, k);
        Liveness l = Passes.model(m, Target.XCUP).liveness();
        assertEquals(k, l.liveWidth(signal(m, "q")));
        Op sum = driverOp(m, "q");
        assertEquals(k, l.demand(sum), "the adder is costed at the bits the register keeps");
        assertEquals(k, l.demandedBits(sum));
    }

    /** q = (a + b) + c, of which the output reads the bits from {@code lo} up: carries need every bit of the inner sum. */
    @ParameterizedTest
    @ValueSource(ints = {1, 5, 8})
    void carriesKeepTheBitsBelowTheReadOnes(int lo) {
        Module m = new Module("ReadHigh") {{
            Signal q = reg("q", uint(16));
            q.set(input("a", uint(16)).plus(input("b", uint(16))).plus(input("c", uint(16))).truncate(16));
            output("y", uint(16 - lo)).set(q.slice(15, lo));
        }};
        Liveness l = Passes.model(m, Target.HX8K).liveness();
        assertEquals(16 - lo, l.liveWidth(signal(m, "q")));
        Op outer = driverOp(m, "q");
        assertEquals(lo, l.lowBit(outer));
        assertEquals(16 - lo, l.demandedBits(outer));
        Op inner = (Op) outer.operand(0);
        assertEquals(0, l.lowBit(inner), "a carry from bit 0 reaches the read bits");
        assertEquals(16, l.demandedBits(inner));
    }

    @Test
    void aRegisterNothingReadsIsDead() {
        Module m = readSlice(0, 4);
        Liveness l = Passes.model(m, Target.XC7).liveness();
        assertEquals(0, l.liveWidth(signal(m, "dead")));
        assertFalse(l.postOrder().contains(driverOp(m, "dead")));
    }

    @Test
    void theSoleConsumerIsFoundThroughANamedWire() {
        Module one = new Module("OneReader") {{
            Signal w = wire("w", uint(8));
            w.set(input("a", uint(8)).and(input("b", uint(8))));
            output("y", uint(8)).set(w.or(input("c", uint(8))));
        }};
        Liveness l = Passes.model(one, Target.XCUP).liveness();
        Op and = driverOp(one, "w");
        assertSame(driverOp(one, "y"), l.soleConsumer(and));
        assertEquals(1, l.readers(signal(one, "w")));

        Module two = new Module("TwoReaders") {{
            Signal w = wire("w", uint(8));
            w.set(input("a", uint(8)).and(input("b", uint(8))));
            output("y", uint(8)).set(w.or(input("c", uint(8))));
            output("z", uint(8)).set(w.xor(input("c", uint(8))));
        }};
        assertNull(Passes.model(two, Target.XCUP).liveness().soleConsumer(driverOp(two, "w")));
    }
}

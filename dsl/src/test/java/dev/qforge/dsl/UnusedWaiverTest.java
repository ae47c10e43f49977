package dev.qforge.dsl;

import org.junit.jupiter.api.Test;

import static dev.qforge.dsl.HwType.sint;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UNUSED waivers name only bits that really go unread. */
class UnusedWaiverTest {
    /** A product registered at its full width: its helper wire is read whole. */
    static final class FullWidthProduct extends Module {
        FullWidthProduct() {
            super("FullWidthProduct");
            Signal a = input("a", sint(8));
            Signal b = input("b", sint(8));
            Signal p = reg("p", sint(16));
            p.set(a.times(b));
            output("y", sint(16)).set(p);
        }
    }

    @Test
    void aProductReadAtFullWidthGetsNoWaiver() {
        String v = Design.elaborate(new FullWidthProduct()).verilog("FullWidthProduct");
        assertTrue(v.contains("wire [15:0] p_prod = $signed(a) * $signed(b);"), v);
        assertFalse(v.contains("lint_off UNUSED"), v);
    }
}

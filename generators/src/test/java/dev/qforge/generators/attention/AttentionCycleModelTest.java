package dev.qforge.generators.attention;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The prefill figures worked by hand; Verilator checks them on the cosim sweep (AttentionPrefillCosimTest). */
class AttentionCycleModelTest {
    /**
     * d 16 in one beat (16 lanes), L 4, int8: the divider takes 17 + 3 + 1 = 21 cycles, so a token over
     * n rows takes 1 (its beat) + (n + 1 + 3) + 21 = n + 26 cycles to its output and n + 27 to the next
     * token. A prefill of 4 tokens: 28 + 29 + 30 + (4 + 26); of 6: two more over the full cache of 4.
     */
    @Test
    void aPrefillIsItsTokensDecodeStepsBackToBack() {
        AttentionCycleModel m = new AttentionCycleModel(new AttentionConfig(16, 4, 16, 1e-3));
        assertEquals(27, m.prefillFirstInToFirstOut(0, 4));
        assertEquals(28 + 29 + 30 + 30, m.prefillFirstInToLastOut(0, 4));
        assertEquals(28 + 29 + 30 + 31, m.prefillCycles(0, 4));
        assertEquals((28 + 29 + 30 + 31) / 4.0, m.prefillCyclesPerToken(0, 4));
        assertEquals(28 + 29 + 30 + 31 + 31 + 30, m.prefillFirstInToLastOut(0, 6));
        // 1 + 2 + 3 + 4 rows of one 16-lane word each, over 118 cycles
        assertEquals(10.0 / 118, m.prefillLaneUtilization(0, 4), 1e-12);
        // two tokens after 2 cached rows: over 3 and 4 rows
        assertEquals(29, m.prefillFirstInToFirstOut(2, 2));
        assertEquals(30 + 30, m.prefillFirstInToLastOut(2, 2));
    }

    /** An int4 token whose row completes a key group of 2 first converts it: 2 d/P + 1 = 3 cycles more. */
    @Test
    void anInt4PrefillConvertsEachCompletedKeyGroup() {
        AttentionCycleModel m = new AttentionCycleModel(new AttentionConfig(16, 4, 16, 1e-3, 1, AttentionConfig.Kv.INT4, 2));
        assertEquals(28 + (29 + 3) + 30 + (30 + 3), m.prefillFirstInToLastOut(0, 4));
    }
}

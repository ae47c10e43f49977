package dev.qforge.generators.attention;

import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Registry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AttentionOptionsTest {
    @Test
    void optionsRoundTripThroughTheConfig() {
        AttentionConfig cfg = AttentionOptions.parse(Map.of("head-dim", "128", "max-seq", "2048", "lanes", "16", "score-shift", "14"));
        assertEquals(new AttentionConfig(128, 2048, 16, 0x1p-14), cfg);
        assertEquals(cfg, AttentionOptions.parse(AttentionOptions.of(cfg)));
        AttentionBlock block = (AttentionBlock) Registry.named("attention").build(null, Map.of("head-dim", "16", "max-seq", "4"));
        assertEquals("attention_d16_l4", block.designName());
        assertEquals(new AttentionConfig(16, 4, 8, 0x1p-13), block.config());
        assertEquals(4, AttentionOptions.parse(Map.of("heads", "4")).heads());
        AttentionConfig int4 = AttentionOptions.parse(Map.of("kv", "int4", "kv-group", "16"));
        assertEquals(new AttentionConfig(64, 256, 8, 0x1p-13, 1, AttentionConfig.Kv.INT4, 16), int4);
        assertEquals(int4, AttentionOptions.parse(AttentionOptions.of(int4)));
        AttentionConfig gqa = AttentionOptions.parse(Map.of("softmax", "ibert", "heads", "8", "kv-heads", "2"));
        assertEquals(new AttentionConfig(64, 256, 8, 0x1p-13, 8, AttentionConfig.Kv.INT8, 32, AttentionConfig.Softmax.IBERT, 2), gqa);
        assertEquals(gqa, AttentionOptions.parse(AttentionOptions.of(gqa)));
    }

    @Test
    void aBadCombinationNamesTheOption() {
        InvalidOption e = assertThrows(InvalidOption.class, () -> AttentionOptions.parse(Map.of("head-dim", "48", "lanes", "32")));
        assertEquals("lanes", e.option());
        assertEquals("must divide head-dim 48 (a query row is head-dim / lanes beats), got 32", e.problem());
        assertEquals("score-shift", assertThrows(InvalidOption.class, () -> AttentionOptions.parse(Map.of("score-shift", "40"))).option());
        InvalidOption group = assertThrows(InvalidOption.class, () -> AttentionOptions.parse(Map.of("kv", "int4", "max-seq", "16", "kv-group", "32")));
        assertEquals("kv-group", group.option());
        assertEquals("must be in 1..max-seq 16 (rows sharing a key channel's exponent), got 32", group.problem());
        InvalidOption heads = assertThrows(InvalidOption.class, () -> AttentionOptions.parse(Map.of("heads", "6", "kv-heads", "4")));
        assertEquals("heads", heads.option());
        assertEquals("must be a multiple of kv-heads 4 (each K/V head serves heads / kv-heads query heads), got 6", heads.problem());
        assertEquals("kv-heads must be at most heads 1 (each K/V head serves heads / kv-heads query heads), got 8",
                assertThrows(InvalidOption.class, () -> AttentionOptions.parse(Map.of("kv-heads", "8"))).getMessage());
    }

    @Test
    void aKeyGroupWithoutAnInt4CacheIsRefused() {
        InvalidOption e = assertThrows(InvalidOption.class, () -> AttentionOptions.parse(Map.of("kv-group", "16")));
        assertEquals("kv-group applies only to an int4 cache (kv int4): an int8 cache has no key groups; leave kv-group out", e.getMessage());
        assertEquals(16, AttentionOptions.parse(Map.of("kv", "int4", "kv-group", "16")).kvGroup());
    }

    /** Left out, the key group is its declared 32 or the whole cache when that is shorter; given, it is checked as given. */
    @Test
    void aLeftOutKeyGroupIsAtMostMaxSeq() {
        assertEquals(16, AttentionOptions.parse(Map.of("kv", "int4", "max-seq", "16")).kvGroup());
        assertEquals(1, AttentionOptions.parse(Map.of("kv", "int4", "max-seq", "1")).kvGroup());
        assertEquals(32, AttentionOptions.parse(Map.of("kv", "int4", "max-seq", "33")).kvGroup());
        assertEquals(8, AttentionOptions.parse(Map.of("kv", "int4", "max-seq", "16", "kv-group", "8")).kvGroup());
        assertEquals("kv-group must be in 1..max-seq 16 (rows sharing a key channel's exponent), got 32",
                assertThrows(InvalidOption.class, () -> AttentionOptions.parse(Map.of("kv", "int4", "max-seq", "16", "kv-group", "32"))).getMessage());
        assertEquals("32, at most max-seq", AttentionOptions.GENERATOR.option("kv-group").defaultText());
    }

    @Test
    void aScoreScaleEveryScoreRoundsToZeroAtIsRefused() {
        // head-dim 64: |q.k| <= 64 128 128 = 2^20; u = 2^20 2^-30 log2(e) 2^8 = 0.36 rounds to 0 (29: 0.72 rounds to 1);
        // at 32 u's rounding shift (54) passed the 54-bit product's width, an elaboration error inside the engine
        assertEquals(29, -Math.getExponent(AttentionOptions.parse(Map.of("score-shift", "29")).scoreScale()));
        InvalidOption e = assertThrows(InvalidOption.class, () -> AttentionOptions.parse(Map.of("score-shift", "32")));
        assertEquals("score-shift gives too small a scale: the largest score 1048576 * score-scale * log2(e) * 2^8 = 0.09016844005556021 "
                + "rounds to 0, so every logit would be 0 and the softmax uniform whatever q and k; score-scale must be at least "
                + "1.2910872335730964E-9", e.getMessage());
        assertEquals("score-shift", assertThrows(InvalidOption.class, () -> AttentionOptions.parse(Map.of("score-shift", "30"))).option());
    }

    @Test
    void theCycleModelCountsEveryRowAndTheDivider() {
        AttentionCycleModel m = new AttentionCycleModel(new AttentionConfig(64, 8, 8, 1e-3));
        // 8 beats in; 5 rows of 8 K reads, then the last row's last product, SCALE, MAX (its first V read), 7 more V
        // reads and its last update; a 22-bit divider (R = 37, sum >= 2^16); 8 beats out
        assertEquals(7 + 1 + (5 * 8 + 1 + 1 + 1 + 7 + 1) + 22, m.firstInToFirstOut(5, false));
        assertEquals(m.firstInToFirstOut(5, false) + 7, m.firstInToLastOut(5, false));
        assertEquals(8 + 5 * 8 + 11 + 22 + 8, m.cyclesPerToken(5, false));
        // d 128, L 2048, P 16: both multiplier sets busy in all but 8 + 3 + 8 + 30 + 8 of 16441 cycles
        AttentionCycleModel big = new AttentionCycleModel(new AttentionConfig(128, 2048, 16, 1e-3));
        assertEquals(8 + 2048 * 8 + 11 + 30 + 8, big.cyclesPerToken(2048, true));
        assertEquals(2048 * 8 / 16441.0, big.laneUtilization(2048, true), 1e-12);
        // int4 in key groups of 32: the token completing a group first converts it, 32 8 reads and the last write
        AttentionCycleModel int4 = new AttentionCycleModel(new AttentionConfig(128, 2048, 16, 1e-3, 1, AttentionConfig.Kv.INT4, 32));
        assertEquals(big.cyclesPerToken(64, false) + 32 * 8 + 1, int4.cyclesPerToken(64, false));
        assertEquals(big.cyclesPerToken(63, false), int4.cyclesPerToken(63, false));
        assertEquals(big.cyclesPerToken(2048, true), int4.cyclesPerToken(2048, true));
    }

    /**
     * ibert: four more pipeline stages between SCALE and MAX, and a divider as wide as its sums need: 15-bit
     * terms, L 8 in 4 bits, R = 35; the smallest term of the maximum's row is w(-(c - 1)) ~ 2^15 exp(-ln 2) ~ 2^14,
     * so r < 2^(35 - 14) takes 22 bits. K/V heads change nothing (they work in the same cycles).
     */
    @Test
    void theIbertCycleModelAddsItsStages() {
        AttentionConfig cfg = new AttentionConfig(64, 8, 8, 1e-3, 4, AttentionConfig.Kv.INT8, 1, AttentionConfig.Softmax.IBERT, 2);
        assertEquals(22, cfg.reciprocalBits());
        AttentionCycleModel m = new AttentionCycleModel(cfg);
        assertEquals(7 + 1 + (5 * 8 + 1 + 1 + 4 + 1 + 7 + 1) + 22, m.firstInToFirstOut(5, false));
        assertEquals(new AttentionCycleModel(new AttentionConfig(64, 8, 8, 1e-3)).attendCycles(5) + 4, m.attendCycles(5));
    }
}

package dev.qforge.generators.attention;

import dev.qforge.generators.Accuracy;
import dev.qforge.generators.attention.AttentionConfig.Kv;
import dev.qforge.generators.attention.AttentionConfig.Softmax;
import dev.qforge.dsl.Design;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's accuracy figures: every output of every step counted, and the errors within what each
 * softmax's arithmetic allows on an int8 cache. base2: the final rounding alone costs up to 0.5 LSB and
 * the 2^8-step exponent a relative 2^-9 of O; measured 0.55 max. ibert: I-BERT's polynomial (relative
 * error up to about 0.4%) and c S standing for ln 2 (at these scales c is in the thousands, so well
 * under 0.1%) on outputs up to 127; measured 0.61 to 0.66 max. Means are about 0.25 (the rounding's own).
 */
class AttentionAccuracyTest {
    @ParameterizedTest(name = "d{0} H{1} {2}")
    @CsvSource({"64, 1, BASE2, 0.6, 0.3", "64, 1, IBERT, 0.8, 0.3", "16, 2, IBERT, 0.8, 0.3", "128, 1, IBERT, 0.8, 0.3"})
    void int8ErrorIsWithinTheArithmeticsBound(int d, int heads, Softmax softmax, double maxBound, double meanBound) {
        AttentionConfig cfg = new AttentionConfig(d, 100, 8, 0x1p-13, heads, Kv.INT8, 1, softmax);
        Accuracy a = AttentionAccuracy.measure(cfg);
        System.out.printf("accuracy d%d H%d %s: max %.3f mean %.3f%n", d, heads, softmax, a.maxErrorLsb(), a.meanErrorLsb());
        assertEquals(100L * d * heads, a.outputs());
        assertTrue(a.maxErrorLsb() <= maxBound && a.maxErrorLsb() > 0, "max " + a.maxErrorLsb());
        assertTrue(a.meanErrorLsb() <= meanBound, "mean " + a.meanErrorLsb());
    }

    /** report.txt and report.json carry the figures of the block's own softmax variant. */
    @Test
    void reportShowsTheAccuracy() {
        AttentionBlock block = AttentionBlock.fromOptions("attn", Map.of("head-dim", "16", "max-seq", "8", "lanes", "16", "softmax", "ibert"));
        Design design = Design.elaborate(block.top());
        Report report = Report.of(block, design, Estimator.estimate(design), Map.of());
        Accuracy a = AttentionAccuracy.measure(block.config());
        assertEquals(a, report.accuracy());
        String text = report.toText();
        assertTrue(text.contains("+ Accuracy against float64 attention softmax(q K^T score-scale) V (output LSBs), 8 decode steps"), text);
        assertTrue(text.contains(String.format(Locale.ROOT, "%.3f", a.maxErrorLsb())), text);
        assertTrue(report.toJson().contains("\"maxErrorLsb\" : " + a.maxErrorLsb()), report.toJson());
    }
}

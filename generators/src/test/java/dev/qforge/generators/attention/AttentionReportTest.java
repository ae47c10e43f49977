package dev.qforge.generators.attention;

import dev.qforge.dsl.Design;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Report;
import dev.qforge.generators.report.Target;
import dev.qforge.generators.report.html.ReportHtml;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report states decode and prefill: d 64, L 8, P 8 (8 beats a row), base2, so a token over n rows takes
 * 8 beats in + 8n K reads + 11 (the last row's product, SCALE, MAX, 7 more V reads, its update) + 22 divider
 * bits (R = 37) + 8 beats out = 49 + 8n cycles. Decode over the full cache: 49 + 64 = 113. Prefill of 8
 * tokens from an empty cache, token t over t + 1 rows: 8 * 49 + 8 * (1 + ... + 8) = 680; an int4 cache in
 * key groups of 4 converts after tokens 4 and 8, 4 * 8 + 1 = 33 cycles each (the decode over a full cache,
 * dropped, converts nothing).
 */
class AttentionReportTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"int8, 113, 680", "int4, 113, 746"})
    void reportShowsDecodeAndPrefillTokensPerSecond(String kv, long decodeCycles, long prefillCycles) throws IOException {
        Map<String, String> options = new java.util.HashMap<>(Map.of("head-dim", "64", "max-seq", "8", "lanes", "8", "kv", kv));
        if (kv.equals("int4")) {
            options.put("kv-group", "4");
        }
        AttentionBlock block = AttentionBlock.fromOptions("attn", options);
        Design design = Design.elaborate(block.top());
        Map<Target, Estimator.TargetEstimate> estimates = Estimator.estimate(design);
        Report report = Report.of(block, design, estimates, Map.of());
        List<Report.TokenRate> rates = report.tokenRates();
        assertEquals(2, rates.size());
        assertEquals("decode step over 8 cached rows", rates.get(0).workload());
        assertEquals(List.of(1L, decodeCycles), List.of(rates.get(0).tokens(), rates.get(0).cycles()));
        assertEquals("prefill of a prompt of 8 tokens from an empty cache", rates.get(1).workload());
        assertEquals(List.of(8L, prefillCycles), List.of(rates.get(1).tokens(), rates.get(1).cycles()));
        assertEquals(prefillCycles / 8.0, rates.get(1).cyclesPerToken(), 0.005);
        double xcupMhz = estimates.get(Target.XCUP).fmaxMhz();
        assertEquals(xcupMhz * 1e6 / decodeCycles, rates.get(0).tokensPerSecond().get("xcup"), 0.05);
        assertEquals(8 * xcupMhz * 1e6 / prefillCycles, rates.get(1).tokensPerSecond().get("xcup"), 0.05);
        for (Target t : Target.values()) {
            assertEquals(estimates.get(t).fits(), rates.get(1).tokensPerSecond().containsKey(t.id()), t.id());
        }
        String text = report.toText();
        assertTrue(text.contains(String.format(Locale.ROOT, "| prefill of a prompt of 8 tokens from an empty cache |      8 |    %d |        %.2f | %13.0f |",
                prefillCycles, prefillCycles / 8.0, rates.get(1).tokensPerSecond().get("xcup"))), text);
        String html = ReportHtml.render(report);
        assertTrue(html.contains("<tr><td class=\"l\">prefill of a prompt of 8 tokens from an empty cache</td><td>8</td><td>" + prefillCycles
                + "</td>"), html);
        String json = report.toJson();
        assertTrue(json.contains("\"cycles\" : " + prefillCycles), json);
        Files.writeString(dir.resolve("report.json"), json);
        assertEquals(report.tokenRates(), Report.read(dir.resolve("report.json")).tokenRates());
    }
}

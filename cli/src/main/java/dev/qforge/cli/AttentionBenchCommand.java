package dev.qforge.cli;

import dev.qforge.generators.attention.AttentionConfig;
import dev.qforge.generators.attention.AttentionOptions;
import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Option;
import dev.qforge.generators.registry.OptionTable;
import dev.qforge.testbenches.bench.AttentionBench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code qforge bench attention}: the attention generator's options (its declaration, with the bench's
 * realistic shape as defaults: d 128, max-seq 2048, 16 lanes, an int4 cache) and {@code --tokens}.
 */
final class AttentionBenchCommand {
    /** The generator as the bench takes it. */
    static final Generator OPTIONS = AttentionOptions.GENERATOR.withDefaults(Map.of("head-dim", "128", "max-seq", "2048", "lanes", "16", "kv", "int4"));

    static final String USAGE = OPTIONS.options().stream().map(o -> "[" + OptionTable.usage(o) + "]").collect(Collectors.joining(" "))
            + " [--tokens T]";

    static final String HELP = BenchOptions.help(OPTIONS, more());

    private AttentionBenchCommand() { }

    /** The bench's own lines: its left-out score scale (which no score-shift states) and --tokens. */
    private static Map<String, String> more() {
        Option shift = OPTIONS.option("score-shift");
        Map<String, String> more = new LinkedHashMap<>();
        more.put(OptionTable.usage(shift), shift.doc() + " [left out: the bench rows' own scale 2 / (30^2 sqrt(d)), logits of "
                + "standard deviation about 2]");
        more.put("--tokens T", "tokens of one sequence simulated, 1..max-seq + 1 [max-seq + 1]: the first up to max-seq are the prompt "
                + "(prefill), the rest decode steps (the last of max-seq + 1 over a full cache); the other softmax's accuracy is shown "
                + "from its golden model");
        return more;
    }

    static int run(Args a) {
        Map<String, String> given = BenchOptions.given(a, OPTIONS);
        Map<String, String> options = BenchOptions.resolve(OPTIONS, given);
        int maxSeq = Integer.parseInt(options.get("max-seq"));
        int tokens = a.integer("--tokens", maxSeq + 1, 1, maxSeq + 1);
        a.requireAllRead();
        AttentionConfig cfg;
        try {
            cfg = AttentionOptions.config(options);
        } catch (InvalidOption e) {
            throw Args.UsageException.of(e);
        }
        if (!given.containsKey("score-shift")) {
            cfg = new AttentionConfig(cfg.headDim(), cfg.maxSeq(), cfg.lanes(), AttentionBench.scoreScale(cfg.headDim()), cfg.heads(), cfg.kv(),
                    cfg.kvGroup(), cfg.softmax(), cfg.kvHeads());
        }
        AttentionBench.run(cfg, tokens);
        return 0;
    }
}

package dev.qforge.spec.check;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.ElaborationException;
import dev.qforge.dsl.Identifiers;
import dev.qforge.dsl.Module;
import dev.qforge.generators.BlockInfo;
import dev.qforge.generators.attention.AttentionBlock;
import dev.qforge.generators.attention.AttentionConfig;
import dev.qforge.generators.attention.AttentionCycleModel;
import dev.qforge.generators.registry.DidYouMean;
import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Option;
import dev.qforge.generators.registry.Registry;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.systolic.Dataflow;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.spec.compose.ComposedTop;
import dev.qforge.spec.compose.Link;
import dev.qforge.spec.diag.Diagnostic;
import dev.qforge.spec.diag.Diagnostics;
import dev.qforge.spec.diag.Location;
import dev.qforge.spec.diag.SourceFile;
import dev.qforge.spec.diag.SpecException;
import dev.qforge.spec.parse.QfParser;
import dev.qforge.spec.parse.SpecReader;
import dev.qforge.spec.workload.GemmCost;
import dev.qforge.spec.workload.LayerResult;
import dev.qforge.spec.workload.WorkloadResult;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Checks parsed spec files against the generator registry and the target, collecting every
 * mistake; a spec without any becomes a {@link CheckedSpec}. Block kinds and their options come
 * from {@link Registry} only: a generator added there is part of the language.
 */
public final class Checker {
    /** What the spec is checked for: {@code BUILD} also refuses sweep ranges. */
    public enum Mode { CHECK, BUILD }

    private record Constant(long value, Location at, List<Long> range) { }

    private final Diagnostics diag;
    private final Mode mode;
    private SourceFile file;
    private final Map<String, Constant> constants = new LinkedHashMap<>();
    private final Map<String, Block> blocks = new LinkedHashMap<>();
    private final Map<String, BlockInfo> built = new HashMap<>();
    private final List<Link> links = new ArrayList<>();
    private final Map<String, Location> sinks = new HashMap<>();
    private final Map<String, Location> sources = new HashMap<>();
    private final Map<String, Location> topPorts = new HashMap<>();
    private final List<WorkloadResult> workloads = new ArrayList<>();
    private final List<Runnable> workloadChecks = new ArrayList<>();
    private Device device;
    private Location targetAt;
    /** The target as the spec names it: the part, or the board and its part. */
    private String targetName;
    /** The board the spec names, null when it names a part. */
    private String boardName;
    private double clockMhz;
    private Location clockAt;
    /** Blocks and constants whose statement had an error: what refers to them reports nothing more. */
    private final Failed failed = new Failed();

    /** The value each bound sweep range takes in this run (a range not bound takes its first value). */
    private final Map<String, Long> binding;

    private Checker(Diagnostics diag, Mode mode, Map<String, Long> binding) {
        this.diag = diag;
        this.mode = mode;
        this.binding = binding;
    }

    /** Checks {@code files} (imports first, the spec itself last); throws a SpecException with every mistake. */
    public static CheckedSpec check(List<SpecReader.Parsed> files, Diagnostics diag, Mode mode) {
        CheckedSpec spec = check(files, diag, mode, Map.of());
        if (mode == Mode.CHECK) {
            // every other value of each sweep range, one at a time (the others at their first values)
            spec.ranges().forEach((name, values) -> values.stream().skip(1).distinct().forEach(v -> {
                try {
                    check(files, new Diagnostics(), mode, Map.of(name, v));
                } catch (SpecException e) {
                    for (Diagnostic d : e.diagnostics()) {
                        diag.error(d.at(), d.message() + " (with " + name + " = " + v + " of its sweep range)", d.notes().toArray(Diagnostic.Note[]::new));
                    }
                }
            }));
            diag.throwIfAny();
        }
        return spec;
    }

    /**
     * Checks one point of a sweep: {@code files} with each sweep range named in {@code binding} set
     * to its value there; throws a SpecException with every mistake of that point.
     */
    public static CheckedSpec checkPoint(List<SpecReader.Parsed> files, Diagnostics diag, Map<String, Long> binding) {
        return check(files, diag, Mode.CHECK, binding);
    }

    /**
     * The sweep ranges of {@code files} by name, their values in spec order, evaluating only the
     * constants and ranges (so a point's other mistakes do not hide the grid); throws a
     * SpecException when a constant or range has a mistake.
     */
    public static Map<String, List<Long>> ranges(List<SpecReader.Parsed> files, Diagnostics diag) {
        Checker c = new Checker(diag, Mode.CHECK, Map.of());
        c.statements(files, st -> st instanceof QfParser.ConstStmtContext || st instanceof QfParser.RangeStmtContext);
        diag.throwIfAny();
        Map<String, List<Long>> ranges = new LinkedHashMap<>();
        c.constants.forEach((n, k) -> {
            if (k.range != null) {
                ranges.put(n, k.range);
            }
        });
        return ranges;
    }

    private static CheckedSpec check(List<SpecReader.Parsed> files, Diagnostics diag, Mode mode, Map<String, Long> binding) {
        Checker c = new Checker(diag, mode, binding);
        c.statements(files, st -> true);
        SpecReader.Parsed main = files.get(files.size() - 1);
        c.file = main.source();
        if (c.device == null && !diag.any()) {
            diag.error(new Location(main.source(), 1, 1, 1), "no target: add a line such as `target xc7z020;` (targets: "
                    + String.join(", ", Device.names()) + ")");
        }
        c.workloadChecks.forEach(Runnable::run);
        diag.throwIfAny();
        return c.compose(topName(main.source().name()));
    }

    /** Checks the statements of {@code files} that {@code checked} selects and remembers what each broken one declares. */
    private void statements(List<SpecReader.Parsed> files, Predicate<QfParser.StatementContext> checked) {
        for (SpecReader.Parsed p : files) {
            file = p.source();
            failed.skipped(p.tree());
            for (QfParser.StatementContext st : p.tree().statement()) {
                if (!parsed(st)) { // its syntax error has been reported and its parts may be missing: only what it declares is remembered
                    failed.unparsed(st);
                } else if (checked.test(st)) {
                    statement(st);
                }
            }
        }
    }

    /** Whether {@code tree} parsed without an error anywhere inside it. */
    private static boolean parsed(org.antlr.v4.runtime.tree.ParseTree tree) {
        if (tree instanceof org.antlr.v4.runtime.tree.ErrorNode || tree instanceof ParserRuleContext c && c.exception != null) {
            return false;
        }
        for (int i = 0; i < tree.getChildCount(); i++) {
            if (!parsed(tree.getChild(i))) {
                return false;
            }
        }
        return true;
    }

    // ---- statements -----------------------------------------------------------------------------

    private void statement(QfParser.StatementContext st) {
        if (st instanceof QfParser.TargetStmtContext t) {
            target(t);
        } else if (st instanceof QfParser.ClockStmtContext c) {
            clock(c);
        } else if (st instanceof QfParser.ConstStmtContext c) {
            define(c.id, eval(c.expr()), null);
        } else if (st instanceof QfParser.RangeStmtContext r) {
            List<Long> values = new ArrayList<>();
            boolean ok = true;
            for (QfParser.ExprContext e : r.expr()) {
                Long v = eval(e);
                ok &= v != null;
                values.add(v == null ? 0 : v);
            }
            define(r.id, ok ? binding.getOrDefault(r.id.getText(), values.get(0)) : null, values);
            if (mode == Mode.BUILD) {
                diag.error(at(r.id), "'" + r.id.getText() + "' is a sweep range of " + values.size() + " values: a build makes one design; "
                        + "sweep the file (qforge sweep), or give '" + r.id.getText() + "' one value (" + r.id.getText() + " = " + values.get(0) + ";)");
            }
        } else if (st instanceof QfParser.BlockStmtContext b) {
            block(b);
        } else if (st instanceof QfParser.ConnectStmtContext c) {
            connect(c);
        } else if (st instanceof QfParser.WorkloadStmtContext w) {
            SourceFile f = file;
            workloadChecks.add(() -> {
                file = f;
                workload(w);
            });
        } else if (st instanceof QfParser.LayerStmtContext l) {
            strayLayer(l);
        }
    }

    /**
     * A layer outside any workload, said once for the layers that follow each other: most often a
     * '}' too many closed the workload before them (and the workload's own '}' then closes nothing,
     * which the parser leaves unsaid).
     */
    private void strayLayer(QfParser.LayerStmtContext l) {
        List<QfParser.StatementContext> inFile = ((QfParser.FileContext) l.getParent()).statement();
        int i = inFile.indexOf(l);
        QfParser.StatementContext previous = i > 0 ? inFile.get(i - 1) : null;
        if (previous instanceof QfParser.LayerStmtContext) {
            return;
        }
        Token kind = l.layer().start;
        String problem = "a " + kind.getText() + " layer is only allowed inside a workload";
        if (previous instanceof QfParser.WorkloadStmtContext w && w.stop.getText().equals("}") && w.id.getTokenIndex() >= 0) {
            diag.error(at(kind), problem + ": the workload '" + w.id.getText() + "' was closed at " + w.stop.getLine() + ":"
                    + (w.stop.getCharPositionInLine() + 1), note(at(w.stop), "the workload is closed here: is this '}' one too many?"));
        } else {
            diag.error(at(kind), problem + ": write it in `workload NAME { ... }`");
        }
    }

    private void target(QfParser.TargetStmtContext t) {
        String name = t.id.getText();
        boolean board = t.kw.getText().equals("board");
        if (device != null) {
            diag.error(at(t.id), "a second target: the design targets " + targetName, note(targetAt, "first target here"));
            return;
        }
        Device d = Device.find(board ? Device.BOARDS.getOrDefault(name, "") : name);
        if (d == null) {
            List<String> known = board ? List.copyOf(Device.BOARDS.keySet()) : Device.names();
            diag.error(at(t.id), "unknown " + t.kw.getText() + " '" + name + "'" + DidYouMean.hint(name, known) + "; " + t.kw.getText() + "s: "
                    + String.join(", ", known));
            return;
        }
        device = d;
        targetName = board ? name + " (" + d.name() + ")" : name;
        boardName = board ? name : null;
        targetAt = at(t.id);
    }

    private void clock(QfParser.ClockStmtContext c) {
        Long mhz = eval(c.expr());
        if (!c.unit.getText().equals("MHz")) {
            diag.error(at(c.unit), "clock unit '" + c.unit.getText() + "': write the frequency in MHz" + DidYouMean.hint(c.unit.getText(), List.of("MHz")));
        } else if (mhz != null && (mhz < 1 || mhz > 2000)) {
            diag.error(Location.of(file, c.expr()), "clock must be in 1..2000 MHz, got " + mhz + origin(c.expr()));
        } else if (mhz != null) {
            clockMhz = mhz;
            clockAt = Location.of(file, c.expr());
        }
    }

    /** Defines a constant or sweep range; {@code value} null after an error in its expression (its uses report nothing more). */
    private void define(Token id, Long value, List<Long> range) {
        String name = id.getText();
        Constant first = constants.get(name);
        if (first != null) {
            diag.error(at(id), "'" + name + "' is defined twice", note(first.at, "first defined here"));
            return;
        }
        if (value == null) {
            failed.constant(name);
            return;
        }
        constants.put(name, new Constant(value, at(id), range));
    }

    // ---- blocks -------------------------------------------------------------------------------

    private void block(QfParser.BlockStmtContext b) {
        String name = b.id.getText();
        String kind = b.kind.getText();
        if (b.kw == null) {
            // the rest of the declaration is checked as written: its options' mistakes are mistakes of their own
            diag.error(at(b.id), "a block declaration starts with `block`: write `block " + name + " = " + kind + "(...);`");
        }
        if (blocks.containsKey(name)) {
            diag.error(at(b.id), "block '" + name + "' is declared twice", note(blocks.get(name).at(), "first declared here"));
            return;
        }
        String problem = Identifiers.problem(name);
        if (problem != null || name.equals("clk") || name.equals("rst")) {
            diag.error(at(b.id), "block name " + (problem != null ? problem : "'" + name + "' is the clock or reset of the composed top")
                    + ": it names the block's instance in the Verilog");
            failed.block(name);
            return;
        }
        Generator g = Registry.find(kind);
        if (g == null) {
            diag.error(at(b.kind), "unknown block kind '" + kind + "'" + DidYouMean.hint(kind, Registry.names()) + "; block kinds: "
                    + String.join(", ", Registry.names()));
            failed.block(name);
            return;
        }
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, Location> where = new HashMap<>();
        boolean ok = true;
        List<QfParser.ArgContext> args = b.args() == null ? List.of() : b.args().arg();
        for (QfParser.ArgContext a : args) {
            String option = a.optionName().getText();
            Option o = g.option(option);
            if (o == null) {
                diag.error(at(a.optionName()), "'" + option + "' is not an option of " + kind + DidYouMean.hint(option, g.optionNames())
                        + "; its options are " + String.join(", ", g.optionNames()));
                ok = false;
                continue;
            }
            if (where.containsKey(option)) {
                diag.error(at(a.optionName()), "option '" + option + "' is given twice", note(where.get(option), "first given here"));
                ok = false;
                continue;
            }
            where.put(option, at(a.optionName()));
            String text = valueText(o, a.value());
            if (text == null) {
                ok = false;
                continue;
            }
            try {
                options.put(option, o.check(text));
            } catch (InvalidOption e) {
                diag.error(at(a.value()), e.getMessage() + (o.kind() == Option.Kind.INTEGER ? origin(a.value().expr(0)) : ""));
                ok = false;
            }
        }
        if (!ok) {
            failed.block(name);
            return;
        }
        BlockInfo info;
        try {
            Map<String, String> resolved = g.resolve(options);
            String key = kind + resolved;
            info = built.get(key);
            if (info == null) {
                info = g.build(name, options);
                built.put(key, info);
            }
        } catch (InvalidOption e) {
            Location l = where.getOrDefault(e.option(), at(b.kind));
            diag.error(l, e.getMessage());
            failed.block(name);
            return;
        } catch (ElaborationException | IllegalArgumentException e) {
            diag.error(at(b.kind), kind + ": " + e.getMessage());
            failed.block(name);
            return;
        }
        blocks.put(name, new Block(name, g, at(b.id), options, info, StreamPort.of(info)));
    }

    /** The option's value as the registry takes it: a whole number evaluated, a word or format as written; null after an error. */
    private String valueText(Option o, QfParser.ValueContext v) {
        if (o.kind() == Option.Kind.INTEGER) {
            if (v.group != null) {
                diag.error(at(v), o.name() + " takes a whole number (" + o.syntax() + "), not a grouped format");
                return null;
            }
            Long n = eval(v.expr(0));
            return n == null ? null : Long.toString(n);
        }
        String text = word(v.expr(0));
        if (v.group != null) {
            Long group = eval(v.group);
            if (group == null) {
                return null;
            }
            text += " group " + group + " scale " + v.scale.getText();
        }
        return text;
    }

    /** A word, a format with parameters ({@code sfix(16, 12)}, each evaluated) or a number, as text. */
    private String word(QfParser.ExprContext e) {
        if (e instanceof QfParser.CallExprContext c) {
            List<String> params = new ArrayList<>();
            for (QfParser.ExprContext p : c.expr()) {
                Long v = eval(p);
                params.add(v == null ? "?" : Long.toString(v));
            }
            return c.name().getText() + "(" + String.join(", ", params) + ")";
        }
        if (e instanceof QfParser.NameExprContext n) {
            return n.getText();
        }
        Long v = eval(e);
        return v == null ? "?" : Long.toString(v);
    }

    // ---- connections --------------------------------------------------------------------------

    private void connect(QfParser.ConnectStmtContext c) {
        Link.End from = end(c.from, true);
        Link.End to = end(c.to, false);
        int depth = 0;
        if (c.depth != null) {
            Long d = eval(c.depth);
            if (d != null && (d < 2 || d > 1 << 16)) {
                diag.error(at(c.depth), "fifo depth must be in 2..65536, got " + d + origin(c.depth));
                return;
            }
            depth = d == null ? 0 : d.intValue();
        }
        if (from == null || to == null) {
            return;
        }
        if (from.isTop() && to.isTop()) {
            diag.error(at(c.arrow), "a connection needs a block at one end at least: " + from.top() + " -> " + to.top() + " joins two top-level ports");
            return;
        }
        if (from.isTop()) {
            from = new Link.End(null, from.top(), to.stream());
        }
        if (to.isTop()) {
            to = new Link.End(null, to.top(), from.stream());
        }
        if (!from.isTop() && !to.isTop() && !from.stream().sameShape(to.stream())) {
            diag.error(at(c.arrow), "the streams differ: " + from + " carries " + from.stream().shape() + ", " + to + " takes " + to.stream().shape(),
                    note(blocks.get(from.block()).at(), from + " is a stream of this block (" + blocks.get(from.block()).generator().name() + ")"),
                    note(blocks.get(to.block()).at(), to + " is a stream of this block (" + blocks.get(to.block()).generator().name() + ")"));
            return;
        }
        if (!from.isTop() && !to.isTop() && takesColumns(blocks.get(to.block()), to.stream())) {
            diag.error(at(c.arrow), to + " takes A by columns (output-stationary: beat k holds column k of a slice of M rows), and " + from
                    + " gives its beats in another order: feed an output-stationary engine's act from a top-level stream",
                    note(blocks.get(to.block()).at(), to.block() + " is declared output-stationary here"));
            return;
        }
        if (!claim(sources, from, at(c.from), "feeds a connection already; a stream has one consumer (fan-out needs a block)")
                | !claim(sinks, to, at(c.to), "is driven already; a stream has one producer")) {
            return;
        }
        links.add(new Link(from, to, depth));
    }

    /**
     * Whether {@code stream} of {@code b} is an output-stationary engine's activations, beat k column
     * k of A: no block produces that order (a GEMM engine's results are rows of Y).
     */
    private static boolean takesColumns(Block b, StreamPort stream) {
        return b.info() instanceof GemmEngineBlock g && g.config().dataflow() == Dataflow.OS && stream.name().equals("act");
    }

    /** Records that {@code end} is used; false (after an error naming both places) when it already was. */
    private boolean claim(Map<String, Location> used, Link.End end, Location here, String problem) {
        String key = end.toString();
        Location first = end.isTop() ? topPorts.get(key) : used.get(key);
        if (first != null) {
            diag.error(here, (end.isTop() ? "top-level port '" + key + "' is connected already" : key + " " + problem),
                    note(first, "first connected here"));
            return false;
        }
        (end.isTop() ? topPorts : used).put(key, here);
        return true;
    }

    /** One end of a connection; a bare name is a top-level port. Null after an error. */
    private Link.End end(QfParser.EndpointContext e, boolean producing) {
        String name = e.blk.getText();
        if (e.stream == null) {
            if (blocks.containsKey(name)) {
                diag.error(at(e), "'" + name + "' is a block: name one of its streams (" + String.join(", ",
                        blocks.get(name).streamNames().stream().map(s -> name + "." + s).toList()) + ")");
                return null;
            }
            String problem = Identifiers.problem(name);
            if (problem != null) {
                diag.error(at(e), "top-level port name " + problem + ": it names the composed top's ports");
                return null;
            }
            return new Link.End(null, name, null);
        }
        Block b = blocks.get(name);
        if (b == null) {
            if (!failed.isBlock(name)) { // a failed declaration's uses follow from its mistake, reported there
                diag.error(at(e.blk), "no block '" + name + "'" + DidYouMean.hint(name, failed.withBlocks(blocks.keySet()))
                        + (blocks.isEmpty() ? "" : "; blocks: " + String.join(", ", blocks.keySet())));
            }
            return null;
        }
        String streamName = e.stream.getText();
        StreamPort s = b.stream(streamName);
        if (s == null) {
            diag.error(at(e.stream), b.generator().name() + " block '" + name + "' has no stream '" + streamName + "'"
                    + DidYouMean.hint(streamName, b.streamNames()) + "; its streams: " + String.join(", ", b.streamNames()));
            return null;
        }
        if (s.input() == producing) {
            diag.error(at(e), name + "." + streamName + " is an " + (s.input() ? "input" : "output") + " stream of " + name
                    + ": a connection goes from an output to an input (producer -> consumer)");
            return null;
        }
        return new Link.End(name, null, s);
    }

    // ---- workloads ----------------------------------------------------------------------------

    private void workload(QfParser.WorkloadStmtContext w) {
        long tokens = 0;
        if (w.tokens != null) {
            Long t = eval(w.tokens);
            if (t != null && t < 1) {
                diag.error(at(w.tokens), "tokens must be at least 1, got " + t + origin(w.tokens));
            }
            tokens = t == null ? 0 : t;
        }
        List<LayerResult> layers = new ArrayList<>();
        for (QfParser.LayerContext l : w.layer()) {
            LayerResult r = l instanceof QfParser.GemmLayerContext g ? gemmLayer(g) : attentionLayer((QfParser.ArgLayerContext) l);
            if (r != null) {
                layers.add(r);
            }
        }
        workloads.add(new WorkloadResult(w.id.getText(), tokens, layers));
    }

    private static final List<String> LAYER_KINDS = List.of("gemm", "attention");
    /** Bits of an OCP MX block's shared scale. */
    private static final int E8M0_BITS = 8;
    private static final List<String> ATTENTION_ARGS = List.of("d", "L", "heads", "kv_heads", "mode", "kv");

    private LayerResult gemmLayer(QfParser.GemmLayerContext g) {
        if (!g.kind.getText().equals("gemm")) {
            layerKindError(g.kind, "M x K x N");
            return null;
        }
        Long m = positive(g.m, "M");
        Long k = positive(g.k, "K");
        Long n = positive(g.n, "N");
        SystolicConfig cfg = gemmBlock(g.block);
        if (m == null || k == null || n == null || cfg == null) {
            return null;
        }
        // a grouped engine also reads each column's scale of every group of K; an MX engine an E8M0 scale per block of
        // 32 of K of each column of B and each row of A
        long groups = cfg.scaled() ? (k + cfg.groupSize() - 1) / cfg.groupSize() : 0;
        long weightScaleBits = groups * n * (cfg.group() != null ? cfg.group().scale().bits() : cfg.mx() != null ? E8M0_BITS : 0);
        long actScaleBits = cfg.mx() != null ? groups * m * E8M0_BITS : 0;
        return new LayerResult(g.id.getText(), "gemm", m + " x " + k + " x " + n, g.block.getText(), GemmCost.cycles(cfg, m, k, n), m * k * n,
                ceilBytes(k * n * cfg.weightBits() + weightScaleBits), ceilBytes(m * k * cfg.actBits() + actScaleBits), ceilBytes(m * n * cfg.outBits()));
    }

    /**
     * Attention on an attention engine (timed by its cycle model; a prefill computes only the causal
     * triangle, L (L + 1) / 2 scores per query head) or on a GEMM engine: per query head, the scores
     * Q K^T (q x d x L) and the context P V (q x L x d), q = 1 query token when decoding, L when
     * prefilling; the softmax between them is not counted there. The KV cache (2 L d per KV head, in
     * the {@code kv} format) is read once.
     */
    private LayerResult attentionLayer(QfParser.ArgLayerContext a) {
        if (!a.kind.getText().equals("attention")) {
            layerKindError(a.kind, "(d: , L: , heads: , kv_heads: , mode: decode|prefill, kv: FORMAT)");
            return null;
        }
        Map<String, QfParser.ValueContext> args = new LinkedHashMap<>();
        boolean ok = true;
        for (QfParser.ArgContext arg : a.args().arg()) {
            String n = arg.optionName().getText();
            if (!ATTENTION_ARGS.contains(n)) {
                diag.error(at(arg.optionName()), "'" + n + "' is not a parameter of an attention layer" + DidYouMean.hint(n, ATTENTION_ARGS)
                        + "; its parameters are " + String.join(", ", ATTENTION_ARGS));
                ok = false;
            } else if (args.put(n, arg.value()) != null) {
                diag.error(at(arg.optionName()), "parameter '" + n + "' is given twice");
                ok = false;
            }
        }
        List<String> missing = ATTENTION_ARGS.stream().filter(n -> !args.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            diag.error(at(a.id), "attention layer '" + a.id.getText() + "' needs " + Option.oneOf(missing).replace(" or ", " and "));
            ok = false;
        }
        Block engine = blocks.get(a.block.getText());
        AttentionBlock attention = engine != null && engine.info() instanceof AttentionBlock ab ? ab : null;
        SystolicConfig cfg = attention != null ? null : gemmBlock(a.block);
        if (!ok || (cfg == null && attention == null)) {
            return null;
        }
        Long d = positive(args.get("d").expr(0), "d");
        Long len = positive(args.get("L").expr(0), "L");
        Long heads = positive(args.get("heads").expr(0), "heads");
        Long kvHeads = positive(args.get("kv_heads").expr(0), "kv_heads");
        String modeWord = word(args.get("mode").expr(0));
        double kvBits = formatBits(args.get("kv"));
        if (!modeWord.equals("decode") && !modeWord.equals("prefill")) {
            diag.error(at(args.get("mode")), "mode must be decode or prefill, got '" + modeWord + "'" + DidYouMean.hint(modeWord, List.of("decode", "prefill")));
            return null;
        }
        if (d == null || len == null || heads == null || kvHeads == null || kvBits < 0) {
            return null;
        }
        if (heads % kvHeads != 0) {
            diag.error(at(args.get("kv_heads")), "kv_heads must divide heads: " + heads + " query heads cannot share " + kvHeads + " KV heads evenly");
            return null;
        }
        long q = modeWord.equals("decode") ? 1 : len;
        Long cycles = attention == null ? Long.valueOf(heads * (GemmCost.cycles(cfg, q, d, len) + GemmCost.cycles(cfg, q, len, d)))
                : attentionEngineCycles(args, engine, attention.config(), d, len, heads, kvHeads, modeWord);
        if (cycles == null) {
            return null;
        }
        long macs = attention != null && q > 1 ? heads * d * len * (len + 1) : 2 * heads * q * d * len;
        long qBytes = ceilBytes(heads * q * d * (cfg == null ? 8 : cfg.actBits()));
        String shape = "d " + d + ", L " + len + ", heads " + heads + "/" + kvHeads + ", " + modeWord;
        return new LayerResult(a.id.getText(), "attention", shape, a.block.getText(), cycles, macs, (long) Math.ceil(2 * len * d * kvHeads * kvBits / 8),
                qBytes, qBytes);
    }

    /**
     * A layer on an attention engine: its query heads of one K/V head share a K/V stream in groups
     * of the engine's heads, one request per group and K/V head, each as long as the engine's cycle
     * model says: decode, a token attending over L rows (its own included); prefill, a new sequence
     * of L tokens, token t attending over t + 1 rows. Null after an error: a head dimension, context
     * or cache format the engine was not built for.
     */
    private Long attentionEngineCycles(Map<String, QfParser.ValueContext> args, Block engine, AttentionConfig cfg,
                                       long d, long len, long heads, long kvHeads, String mode) {
        Diagnostic.Note declared = note(engine.at(), "declared here");
        String name = "block '" + engine.name() + "' (attention)";
        boolean ok = true;
        if (d != cfg.headDim()) {
            diag.error(at(args.get("d")), "d " + d + " is not the head-dim " + cfg.headDim() + " of " + name, declared);
            ok = false;
        }
        if (len > cfg.maxSeq()) {
            diag.error(at(args.get("L")), "L " + len + " is more than the " + cfg.maxSeq() + " rows the K/V cache of " + name + " holds (max-seq)", declared);
            ok = false;
        }
        QfParser.ValueContext kvValue = args.get("kv");
        String kv = word(kvValue.expr(0));
        if (!kv.equals(cfg.kv().optionName())) {
            diag.error(at(kvValue), "kv " + kv + " is not the " + cfg.kv().optionName() + " K/V cache of " + name, declared);
            ok = false;
        } else if (kvValue.group != null) {
            // the engine's int4 has no scale per group of elements: counting one would time and size another cache
            diag.error(at(kvValue), "kv " + kv + " group " + kvValue.group.getText() + " scale " + kvValue.scale.getText() + " is not the cache of " + name
                    + ": its int4 is KIVI-style block floating point (keys: a 3-bit exponent per channel and group of " + cfg.kvGroup()
                    + " rows; values: one per token and " + cfg.lanes() + " elements); write kv: int4", declared);
            ok = false;
        }
        if (!ok) {
            return null;
        }
        long steps = kvHeads * ((heads / kvHeads + cfg.heads() - 1) / cfg.heads());
        AttentionCycleModel model = new AttentionCycleModel(cfg);
        return steps * (mode.equals("decode") ? model.cyclesPerToken((int) len, false) : model.prefillCycles(0, (int) len));
    }

    private void layerKindError(Token kind, String shape) {
        String k = kind.getText();
        if (LAYER_KINDS.contains(k)) {
            diag.error(at(kind), "a " + k + " layer is written `" + k + " NAME " + shape + " on BLOCK;`");
        } else {
            diag.error(at(kind), "unknown layer kind '" + k + "'" + DidYouMean.hint(k, LAYER_KINDS) + "; layer kinds: " + String.join(", ", LAYER_KINDS));
        }
    }

    /** Bits per element of a format value ({@code int4}, {@code int4 group 128 scale bf16}); -1 after an error. */
    private double formatBits(QfParser.ValueContext v) {
        String name = word(v.expr(0));
        double bits = Formats.bitsPerElement(name);
        if (bits < 0) {
            diag.error(at(v.expr(0)), "unknown format '" + name + "'" + DidYouMean.hint(name, Formats.spellings()));
            return -1;
        }
        if (v.group == null) {
            return bits;
        }
        Long group = positive(v.group, "group");
        double scale = Formats.bitsPerElement(v.scale.getText());
        if (scale < 0) {
            diag.error(at(v.scale), "unknown scale format '" + v.scale.getText() + "'" + DidYouMean.hint(v.scale.getText(), Formats.spellings()));
            return -1;
        }
        return group == null ? -1 : Formats.groupedBits(bits, group, scale);
    }

    /** The systolic config of the block a layer runs on; null after an error. */
    private SystolicConfig gemmBlock(Token name) {
        Block b = blocks.get(name.getText());
        if (b == null) {
            if (!failed.isBlock(name.getText())) {
                diag.error(at(name), "no block '" + name.getText() + "'" + DidYouMean.hint(name.getText(), failed.withBlocks(blocks.keySet())));
            }
            return null;
        }
        if (!(b.info() instanceof GemmEngineBlock g)) {
            diag.error(at(name), "block '" + b.name() + "' (" + b.generator().name() + ") cannot run a GEMM: its generator has no GEMM cycle model",
                    note(b.at(), "declared here"));
            return null;
        }
        return g.config();
    }

    private Long positive(QfParser.ExprContext e, String what) {
        Long v = eval(e);
        if (v != null && v < 1) {
            diag.error(at(e), what + " must be at least 1, got " + v + origin(e));
            return null;
        }
        return v;
    }

    private static long ceilBytes(long bits) {
        return (bits + 7) / 8;
    }

    // ---- expressions --------------------------------------------------------------------------

    /** The whole-number value of {@code e}; null (after an error) when it has none. */
    private Long eval(QfParser.ExprContext e) {
        try {
            return value(e);
        } catch (Undefined u) {
            return null;
        }
    }

    /** Thrown after an expression's error is reported, so the expression around it reports nothing more. */
    private static final class Undefined extends RuntimeException {
        Undefined() {
            super(null, null, false, false);
        }
    }

    private long value(QfParser.ExprContext e) {
        if (e instanceof QfParser.IntExprContext i) {
            try {
                return Long.parseLong(i.getText());
            } catch (NumberFormatException x) {
                throw fail(e, "number " + i.getText() + " is too large");
            }
        }
        if (e instanceof QfParser.ParenExprContext p) {
            return value(p.expr());
        }
        if (e instanceof QfParser.NegExprContext n) {
            return -value(n.expr());
        }
        if (e instanceof QfParser.NameExprContext n) {
            Constant c = constants.get(n.getText());
            if (c == null && failed.isConstant(n.getText())) {
                throw new Undefined();
            }
            if (c == null) {
                throw fail(e, "no constant '" + n.getText() + "'" + DidYouMean.hint(n.getText(), failed.withConstants(constants.keySet())));
            }
            return c.value;
        }
        if (e instanceof QfParser.CallExprContext c) {
            throw fail(e, "'" + c.name().getText() + "(...)' is not a whole number");
        }
        QfParser.ExprContext left = e.getChild(QfParser.ExprContext.class, 0);
        QfParser.ExprContext right = e.getChild(QfParser.ExprContext.class, 1);
        long a = value(left);
        long b = value(right);
        String op = e instanceof QfParser.MulExprContext m ? m.op.getText() : ((QfParser.AddExprContext) e).op.getText();
        try {
            return switch (op) {
                case "*" -> Math.multiplyExact(a, b);
                case "+" -> Math.addExact(a, b);
                case "-" -> Math.subtractExact(a, b);
                default -> {
                    if (b == 0) {
                        throw fail(right, "division by zero: this is 0");
                    }
                    yield op.equals("/") ? Math.floorDiv(a, b) : Math.floorMod(a, b);
                }
            };
        } catch (ArithmeticException x) {
            throw fail(e, "the value overflows 64 bits");
        }
    }

    /**
     * Where a value out of range came from, when constants gave it: the error is at the use, and
     * the constant is what to change ({@code (hidden, line 8)}, {@code (hidden * 2 with hidden = 0,
     * line 8)}); "" for a value written out.
     */
    private String origin(QfParser.ExprContext e) {
        List<String> used = new ArrayList<>();
        constantsIn(e, used);
        if (used.isEmpty()) {
            return "";
        }
        if (e instanceof QfParser.NameExprContext) {
            return " (" + e.getText() + ", " + line(constants.get(e.getText()).at) + ")";
        }
        String written = file.text().substring(e.start.getStartIndex(), e.stop.getStopIndex() + 1);
        return " (" + written + " with " + String.join(" and ", used.stream().map(n -> n + " = " + constants.get(n).value + ", "
                + line(constants.get(n).at)).toList()) + ")";
    }

    /** The constants {@code t} uses, but for the sweep range bound in this run: its error says "with NAME = V of its sweep range". */
    private void constantsIn(org.antlr.v4.runtime.tree.ParseTree t, List<String> used) {
        if (t instanceof QfParser.NameExprContext n && constants.containsKey(n.getText()) && !binding.containsKey(n.getText())
                && !used.contains(n.getText())) {
            used.add(n.getText());
        }
        for (int i = 0; i < t.getChildCount(); i++) {
            constantsIn(t.getChild(i), used);
        }
    }

    /** "line 8", or "line 8 of lib.qf" for a line of another file (an import). */
    private String line(Location at) {
        return "line " + at.line() + (at.file().equals(file) ? "" : " of " + at.file().name());
    }

    private Undefined fail(ParserRuleContext at, String message) {
        diag.error(at(at), message);
        return new Undefined();
    }

    // ---- the composed design ------------------------------------------------------------------

    private CheckedSpec compose(String topName) {
        exportClashes();
        diag.throwIfAny();
        Map<String, Module> modules = new LinkedHashMap<>();
        blocks.forEach((n, b) -> modules.put(n, b.info().top()));
        Design design = Design.elaborate(new ComposedTop(topName, modules, links));
        Estimator.TargetEstimate estimate = Estimator.estimate(design, EnumSet.of(device.family())).get(device.family());
        fitCheck(estimate);
        if (clockMhz > 0 && estimate.fits() && clockMhz > estimate.fmaxMhz()) {
            diag.error(clockAt, String.format(Locale.ROOT, "clock %s MHz cannot be met: the estimated Fmax on %s is %.1f MHz "
                    + "(critical path %.2f ns: %s)", fmt(clockMhz), targetName, estimate.fmaxMhz(), estimate.criticalPathNs(), estimate.criticalPath()));
        }
        diag.throwIfAny();
        Map<String, List<Long>> ranges = new LinkedHashMap<>();
        constants.forEach((n, c) -> {
            if (c.range != null) {
                ranges.put(n, c.range);
            }
        });
        return new CheckedSpec(topName, device, boardName, clockMhz, List.copyOf(blocks.values()), List.copyOf(links), ranges, List.copyOf(workloads),
                design, estimate);
    }

    /** A top-level port named as a block's unconnected stream or port is brought out ({@code <block>_<name>}). */
    private void exportClashes() {
        Map<String, String> exported = new HashMap<>();
        for (Block b : blocks.values()) {
            for (StreamPort s : b.streams()) {
                if (!sources.containsKey(b.name() + "." + s.name()) && !sinks.containsKey(b.name() + "." + s.name())) {
                    exported.put(b.name() + "_" + s.name(), b.name() + "." + s.name());
                }
            }
            for (dev.qforge.dsl.Signal p : StreamPort.loose(b.info().top(), b.streams())) {
                exported.put(b.name() + "_" + p.name(), b.name() + "." + p.name());
            }
        }
        topPorts.forEach((name, at) -> {
            if (exported.containsKey(name)) {
                diag.error(at, "top-level port '" + name + "' has the name that " + exported.get(name) + " is brought out under, as it is "
                        + "not connected; rename the port, or connect " + exported.get(name));
            }
        });
    }

    private void fitCheck(Estimator.TargetEstimate estimate) {
        if (!estimate.fits()) {
            diag.error(targetAt, "the design does not fit: " + estimate.doesNotFit());
            return;
        }
        for (Map.Entry<Resource, Long> cap : device.capacity().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            long need = estimate.total().get(cap.getKey());
            if (need > cap.getValue()) {
                diag.error(targetAt, "the design needs " + need + " " + resourceName(cap.getKey()) + ", " + targetName + " has " + cap.getValue()
                        + " (estimate)");
            }
        }
    }

    static String resourceName(Resource r) {
        return switch (r) {
            case LUT -> "LUTs";
            case FF -> "flip-flops";
            case DSP -> "DSP slices";
            case BRAM -> "RAMB18";
            case LC -> "logic cells";
        };
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The top module's name from the spec file's: its letters, digits and underscores, "spec_" before it when that is no usable name. */
    static String topName(String fileName) {
        String base = java.nio.file.Path.of(fileName).getFileName().toString().replaceAll("\\.qf$", "").replaceAll("[^A-Za-z0-9_]", "_");
        // a file called design.qf or 1x1.qf still names a usable module
        return Identifiers.problem(base) == null ? base : "spec_" + base;
    }

    // ---- locations ----------------------------------------------------------------------------

    private Location at(Token t) {
        return Location.of(file, t);
    }

    private Location at(ParserRuleContext c) {
        return Location.of(file, c);
    }

    private static Diagnostic.Note note(Location at, String message) {
        return new Diagnostic.Note(at, message);
    }
}

package dev.qforge.cli;

import dev.qforge.dsl.ElaborationException;
import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.generators.GeneratorLoader;
import dev.qforge.generators.registry.DidYouMean;
import dev.qforge.generators.registry.Option;
import dev.qforge.generators.systolic.SystolicOptions;
import dev.qforge.testbenches.bench.GemmBench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ./qforge} command line: dispatches to one subcommand per word (or word pair), prints
 * help pages ({@code --help}, {@code help COMMAND}, {@code COMMAND --help}), and turns every
 * failure into one line on stderr and an exit code: 2 for a usage error, 1 for a failed run.
 */
public final class Main {
    /** A subcommand: takes its own arguments, returns the process exit code. */
    interface Command {
        int run(Args args) throws Exception;
    }

    /**
     * A subcommand as help shows it.
     *
     * @param name     one or two words, e.g. {@code bench gemm}
     * @param usage    its arguments, e.g. {@code --n N [--transactions T]}
     * @param summary  one line for the command list
     * @param details  the rest of its help page (options, one per line), or ""
     * @param operand  whether its first argument is an operand (a folder, a generator) rather than an option
     */
    record Spec(String name, String usage, String summary, String details, boolean operand, Command command) { }

    private static final Map<String, Spec> COMMANDS = new LinkedHashMap<>();

    /** bench gemm's one option that is the systolic generator's, at the bench's default 1. */
    private static final Option PE_STAGES = SystolicOptions.GENERATOR.option("pe-stages");

    static {
        add(new Spec("demo", "[--seed S] [--gemms G] [--no-synth] [-o DIR] [--force]", "generate the default 8x8 int8 GEMM engine, "
                + "co-simulate it against its golden model, synthesise it, print the report", """
                  --seed S      seed of the random GEMMs, bubbles and back-pressure [1]
                  --gemms G     random GEMMs to co-simulate after the reference workload [24]
                  --no-synth    skip Yosys and nextpnr; the report shows estimates only
                  -o DIR        output folder [rtl-out/demo]
                """ + GenerateCommand.FORCE_HELP, false, DemoCommand::run));
        add(new Spec("generate", "GENERATOR [options] [-o DIR] [--force] [--shell axi]  |  generate --class CLASS [--param V]... [--option NAME=VALUE]... "
                + "[-cp PATH] [-o DIR] [--force]", "write a design's Verilog, filelist.f, port-table README and report; "
                + "`qforge generate` lists the generators", GenerateCommand.HELP, true, GenerateCommand::run));
        add(new Spec("check", "FILE.qf", "check a spec: every mistake located, then its estimated resources, Fmax and workload table", "",
                true, SpecCommand::check));
        add(new Spec("build", "FILE.qf [--board B] [-o DIR] [--force]", "build a spec: every block's and the composed top's Verilog, filelist.f, "
                + "port-table README, report with the workload", """
                  -o DIR        output folder [rtl-out/<spec file name>]
                  --board B     also the composed top's Vivado kit in its AXI shell, in DIR/B: pynq-z2, zcu104 or kv260
                                [the spec's `board`, when it is pynq_z2]; an iCE40 board (icebreaker, hx8k) is refused:
                                its kit is one GEMM engine behind the UART bridge (use `qforge fpga`)
                """ + GenerateCommand.FORCE_HELP, true, SpecCommand::build));
        add(new Spec("report", "DIR", "print the text report of a generated design folder (report.json)", "", true, ReportCommand::run));
        add(new Spec("bench elaborate", "--n N [-o DIR] [--force]", "elaborate and emit an N x N weight-stationary MAC array, print timing", """
                  --n N         array size, 1..1024 [128]
                  -o DIR        output folder [rtl-out/bench-elaborate-nN]
                """ + GenerateCommand.FORCE_HELP, false, ElaborateBench::run));
        add(new Spec("bench cosim", "--n N [--rounds R]", "co-simulate an N x N systolic array from Java and from pure C++, taking turns, "
                + "print the best cycles/s of each", """
                  --n N         array size, 1..256 [16]
                  --rounds R    rounds each side runs, alternating, 1..100 [8]
                """, false, CosimBenchCommand::run));
        add(new Spec("bench gemm", "--n N [--transactions T] [--pe-stages P]", "cycles/s of an N x N int8 GEMM engine in Verilator, "
                + "every result checked", """
                  --n N             engine size, 1..64 [16]
                  --transactions T  transactions of 16 GEMMs each, 1..100000 [16]
                """ + "  --pe-stages P     register stages per PE, " + PE_STAGES.syntax() + " [1]\n", false, a -> {
                    int n = a.integer("--n", 16, 1, 64);
                    int transactions = a.integer("--transactions", 16, 1, 100_000);
                    int peStages = BenchOptions.integer(a, PE_STAGES, 1);
                    a.requireAllRead();
                    GemmBench.run(n, transactions, peStages);
                    return 0;
                }));
        add(new Spec("bench mixed", "[--n N] [--group G] [--max-k K] [--m M] [--target T]", "the N x N W4A8 (grouped int4) engine "
                + "beside the int8 one: DSP, LUT, Fmax, MACs per DSP, GOPS, bytes per GEMM (estimates and cycle model)", MixedBench.HELP,
                false, MixedBench::run));
        add(new Spec("bench attention", AttentionBenchCommand.USAGE,
                "an attention engine in Verilator (a prompt, then decode steps; H query heads over G K/V heads; base2 or ibert softmax): "
                + "decode and prefill cycles against the cycle model, lane utilization, tokens/s, resources, accuracy",
                AttentionBenchCommand.HELP, false, AttentionBenchCommand::run));
        add(new Spec("bench check", "[FILE.qf] [--rounds R]", "warm check time of a spec, by default the ten-block "
                + SpecCommand.BENCH_FILE, """
                  --rounds R    timed checks after as many warm-up checks, 1..1000 [30]
                """, true, SpecCommand::bench));
        add(new Spec("sweep", "GENERATOR [--OPTION VALUES]... | FILE.qf [-o DIR] [--threads T] [--synth front|all] [--chunk I/N] "
                + "[--emit slurm|k8s DIR [--chunks N]]",
                "estimate every point of a grid of a generator's options, or of a spec's ranges, in parallel: results.jsonl/.csv, Pareto fronts, "
                + "sweep.html",
                SweepCommand.HELP, true, SweepCommand::run));
        add(new Spec("sweep merge", "CHUNKDIR... -o DIR [--synth front|all]", "merge the results folders of sweep chunks (--chunk I/N) into one, as a local run "
                + "writes them", SweepCommand.MERGE_HELP, true, SweepCommand::merge));
        add(new Spec("bench sweep", "[--threads T]", "estimate 450 systolic engine points up to 32 x 32, print points per second", """
                  --threads T   worker threads [the machine's cores]
                """, false, SweepCommand::bench));
        add(new Spec("fpga", "--board B [engine options] [--gemms G] [--no-verify] [-o DIR] [--force]", "build a GEMM engine behind a "
                + "UART bridge into an iCE40 bitstream (Yosys, nextpnr-ice40, icepack) and simulate its gates through the UART; or, "
                + "in the AXI shell, the Vivado kit of a Zynq board",
                FpgaCommand.HELP, false, FpgaCommand::build));
        add(new Spec("fpga run", "--port PORT | --simulate DIR [--board B] [engine options] [--gemms G] [--seed S]", "the host program: "
                + "GEMMs through the board's UART (or the gate-level simulation), checked against the golden model", FpgaCommand.RUN_HELP,
                false, FpgaCommand::run));
        add(new Spec("help", "[COMMAND]", "this list, or the help page of one command (`help generate systolic`: a generator's options)", "",
                true, Main::help));
    }

    /** Commands the ./qforge script runs itself, listed so that help is complete. */
    private static final String SCRIPT_COMMANDS = "  test              install the HDL tools if missing, then run the whole test suite (mvn -B verify)\n";

    private static void add(Spec spec) {
        COMMANDS.put(spec.name(), spec);
    }

    private Main() { }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    static int run(String[] argv) {
        if (argv.length == 0) {
            System.err.print(overview());
            return 2;
        }
        if (argv[0].equals("--help") || argv[0].equals("-h")) {
            System.out.print(overview());
            return 0;
        }
        // the longest command name that the arguments start with: "bench gemm" before a "bench"
        for (int words = 2; words >= 1; words--) {
            if (argv.length >= words) {
                Spec spec = COMMANDS.get(String.join(" ", Arrays.copyOf(argv, words)));
                if (spec != null) {
                    return invoke(spec, Arrays.copyOfRange(argv, words, argv.length));
                }
            }
        }
        String group = groupOf(argv[0]);
        if (group != null) {
            System.err.println("qforge " + argv[0] + ": " + (argv.length == 1 ? "name a subcommand" : "unknown subcommand '" + argv[1] + "'"
                    + DidYouMean.hint(argv[0] + " " + argv[1], COMMANDS.keySet())) + "; " + group);
            return 2;
        }
        System.err.println("qforge: unknown command '" + argv[0] + "'" + DidYouMean.hint(argv[0], COMMANDS.keySet())
                + "; `qforge --help` lists the commands");
        return 2;
    }

    /** "; one of: bench elaborate, bench cosim, ..." for a word that starts several commands, else null. */
    private static String groupOf(String word) {
        List<String> members = COMMANDS.keySet().stream().filter(n -> n.startsWith(word + " ")).toList();
        return members.isEmpty() ? null : "one of: " + String.join(", ", members);
    }

    /** Runs one command (or prints its help page); its failures become one line on stderr and an exit code, never a stack trace. */
    static int invoke(Spec spec, String[] options) {
        // errors name what the user ran: "qforge generate systolic: ..."
        String name = spec.name().equals("generate") && options.length > 0 && !options[0].startsWith("-") ? "generate " + options[0] : spec.name();
        try {
            Args args = new Args(options, spec.operand());
            if (args.wantsHelp() && !(spec.name().equals("generate") && args.hasOperand())) { // a generator's page is generate's to print
                System.out.print(page(spec));
                return 0;
            }
            int code = spec.command().run(args);
            args.requireAllRead(); // for a command that does not check its options itself before its work
            return code;
        } catch (OutputFolder.Refused ex) {
            System.err.println("qforge " + name + ": " + ex.getMessage() + " (move such files away, choose another -o folder, or add --force)");
            return 2;
        } catch (Args.UsageException | ElaborationException | GeneratorLoader.GeneratorException | IllegalStateException
                 | java.io.UncheckedIOException ex) {
            System.err.println("qforge " + name + ": " + ex.getMessage());
            return 2;
        } catch (OutOfMemoryError ex) {
            // The design is unreachable once the stack has unwound, so there is room again to print this.
            System.err.println("qforge " + name + ": the Java heap (" + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                    + " MB) is too small for this run; give the JVM more, e.g. QFORGE_JAVA_OPTS=-Xmx8g ./qforge " + name + " ...");
            return 1;
        } catch (StackOverflowError ex) {
            System.err.println("qforge " + name + ": the Java thread stack is too small for this design; give the JVM more, "
                    + "e.g. QFORGE_JAVA_OPTS=-Xss64m ./qforge " + name + " ...");
            return 1;
        } catch (Exception ex) {
            System.err.println("qforge " + name + " failed: " + ex);
            return 1;
        }
    }

    /** For tests: runs {@code command} as the command {@code name}. */
    static int invoke(String name, Command command, String[] options) {
        return invoke(new Spec(name, "", "", "", false, command), options);
    }

    /** {@code qforge help [COMMAND]}. */
    private static int help(Args args) {
        String topic = String.join(" ", args.operands());
        args.requireAllRead();
        if (topic.isEmpty()) {
            System.out.print(overview());
            return 0;
        }
        if (topic.startsWith("generate ")) {
            System.out.print(GenerateCommand.generatorPage(topic.substring("generate ".length())));
            return 0;
        }
        Spec spec = COMMANDS.get(topic);
        if (spec == null) {
            String group = groupOf(topic);
            throw new Args.UsageException(group != null ? "'" + topic + "' is " + group
                    : "no command '" + topic + "'" + DidYouMean.hint(topic, COMMANDS.keySet()) + "; `qforge --help` lists the commands");
        }
        System.out.print(page(spec));
        return 0;
    }

    /** Every command with its one-line summary. */
    static String overview() {
        StringBuilder sb = new StringBuilder("usage: qforge COMMAND [options]   (qforge help COMMAND, or COMMAND --help, for its options)\n\ncommands:\n");
        for (Spec s : COMMANDS.values()) {
            sb.append(String.format("  %-16s  %s%n", s.name(), s.summary()));
        }
        return sb.append(SCRIPT_COMMANDS).toString();
    }

    /** One command's help page. */
    static String page(Spec spec) {
        return "usage: qforge " + spec.name() + " " + spec.usage() + "\n\n" + spec.summary() + "\n"
                + (spec.details().isEmpty() ? "" : "\n" + spec.details());
    }
}

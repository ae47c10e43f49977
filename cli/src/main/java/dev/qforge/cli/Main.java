package dev.qforge.cli;

import dev.qforge.dsl.ElaborationException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code ./qforge} command line: dispatches to one subcommand per word pair. */
public final class Main {
    /** A subcommand: takes its own arguments, returns the process exit code. */
    interface Command {
        int run(Args args) throws Exception;
    }

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();
    private static final Map<String, String> HELP = new LinkedHashMap<>();
    private static final java.util.Set<String> TAKES_OPERAND = new java.util.HashSet<>();

    static {
        register("demo", "[--seed S] [--gemms G] [--no-synth] [-o DIR]   generate the default 8x8 int8 GEMM engine, co-simulate it against "
                + "its golden model, synthesise it, print the report", DemoCommand::run);
        register("bench elaborate", "--n N [-o DIR]   elaborate and emit an N x N weight-stationary MAC array, print timing",
                ElaborateBench::run);
        register("bench cosim", "--n N [--rounds R]   co-simulate an N x N systolic array from Java and from pure C++, taking turns "
                + "for R rounds (default 8), print the best cycles/s of each", CosimBenchCommand::run);
        register("bench gemm", "--n N [--transactions T] [--pe-stages P]   cycles/s of an N x N int8 GEMM engine in Verilator (T transactions, default 16, "
                + "of 16 GEMMs, P register stages per PE), every result checked", a -> {
            int n = a.integer("--n", 16, 1, 64);
            int transactions = a.integer("--transactions", 16, 1, 100_000);
            int peStages = a.integer("--pe-stages", 1, 1, dev.qforge.generators.systolic.SystolicConfig.MAX_PE_STAGES);
            a.requireAllRead();
            dev.qforge.testbenches.bench.GemmBench.run(n, transactions, peStages);
            return 0;
        });
        registerWithOperand("report", "<folder>   print the text report of a generated design folder (report.json)", ReportCommand::run);
        register("generate systolic", "--rows R --cols C [--dataflow ws|os] [--act int8|uint8|int4|int2] [--weight int8|int4|int2] [--bias] [--packed] "
                + "[--requant [--rounding tflite|gemmlowp]] [--max-m M --max-k K --max-n N] [--acc-bits B] [--pe-stages 1|2|3] -o DIR   "
                + "write a GEMM engine's Verilog, filelist.f, port table and report", GenerateSystolicCommand::run);
    }

    /** A command whose first argument is an operand (e.g. a folder) rather than an option. */
    static void registerWithOperand(String name, String help, Command command) {
        register(name, help, command);
        TAKES_OPERAND.add(name);
    }

    static void register(String name, String help, Command command) {
        COMMANDS.put(name, command);
        HELP.put(name, help);
    }

    private Main() { }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    static int run(String[] argv) {
        for (Map.Entry<String, Command> e : COMMANDS.entrySet()) {
            String[] words = e.getKey().split(" ");
            if (argv.length >= words.length && Arrays.equals(Arrays.copyOf(argv, words.length), words)) {
                return invoke(e.getKey(), e.getValue(), Arrays.copyOfRange(argv, words.length, argv.length));
            }
        }
        System.err.println(argv.length == 0 ? "usage: qforge <command> [options]" : "qforge: unknown command '" + String.join(" ", argv) + "'");
        System.err.println("commands:");
        HELP.forEach((k, v) -> System.err.println("  " + k + " " + v));
        return 2;
    }

    /** Runs one command; its failures become one line on stderr and an exit code, never a stack trace. */
    static int invoke(String name, Command command, String[] options) {
        try {
            Args args = new Args(options, TAKES_OPERAND.contains(name));
            int code = command.run(args);
            args.requireAllRead(); // for a command that does not check its options itself before its work
            return code;
        } catch (Args.UsageException | ElaborationException | IllegalStateException | java.io.UncheckedIOException ex) {
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
}

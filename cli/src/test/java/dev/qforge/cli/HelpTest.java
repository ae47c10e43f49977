package dev.qforge.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Help pages, the generator list, and "did you mean" for misspelt commands, generators and options. */
class HelpTest {
    private static final List<String> COMMANDS = List.of("demo", "generate", "check", "build", "report", "bench elaborate", "bench cosim", "bench gemm",
            "bench mixed", "bench attention", "bench check", "sweep", "sweep merge", "bench sweep", "fpga", "fpga run", "help");

    @Test
    void helpListsEveryCommandWithOneLine() {
        String[] r = Cli.run("--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].startsWith("usage: qforge COMMAND [options]   (qforge help COMMAND, or COMMAND --help, for its options)\n\ncommands:\n"
                + "  demo              generate the default 8x8 int8 GEMM engine, co-simulate it against its golden model, synthesise it, "
                + "print the report\n"), r[1]);
        assertTrue(r[1].contains("\n  bench gemm        cycles/s of an N x N int8 GEMM engine in Verilator, every result checked\n"), r[1]);
        assertTrue(r[1].endsWith("\n  test              install the HDL tools if missing, then run the whole test suite (mvn -B verify)\n"), r[1]);
        for (String c : COMMANDS) {
            assertTrue(r[1].contains("\n  " + c + " "), c);
        }
        assertEquals(r[1], Cli.run("help")[1]);
        assertEquals("2", Cli.run()[0], "no command at all is a usage error");
    }

    @Test
    void everyCommandHasAHelpPage() {
        for (String c : COMMANDS) {
            List<String> argv = new java.util.ArrayList<>(List.of(c.split(" ")));
            argv.add("--help");
            String[] r = Cli.run(argv.toArray(String[]::new));
            assertEquals("0", r[0], c + ": " + r[2]);
            assertTrue(r[1].startsWith("usage: qforge " + c + " "), r[1]);
            assertEquals(r[1], Cli.run("help", c)[1], "help " + c);
        }
        assertTrue(Cli.run("bench", "gemm", "--help")[1].contains("\n  --pe-stages P     register stages per PE, 1..3 [1]\n"));
    }

    @Test
    void theGeneratorPageComesFromTheRegistry() {
        String[] r = Cli.run("generate", "systolic", "--help");
        assertEquals("0", r[0], r[2]);
        String page = r[1];
        assertTrue(page.startsWith("usage: qforge generate systolic [options] [-o DIR] [--force]\n\na GEMM engine Y = A x B"), page);
        assertTrue(page.contains("\n  --rows 1..256                     PE rows: the K slice held per fold, lanes of an activation beat [8]\n"), page);
        assertTrue(page.contains("\n  --requant [none|tflite|gemmlowp]  TFLite int8 output stage"), page);
        assertTrue(page.contains("\n  --bias                            add a per-column int32 bias (one bias beat per N fold)\n"), page);
        assertTrue(page.contains("\n--requant alone means tflite, or --rounding's value: --requant --rounding MODE is --requant MODE.\n"), page);
        assertTrue(page.contains("\n--requant also accepts single (= tflite) double (= gemmlowp).\n"), page);
        assertTrue(page.contains("\n  --force                           also overwrite files in the folder that qforge did not write"), page);
        assertEquals(page, Cli.run("help", "generate", "systolic")[1]);
    }

    /** A default that follows the other options says so: kv-group is 32 or max-seq when that is smaller. */
    @Test
    void aDefaultThatFollowsTheOtherOptionsIsShownAsSuch() {
        String page = Cli.run("generate", "attention", "--help")[1];
        assertTrue(page.contains("\n  --kv-group 1..65536    Lg: int4 key group, rows sharing a key exponent; at most max-seq; a key row waits "
                + "as int8 until its group is complete [32, at most max-seq]\n"), page);
    }

    @Test
    void generateAloneListsTheGenerators() {
        String[] r = Cli.run("generate");
        assertEquals("0", r[0]);
        assertEquals("generators (qforge generate NAME [options] -o DIR; qforge help generate NAME for its options):\n"
                + "  systolic      a GEMM engine Y = A x B (weight- or output-stationary, int8/int4/int2, optional bias or TFLite requantization)\n"
                + "  dequant       a dequant unit: packed grouped int4/int2 or OCP MX codes and their scales in, bf16/fp16/fp32 or exact fixed point out\n"
                + "  quantize      a quantize unit: a stream of fp32/bf16 values to OCP MX or BFP codes with a shared E8M0 scale per block (RNE, saturating)\n"
                + "  attention     an attention engine, decode and causal prefill: int8 query rows of H heads against G K/V heads' int8 or int4 caches (GQA), streaming base-2 or I-BERT softmax\n"
                + "or a generator class of your own: qforge generate --class CLASS [--param V]... -cp PATH -o DIR\n", r[1]);
        assertTrue(Cli.run("generate", "--help")[1].contains("\n  --param V             its public constructor's next parameter"));
    }

    @Test
    void misspellingsGetADidYouMean() {
        assertEquals("qforge: unknown command 'generat' (did you mean generate?); `qforge --help` lists the commands", Cli.error("generat"));
        assertEquals("qforge bench: unknown subcommand 'gem' (did you mean bench gemm?); one of: bench elaborate, bench cosim, bench gemm, bench mixed, bench attention, bench check, bench sweep",
                Cli.error("bench", "gem", "--n", "4"));
        assertEquals("qforge bench: name a subcommand; one of: bench elaborate, bench cosim, bench gemm, bench mixed, bench attention, bench check, bench sweep", Cli.error("bench"));
        assertEquals("qforge generate sytolic: unknown generator 'sytolic' (did you mean systolic?); generators: systolic, dequant, quantize, attention; "
                + "or --class for a generator class of your own", Cli.error("generate", "sytolic", "--rows", "4"));
        assertEquals("qforge generate systolic: unknown option '--rwos' (did you mean --rows?)", Cli.error("generate", "systolic", "--rwos", "4"));
        assertEquals("qforge generate systolic: --requant must be none, tflite or gemmlowp (single, double also accepted), got 'singel' (did you mean single?)",
                Cli.error("generate", "systolic", "--requant", "singel", "-o", "never"));
        assertEquals("qforge help: no command 'raport' (did you mean report?); `qforge --help` lists the commands", Cli.error("help", "raport"));
        assertEquals("qforge help: unknown generator 'fir'; generators: systolic, dequant, quantize, attention; or --class for a generator class of your own",
                Cli.error("help", "generate", "fir"));
    }
}

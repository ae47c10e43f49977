package dev.qforge.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** qforge sweep, sweep merge and --emit from the command line: outputs, exit codes, and one-line errors. */
class SweepCommandTest {
    @Test
    void aSweepWritesResultsPageAndFrontReports(@TempDir Path dir) throws Exception {
        String[] r = Cli.run("sweep", "systolic", "--rows", "1..2", "--cols", "2", "--bias", "--requant", "none,tflite", "-o", dir.toString());
        assertEquals("1", r[0], "a failed point makes the exit code 1: " + r[2]);
        assertTrue(r[1].startsWith("sweep systolic: 4 points, 4 estimated (2 failed), 0 done before; "), r[1]);
        assertTrue(r[1].contains("  xc7   throughput vs LUT: "), r[1]);
        assertEquals(5, Files.readAllLines(dir.resolve("results.csv")).size());
        assertTrue(Files.readString(dir.resolve("sweep.html")).contains("<svg class=\"plot\""));
        try (var points = Files.list(dir.resolve("points"))) {
            assertTrue(points.allMatch(p -> Files.exists(p.resolve("report.html"))));
        }
        String[] again = Cli.run("sweep", "systolic", "--rows", "1..2", "--cols", "2", "--bias", "--requant", "none", "-o", dir.toString());
        assertEquals("0", again[0], again[2]);
        assertTrue(again[1].startsWith("sweep systolic: 2 points, 0 estimated (0 failed), 2 done before; "), again[1]);
    }

    @Test
    void aFolderNoSweepWroteIsRefusedAndLeftAlone(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("results.csv"), "mine");
        assertEquals("qforge sweep: refusing to write the sweep into " + dir + ": it holds files (results.csv) and no results.jsonl, "
                + "so no sweep wrote it (choose another -o folder)", Cli.error("sweep", "systolic", "--rows", "1,2", "-o", dir.toString()));
        assertEquals("qforge sweep merge: refusing to write the sweep into " + dir + ": it holds files (results.csv) and no results.jsonl, "
                + "so no sweep wrote it (choose another -o folder)", Cli.error("sweep", "merge", dir.toString(), "-o", dir.toString()));
        assertEquals("mine", Files.readString(dir.resolve("results.csv")));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void badInputIsOneLineNamingTheOption() {
        assertEquals("qforge sweep: unknown option '--rowz' (did you mean --rows?)", Cli.error("sweep", "systolic", "--rowz", "4,8"));
        assertEquals("qforge sweep: --weight must be int8, int4, int2, mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4_e2m1 or mxint8 (mxfp4 also accepted), got 'in4' (did you mean int4?)",
                Cli.error("sweep", "systolic", "--weight", "int8,in4"));
        assertEquals("qforge sweep: --cols range '9..3' is empty (9 > 3)", Cli.error("sweep", "systolic", "--cols", "9..3"));
        assertTrue(Cli.error("sweep", "systolc", "--rows", "4").startsWith("qforge sweep: unknown generator 'systolc' (did you mean systolic?)"));
        assertEquals("qforge sweep: --chunk takes I/N with 0 <= I < N (chunk I of N, counted from 0), got '3/3'",
                Cli.error("sweep", "systolic", "--chunk", "3/3"));
        assertEquals("qforge sweep: --emit takes slurm or k8s, got 'pbs'", Cli.error("sweep", "systolic", "--emit", "pbs", "out"));
        assertEquals("qforge sweep: --emit slurm needs a DIR after it: --emit slurm DIR", Cli.error("sweep", "systolic", "--emit", "slurm"));
        assertEquals("qforge sweep: --emit slurm pom.xml is a file, not a folder; give a folder (it is created when missing)",
                Cli.error("sweep", "systolic", "--emit", "slurm", "pom.xml"));
        assertEquals("qforge sweep: --image needs a name, got ''", Cli.error("sweep", "systolic", "--emit", "k8s", "out", "--image", ""));
        assertEquals("qforge sweep: unexpected argument 'x'", Cli.error("sweep", "systolic", "--rows", "4", "x"));
        assertEquals("qforge sweep merge: -o OUT is needed: the folder of the merged results", Cli.error("sweep", "merge", "a"));
        assertTrue(Cli.error("sweep", "merge", "/nonexistent/chunk", "-o", "x").endsWith("/nonexistent/chunk holds no results.jsonl "
                + "(a chunk's output folder is expected)"));
    }

    @Test
    void emitWritesASlurmArrayAndAKubernetesIndexedJob(@TempDir Path dir) throws Exception {
        assertEquals("0", Cli.run("sweep", "systolic", "--rows", "4,8", "--weight", "int8,int4", "--emit", "slurm", dir.toString(), "--chunks", "3")[0]);
        String sbatch = Files.readString(dir.resolve("sweep.sbatch"));
        assertTrue(sbatch.startsWith("#!/bin/bash\n"), sbatch);
        assertTrue(sbatch.contains("\n#SBATCH --array=0-2\n"), sbatch);
        assertTrue(sbatch.contains(" dev.qforge.cli.Main sweep systolic --rows 4,8 --weight int8,int4 --threads 1 --chunk \"${SLURM_ARRAY_TASK_ID}/3\" -o "
                + dir.toAbsolutePath() + "/chunks/\"${SLURM_ARRAY_TASK_ID}\"\n"), sbatch);
        assertTrue(Files.isExecutable(dir.resolve("sweep.sbatch")));
        // more chunks than points: one point per task
        assertEquals("0", Cli.run("sweep", "systolic", "--rows", "4,8", "--emit", "k8s", dir.toString(), "--chunks", "50", "--image", "reg/qforge:1")[0]);
        String yaml = Files.readString(dir.resolve("sweep-job.yaml"));
        for (String line : List.of("kind: Job", "  completionMode: Indexed", "  completions: 2", "  parallelism: 2", "          image: reg/qforge:1",
                "            - \"exec qforge sweep systolic --rows 4,8 --threads 1 --chunk \\\"$JOB_COMPLETION_INDEX/2\\\" -o \\\"/sweep/chunks/$JOB_COMPLETION_INDEX\\\"\"",
                "            claimName: qforge-sweep")) {
            assertTrue(yaml.contains("\n" + line + "\n"), line + " in\n" + yaml);
        }
    }

    @Test
    void emitReplacesOnlyTheJobFileItWrote(@TempDir Path dir) throws Exception {
        String[] emit = {"sweep", "systolic", "--rows", "4,8", "--emit", "slurm", dir.toString()};
        Files.writeString(dir.resolve("sweep.sbatch"), "#!/bin/bash\n# my own job\n");
        assertEquals("qforge sweep: refusing to overwrite " + dir.resolve("sweep.sbatch") + ": qforge did not write it (move such files away, "
                + "choose another -o folder, or add --force)",
                Cli.error(emit));
        assertEquals("#!/bin/bash\n# my own job\n", Files.readString(dir.resolve("sweep.sbatch")));
        assertEquals("0", Cli.run(Cli.with(emit, "--force"))[0]);
        assertTrue(Files.readString(dir.resolve("sweep.sbatch")).contains("#SBATCH --array=0-1"));
        assertEquals("0", Cli.run(emit)[0]); // its own file, unchanged since: replaced without --force
        assertEquals("qforge sweep: --force applies to --emit's job file only; a sweep's -o folder is resumed, never overwritten",
                Cli.error("sweep", "systolic", "--rows", "4,8", "--force", "-o", dir.resolve("out").toString()));
    }

    @Test
    void chunksRunFromTheCommandLineMergeToTheLocalRun(@TempDir Path dir) throws Exception {
        String[] grid = {"sweep", "systolic", "--rows", "1,2", "--cols", "1,2,3", "--dataflow", "ws,os"};
        assertEquals("0", Cli.run(Cli.with(grid, "-o", dir.resolve("local").toString()))[0]);
        for (int i = 0; i < 2; i++) {
            String[] r = Cli.run(Cli.with(grid, "--chunk", i + "/2", "-o", dir.resolve("c" + i).toString()));
            assertEquals("0", r[0], r[2]);
            assertTrue(r[1].startsWith("sweep systolic: 6 points, 6 estimated"), r[1]);
        }
        String[] m = Cli.run("sweep", "merge", dir.resolve("c0").toString(), dir.resolve("c1").toString(), "-o", dir.resolve("merged").toString());
        assertEquals("0", m[0], m[2]);
        assertTrue(m[1].startsWith("sweep merge: 12 points from 2 folders into "), m[1]);
        for (String f : List.of("results.jsonl", "results.csv", "sweep.html")) {
            assertEquals(Files.readString(dir.resolve("local").resolve(f)), Files.readString(dir.resolve("merged").resolve(f)), f);
        }
    }

    /** A spec's ranges from the command line: a run with its invalid point, chunks merged to it, the emitted job, refusals. */
    @Test
    void aSpecsRangesAreSweptChunkedAndMerged(@TempDir Path dir) throws Exception {
        String spec = "../examples/sweeps/gemm_sweep.qf";
        String[] r = Cli.run("sweep", spec, "-o", dir.resolve("local").toString());
        assertEquals("1", r[0], "the 16 x 16 point fails: " + r[2]);
        assertTrue(r[1].startsWith("sweep gemm_sweep: 9 points, 9 estimated (1 failed), 0 done before; "), r[1]);
        assertTrue(r[1].contains("  xc7   throughput vs LUT: "), r[1]);
        assertTrue(Files.readString(dir.resolve("local").resolve("results.jsonl")).contains("\"options\":{\"rows\":\"16\",\"cols\":\"16\"}"));
        for (int i = 0; i < 2; i++) {
            String[] c = Cli.run("sweep", spec, "--chunk", i + "/2", "-o", dir.resolve("c" + i).toString());
            assertTrue(c[1].startsWith("sweep gemm_sweep: " + (5 - i) + " points, " + (5 - i) + " estimated"), c[1]);
        }
        String[] m = Cli.run("sweep", "merge", dir.resolve("c0").toString(), dir.resolve("c1").toString(), "-o", dir.resolve("merged").toString());
        assertEquals("0", m[0], m[2]);
        for (String f : List.of("results.jsonl", "results.csv", "sweep.html")) {
            assertEquals(Files.readString(dir.resolve("local").resolve(f)), Files.readString(dir.resolve("merged").resolve(f)), f);
        }
        assertEquals("0", Cli.run("sweep", spec, "--emit", "slurm", dir.resolve("job").toString(), "--chunks", "4")[0]);
        String sbatch = Files.readString(dir.resolve("job").resolve("sweep.sbatch"));
        assertTrue(sbatch.contains(" dev.qforge.cli.Main sweep ../examples/sweeps/gemm_sweep.qf --threads 1 --chunk \"${SLURM_ARRAY_TASK_ID}/4\" -o "), sbatch);
        assertEquals("qforge sweep: no spec file nothere.qf", Cli.error("sweep", "nothere.qf"));
        assertEquals("qforge sweep: ../examples/specs/cnn_int8.qf has no sweep range (such as `rows in [4, 8, 16];`): check or build it instead",
                Cli.error("sweep", "../examples/specs/cnn_int8.qf"));
        assertEquals("qforge sweep: unknown option '--rows'; options: --chunk --chunks --claim --emit --force --image --synth --threads -o", Cli.error("sweep", spec, "--rows", "4"));
    }
}

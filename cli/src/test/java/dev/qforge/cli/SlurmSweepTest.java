package dev.qforge.cli;

import dev.qforge.testbenches.process.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Slurm path for real: scripts/slurm/local-cluster.sh starts a single-node cluster on
 * localhost (installing slurm-wlm and munge with apt-get when missing), the sweep's emitted
 * job array runs on it, and its chunks merged equal a local run byte for byte. When the cluster
 * cannot start (no root or sudo to install it, no apt-get), the test is skipped with the script's
 * reason.
 */
class SlurmSweepTest {
    private static final String[] GRID = {"--rows", "1,2", "--cols", "1,3,4", "--weight", "int8,int2"};

    @TempDir
    static Path tmp;
    private static Path cluster;
    private static String slurmConf;
    private static String whyNot;

    @BeforeAll
    static void startCluster() {
        cluster = tmp.resolve("slurm");
        try {
            Processes.Result r = Processes.run(List.of("bash", script().toString(), "start", cluster.toString()), tmp, Map.of(),
                    tmp.resolve("slurm-start.log"), Duration.ofSeconds(300));
            if (r.exitCode() != 0) {
                whyNot = "the local Slurm cluster could not start: " + r.output().strip();
            } else {
                slurmConf = cluster.resolve("slurm.conf").toString();
            }
        } catch (Processes.ToolTimeoutException e) {
            whyNot = "the local Slurm cluster did not start within 300 s";
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            Processes.run(List.of("bash", script().toString(), "stop", cluster.toString()), tmp, Map.of(), tmp.resolve("slurm-stop.log"),
                    Duration.ofSeconds(60));
        }
    }

    private static Path script() {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("scripts/slurm/local-cluster.sh"))) {
            root = root.getParent();
        }
        return root.resolve("scripts/slurm/local-cluster.sh");
    }

    @Test
    void anEmittedArrayRunOnSlurmMergesToTheLocalRun() throws Exception {
        assumeTrue(whyNot == null, whyNot);
        List<String> grid = new ArrayList<>(List.of("sweep", "systolic"));
        grid.addAll(List.of(GRID));
        Path merged = runOnSlurm(grid.toArray(String[]::new), tmp.resolve("grid"), 3);
        assertEquals(12, Files.readAllLines(merged.resolve("results.jsonl")).size());
    }

    /** A spec's ranges on Slurm: the tasks and the merge read the spec by the path the sweep was given. */
    @Test
    void anEmittedSpecSweepRunOnSlurmMergesToTheLocalRun() throws Exception {
        assumeTrue(whyNot == null, whyNot);
        Path spec = tmp.resolve("tiny_sweep.qf");
        Files.writeString(spec, """
                target hx8k;
                rows in [1, 2];
                block gemm = systolic(rows: rows, cols: 2, act: int4, weight: int4, max-m: 16, max-k: 16, max-n: 16);
                a -> gemm.act;
                gemm.out -> y;
                workload tile tokens 1 {
                    gemm fc 16 x 16 x 16 on gemm;
                }
                """);
        Path merged = runOnSlurm(new String[] {"sweep", spec.toString()}, tmp.resolve("spec"), 2);
        assertEquals(2, Files.readAllLines(merged.resolve("results.jsonl")).size());
    }

    /**
     * Runs {@code sweep} locally and as an emitted array of {@code chunks} tasks on the cluster,
     * merges the tasks' folders and checks the merge equals the local run byte for byte; returns the merged folder.
     */
    private static Path runOnSlurm(String[] sweep, Path dir, int chunks) throws Exception {
        Path local = dir.resolve("local");
        assertEquals("0", Cli.run(Cli.with(sweep, "-o", local.toString()))[0]);
        Path jobs = dir.resolve("jobs");
        String[] emitted = Cli.run(Cli.with(sweep, "--emit", "slurm", jobs.toString(), "--chunks", Integer.toString(chunks)));
        assertEquals("0", emitted[0], emitted[2]);
        Processes.Result run = Processes.run(List.of("sbatch", "--wait", jobs.resolve("sweep.sbatch").toString()), dir,
                Map.of("SLURM_CONF", slurmConf), dir.resolve("sbatch.log"), Duration.ofSeconds(300));
        assertEquals(0, run.exitCode(), "sbatch --wait: " + run.output());
        List<String> merge = new ArrayList<>(List.of("sweep", "merge"));
        for (int i = 0; i < chunks; i++) {
            Path c = jobs.resolve("chunks").resolve(Integer.toString(i));
            assertTrue(Files.exists(c.resolve("results.jsonl")), "array task " + i + " wrote its results: " + Files.readString(
                    jobs.resolve("logs").resolve("chunk-" + i + ".log")));
            merge.add(c.toString());
        }
        Path merged = dir.resolve("merged");
        merge.addAll(List.of("-o", merged.toString()));
        assertEquals("0", Cli.run(merge.toArray(String[]::new))[0]);
        for (String f : List.of("results.jsonl", "results.csv", "sweep.html")) {
            assertArrayEquals(Files.readAllBytes(local.resolve(f)), Files.readAllBytes(merged.resolve(f)), f);
        }
        return merged;
    }
}

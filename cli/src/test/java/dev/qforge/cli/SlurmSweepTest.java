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

    private static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("sweep", "systolic"));
        a.addAll(List.of(GRID));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void anEmittedArrayRunOnSlurmMergesToTheLocalRun() throws Exception {
        assumeTrue(whyNot == null, whyNot);
        Path local = tmp.resolve("local");
        assertEquals("0", Cli.run(args("-o", local.toString()))[0]);
        Path jobs = tmp.resolve("jobs");
        String[] emitted = Cli.run(args("--emit", "slurm", jobs.toString(), "--chunks", "3"));
        assertEquals("0", emitted[0], emitted[2]);
        Processes.Result run = Processes.run(List.of("sbatch", "--wait", jobs.resolve("sweep.sbatch").toString()), tmp,
                Map.of("SLURM_CONF", slurmConf), tmp.resolve("sbatch.log"), Duration.ofSeconds(300));
        assertEquals(0, run.exitCode(), "sbatch --wait: " + run.output());
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path c = jobs.resolve("chunks").resolve(Integer.toString(i));
            assertTrue(Files.exists(c.resolve("results.jsonl")), "array task " + i + " wrote its results: " + Files.readString(
                    jobs.resolve("logs").resolve("chunk-" + i + ".log")));
            chunks.add(c.toString());
        }
        Path merged = tmp.resolve("merged");
        List<String> merge = new ArrayList<>(List.of("sweep", "merge"));
        merge.addAll(chunks);
        merge.addAll(List.of("-o", merged.toString()));
        assertEquals("0", Cli.run(merge.toArray(String[]::new))[0]);
        for (String f : List.of("results.jsonl", "results.csv", "sweep.html")) {
            assertArrayEquals(Files.readAllBytes(local.resolve(f)), Files.readAllBytes(merged.resolve(f)), f);
        }
        assertEquals(12, Files.readAllLines(merged.resolve("results.jsonl")).size());
    }
}

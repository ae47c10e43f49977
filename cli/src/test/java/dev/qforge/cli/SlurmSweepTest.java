package dev.qforge.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    static void startCluster() throws IOException, InterruptedException {
        cluster = tmp.resolve("slurm");
        Process p = new ProcessBuilder("bash", script().toString(), "start", cluster.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            whyNot = "the local Slurm cluster did not start within 300 s";
        } else if (p.exitValue() != 0) {
            whyNot = "the local Slurm cluster could not start: " + out.strip();
        } else {
            slurmConf = cluster.resolve("slurm.conf").toString();
        }
    }

    @AfterAll
    static void stopCluster() throws IOException, InterruptedException {
        if (cluster != null) {
            new ProcessBuilder("bash", script().toString(), "stop", cluster.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
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
        ProcessBuilder pb = new ProcessBuilder("sbatch", "--wait", jobs.resolve("sweep.sbatch").toString()).redirectErrorStream(true);
        pb.environment().put("SLURM_CONF", slurmConf);
        Process run = pb.start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(300, TimeUnit.SECONDS), "the array did not finish in 300 s");
        assertEquals(0, run.exitValue(), "sbatch --wait: " + out);
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

package dev.qforge.generators.sweep;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The job files that run a sweep on a cluster's scheduler, one stateless command per chunk of
 * points ({@code --chunk i/N}), each writing its own results folder; {@code qforge sweep merge}
 * then combines the folders into the results a local run gives. qforge writes the files and
 * leaves scheduling to the scheduler.
 */
public final class ClusterJobs {
    public static final String SLURM_FILE = "sweep.sbatch";
    public static final String K8S_FILE = "sweep-job.yaml";
    /** Where each chunk writes its results, under the emitted folder (Slurm) or the mounted volume (Kubernetes). */
    public static final String CHUNKS = "chunks";

    private ClusterJobs() { }

    /**
     * A Slurm job-array script: task i of {@code chunks} runs {@code command} (the sweep's command
     * words, run from {@code workDir}) with {@code --chunk i/N -o DIR/chunks/i}; logs go to DIR/logs.
     */
    public static String slurm(List<String> command, String workDir, String dir, int chunks) {
        return "#!/bin/bash\n"
                + "# qforge sweep as a Slurm job array: each task estimates one chunk of the grid into its own folder.\n"
                + "# Submit:  sbatch " + quote(dir + "/" + SLURM_FILE) + "\n"
                + "# Then:    qforge sweep merge " + quote(dir + "/" + CHUNKS) + "/* -o " + quote(dir + "/merged") + "\n"
                + "#SBATCH --job-name=qforge-sweep\n"
                + "#SBATCH --array=0-" + (chunks - 1) + "\n"
                + "#SBATCH --ntasks=1\n"
                + "#SBATCH --cpus-per-task=1\n"
                + "#SBATCH --output=" + dir + "/logs/chunk-%a.log\n"
                + "set -euo pipefail\n"
                + "cd " + quote(workDir) + "\n"
                + "exec " + words(command) + " --threads 1 --chunk \"${SLURM_ARRAY_TASK_ID}/" + chunks + "\" -o " + quote(dir + "/" + CHUNKS)
                + "/\"${SLURM_ARRAY_TASK_ID}\"\n";
    }

    /**
     * A Kubernetes Indexed Job: {@code chunks} completions, pod i running {@code command} with
     * {@code --chunk $JOB_COMPLETION_INDEX/N} into {@code /sweep/chunks/i} on the volume claim
     * {@code claim}, in {@code image} (which has qforge on its PATH).
     */
    public static String kubernetes(List<String> command, String image, String claim, int chunks) {
        String run = "exec " + words(command) + " --threads 1 --chunk \"$JOB_COMPLETION_INDEX/" + chunks + "\" -o \"/sweep/" + CHUNKS
                + "/$JOB_COMPLETION_INDEX\"";
        return "# qforge sweep as a Kubernetes Indexed Job: pod i estimates chunk i of the grid into /sweep/" + CHUNKS + "/i.\n"
                + "# Apply:  kubectl apply -f " + K8S_FILE + "\n"
                + "# Then, on the volume:  qforge sweep merge /sweep/" + CHUNKS + "/* -o /sweep/merged\n"
                + "apiVersion: batch/v1\n"
                + "kind: Job\n"
                + "metadata:\n"
                + "  name: qforge-sweep\n"
                + "spec:\n"
                + "  completionMode: Indexed\n"
                + "  completions: " + chunks + "\n"
                + "  parallelism: " + chunks + "\n"
                + "  backoffLimitPerIndex: 1\n"
                + "  maxFailedIndexes: " + chunks + "\n"
                + "  template:\n"
                + "    spec:\n"
                + "      restartPolicy: Never\n"
                + "      containers:\n"
                + "        - name: sweep\n"
                + "          image: " + image + "\n"
                + "          command: [\"/bin/sh\", \"-c\"]\n"
                + "          args:\n"
                + "            - " + yamlString(run) + "\n"
                + "          resources:\n"
                + "            requests:\n"
                + "              cpu: \"1\"\n"
                + "          volumeMounts:\n"
                + "            - name: results\n"
                + "              mountPath: /sweep\n"
                + "      volumes:\n"
                + "        - name: results\n"
                + "          persistentVolumeClaim:\n"
                + "            claimName: " + claim + "\n";
    }

    /** Shell words, each quoted when it holds anything but safe characters. */
    static String words(List<String> command) {
        return command.stream().map(ClusterJobs::quote).collect(Collectors.joining(" "));
    }

    static String quote(String word) {
        return word.matches("[A-Za-z0-9_./:=,+@%-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private static String yamlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

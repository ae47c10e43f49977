package dev.qforge.testbenches.verilator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link Simulator} runs.
 *
 * @param seed       the seed of the test's random stimulus, printed with every mismatch (null for directed tests);
 *                   also the default seed of the harness's bubbles and stalls, and of a {@link PowerUp#RANDOM} power-up
 * @param waveDir    where VCDs go (default: system property {@code qforge.cosim.waves}, else {@code target/cosim-waves})
 * @param waveName   file name stem of the VCD (default: the module name)
 * @param vcd        trace from the start (otherwise a VCD is made only when a comparison fails, by replaying the run)
 * @param recordMb   how much stimulus to keep for that replay; 0 keeps none (benchmarks)
 * @param timeout    how long Java waits on a silent harness before killing it
 *                   (default: system property {@code qforge.cosim.timeout.seconds}, else 60 s)
 * @param powerUp    what registers and memories hold before anything resets or writes them (default zeros)
 */
public record SimOptions(Long seed, Path waveDir, String waveName, boolean vcd, int recordMb, Duration timeout, PowerUp powerUp) {
    /** The power-up state of registers and memories, which real hardware leaves undefined. */
    public enum PowerUp { ZEROS, ONES, RANDOM }

    public static SimOptions defaults() {
        return new SimOptions(null, Path.of(System.getProperty("qforge.cosim.waves", "target/cosim-waves")), null, false, 64,
                Duration.ofSeconds(Long.getLong("qforge.cosim.timeout.seconds", 60)), PowerUp.ZEROS);
    }

    public SimOptions withSeed(long s) { return new SimOptions(s, waveDir, waveName, vcd, recordMb, timeout, powerUp); }
    public SimOptions withWaves(Path dir, String name) { return new SimOptions(seed, dir, name, vcd, recordMb, timeout, powerUp); }
    public SimOptions withVcd(boolean on) { return new SimOptions(seed, waveDir, waveName, on, recordMb, timeout, powerUp); }
    public SimOptions withRecordMb(int mb) { return new SimOptions(seed, waveDir, waveName, vcd, mb, timeout, powerUp); }
    public SimOptions withTimeout(Duration t) { return new SimOptions(seed, waveDir, waveName, vcd, recordMb, t, powerUp); }
    public SimOptions withPowerUp(PowerUp p) { return new SimOptions(seed, waveDir, waveName, vcd, recordMb, timeout, p); }

    /** The VCD file for a run of module {@code top}. */
    Path vcdFile(String top) {
        String stem = (waveName != null ? waveName : top) + (seed != null ? "-seed" + seed : "");
        return waveDir.resolve(stem.replaceAll("[^A-Za-z0-9_.\\-]", "_") + ".vcd").toAbsolutePath();
    }

    /** The harness arguments that set the power-up state (models are built with {@code --x-initial unique}). */
    List<String> powerUpArgs() {
        int code = switch (powerUp) {
            case ZEROS -> 0;
            case ONES -> 1;
            case RANDOM -> 2;
        };
        List<String> args = new ArrayList<>(List.of("+verilator+rand+reset+" + code));
        if (powerUp == PowerUp.RANDOM) {
            long s = seed != null ? seed : 0;
            int verilatorSeed = (int) (s ^ (s >>> 32)) & 0x7fff_ffff;
            args.add("+verilator+seed+" + (verilatorSeed != 0 ? verilatorSeed : 1)); // Verilator takes 0 as "any seed"
        }
        return args;
    }
}

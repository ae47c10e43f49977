package dev.qforge.fpga.synth;

import dev.qforge.generators.report.Target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Place and route on iCE40 with nextpnr-ice40 for the achieved Fmax and the device utilization.
 * Runs are cached like synthesis (netlist, arguments and nextpnr version). A design whose ports
 * need more pins than the package has, or whose cells the device cannot hold, "does not fit".
 */
public final class Nextpnr {
    private static final String LOG = "nextpnr.log";
    private static final Pattern FMAX = Pattern.compile("Max frequency for clock '[^']*': ([0-9.]+) MHz");
    private static final Pattern USE = Pattern.compile("Info:\\s+(ICESTORM_LC|ICESTORM_RAM|ICESTORM_DSP|SB_IO):\\s+(\\d+)/\\s*(\\d+)");

    private final Tool tool;
    private final String version;
    private final SynthCache cache;
    private final Duration timeout;

    private Nextpnr(Tool tool, SynthCache cache, Duration timeout) {
        this.tool = tool;
        this.version = tool.version("--version");
        this.cache = cache;
        this.timeout = timeout;
    }

    public static Optional<Nextpnr> find(SynthCache cache, Duration timeout) {
        return Tool.find("nextpnr-ice40").map(t -> new Nextpnr(t, cache, timeout));
    }

    /** Cells used and available on the device. */
    public record Use(long used, long available) { }

    /**
     * The outcome: {@code fits} with the achieved Fmax (null when nextpnr timed no register-to-register
     * path; it does not time paths through SB_MAC16) and the utilization per nextpnr cell class, or not,
     * with the reason.
     */
    public record Result(boolean fits, String reason, Double fmaxMhz, Map<String, Use> utilization, String command) { }

    /** The package each device is placed in: the largest common one. */
    public static String packageOf(Target target) {
        return switch (target) {
            case UP5K -> "sg48";
            case HX8K -> "ct256";
            default -> throw new IllegalArgumentException("nextpnr-ice40 does not place " + target.id());
        };
    }

    /** Logic cells of the device, as nextpnr-ice40 counts them (ICESTORM_LC). */
    public static long logicCellsOf(Target target) {
        return target == Target.UP5K ? 5280 : 7680;
    }

    /** User I/O pins of {@link #packageOf}. */
    public static int pinsOf(Target target) {
        return target == Target.UP5K ? 39 : 206;
    }

    /**
     * The clock nextpnr aims at: one fixed figure, so that a run depends on the netlist alone (an
     * estimate-driven aim re-ran every placement on each estimator change) and the timing-driven
     * placer presses on every design, as it does only on paths that miss their aim.
     */
    static final double AIM_MHZ = 150.0;

    /**
     * Places and routes {@code netlist} (from {@link Yosys}) aiming at {@link #AIM_MHZ}; {@code ioBits}
     * is the number of top-level port bits, each of which needs a pin.
     */
    public Result placeAndRoute(Synthesis synthesis, int ioBits) {
        Target target = synthesis.target();
        List<String> args = List.of("--" + target.id(), "--package", packageOf(target), "--json", "netlist.json",
                "--freq", String.format(Locale.ROOT, "%.1f", AIM_MHZ), "--pcf-allow-unconstrained", "--timing-allow-fail", "-l", LOG);
        String command = "nextpnr-ice40 " + String.join(" ", args);
        if (ioBits > pinsOf(target)) {
            return new Result(false, ioBits + " I/O port bits need more pins than the " + packageOf(target) + " package's "
                    + pinsOf(target), null, Map.of(), command);
        }
        String netlist;
        try {
            netlist = Files.readString(synthesis.netlist(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the netlist " + synthesis.netlist() + ": " + e.getMessage(), e);
        }
        Path dir = cache.get(SynthCache.key(version, command, netlist), work -> run(netlist, args, work));
        String log;
        try {
            log = Files.readString(dir.resolve(LOG), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(LOG) + ": " + e.getMessage(), e);
        }
        return parse(log, command);
    }

    private void run(String netlist, List<String> args, Path work) {
        try {
            Files.writeString(work.resolve("netlist.json"), netlist, StandardCharsets.UTF_8);
            Tool.Result r = tool.run(args, work, timeout);
            if (r.exitCode() != 0 && !doesNotFit(r.output())) {
                r.requireSuccess();
            }
            Files.writeString(work.resolve(LOG), r.output(), StandardCharsets.UTF_8);
            Files.delete(work.resolve("netlist.json")); // the synthesis cache entry holds it already
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare nextpnr-ice40 in " + work + ": " + e.getMessage(), e);
        }
    }

    private static boolean doesNotFit(String output) {
        return output.contains("Unable to place") || output.contains("no BELs remaining") || output.contains("Failed to place")
                || output.contains("does not fit") || output.contains("unable to legalise");
    }

    public static Result parse(String log, String command) {
        Map<String, Use> use = new LinkedHashMap<>();
        Matcher u = USE.matcher(log);
        while (u.find()) {
            use.put(u.group(1), new Use(Long.parseLong(u.group(2)), Long.parseLong(u.group(3))));
        }
        Matcher f = FMAX.matcher(log);
        Double fmax = null;
        while (f.find()) {
            fmax = Double.parseDouble(f.group(1)); // the last report is the one after routing
        }
        if (doesNotFit(log) || !log.contains("Program finished normally")) {
            String reason = log.lines().filter(l -> l.startsWith("ERROR")).findFirst().orElse("nextpnr-ice40 did not finish");
            return new Result(false, reason, null, use, command);
        }
        return new Result(true, fmax == null ? "no register-to-register path was timed" : "", fmax, use, command);
    }
}

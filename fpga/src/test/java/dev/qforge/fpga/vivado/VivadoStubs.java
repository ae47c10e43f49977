package dev.qforge.fpga.vivado;

import dev.qforge.fpga.RequiresTools;
import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.process.Tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Vivado kit's build.tcl and XDC files run in tclsh against stubs of the Vivado commands listed,
 * with their options, in ug835-commands.txt (any other command or option fails; each stub leaves
 * the files the real command writes, in the kit's {@code stub}, {@code out} and {@code work}
 * folders, and records its call in {@code stub/calls.txt}). The block design commands act on a
 * model of the design (block-design.tcl: cells, ports, each IP's pins for its CONFIG and their widths, nets,
 * interface nets, address segments) and fail, naming the command and the object, where Vivado would. Shared with the spec module's tests
 * (fpga's test-jar), which run the kit of a spec's composed top through it.
 */
public final class VivadoStubs {
    /** Every stubbed call, one a line, as build.tcl made it. */
    public static final String CALLS = "stub/calls.txt";

    private VivadoStubs() { }

    /**
     * Runs {@code kit}'s build.tcl (its files already written there) with {@code boardXdc} as the
     * board's constraints; {@code fault} empty, or a step that fails as Vivado's would: no-bitstream,
     * no-xsa, no-hwh, run-failed, ports-differ. Skips the test when tclsh is missing.
     */
    public static Processes.Result run(Path kit, String boardXdc, String fault) throws IOException {
        RequiresTools.require("tclsh");
        Path stubs = kit.resolve("vivado-stubs.tcl");
        Path commands = kit.resolve("ug835-commands.txt");
        copy("vivado-stubs.tcl", stubs);
        copy("block-design.tcl", kit.resolve("block-design.tcl"));
        copy("ug835-commands.txt", commands);
        List<String> cmd = new ArrayList<>(List.of(Tools.require("tclsh").toString(), stubs.toString(), kit.toString(), commands.toString(), boardXdc));
        if (!fault.isEmpty()) {
            cmd.add(fault);
        }
        return Processes.run(cmd, kit, Map.of(), kit.resolve("tclsh.log"), Duration.ofMinutes(1));
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = VivadoStubs.class.getResourceAsStream(resource)) {
            Files.write(to, in.readAllBytes());
        }
    }
}

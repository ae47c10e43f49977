package dev.qforge.fpga.ice40;

import dev.qforge.fpga.board.Board;
import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.process.Tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The synthesized netlist of a board top ({@link IceFlow.Result#gateNetlist}, Yosys's iCE40 cells)
 * simulated in Icarus with Yosys's cell models, seen from the host as a serial port: what the host
 * writes to {@link #out()} is sent bit by bit on the RX pin at the UART's bit rate, and what the
 * design sends on the TX pin is decoded and read from {@link #in()}. So a host program talks to the
 * simulated gates exactly as to the board over its USB cable, byte for byte.
 *
 * <p>The simulator and the port take turns, one slot at a time: the port tells the testbench the
 * byte to send in the next slot (a character time) or that the line idles (one bit time, so the host
 * answers an acknowledgement as soon as a real one would), and the testbench reports the bytes it
 * decoded from TX during the slot.
 */
public final class GateSim implements AutoCloseable {
    private static final int IDLE = -1;
    private static final int QUIT = -2;
    /** Clock cycles of idle line before the first byte: the board top's power-on reset ends well before (on a board, configuration does). */
    private static final int SETTLE_CYCLES = 64;

    private final Process process;
    private final Writer toSim;
    private final BufferedReader fromSim;
    private final BlockingQueue<Integer> hostOut = new LinkedBlockingQueue<>();
    private final BlockingQueue<Integer> hostIn = new LinkedBlockingQueue<>();
    private final Thread pump;
    private final long maxSlots;
    private final Duration readTimeout;
    private volatile boolean closing;
    private volatile String failure;
    private volatile long slots;

    private GateSim(Process process, long maxSlots, Duration readTimeout) {
        this.process = process;
        this.toSim = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        this.fromSim = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        this.maxSlots = maxSlots;
        this.readTimeout = readTimeout;
        this.pump = new Thread(this::pump, "qforge-gate-sim");
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /**
     * Compiles {@code gates} (the top {@link Board#topName}) with Yosys's iCE40 cell models in
     * {@code workDir} and starts it; the UART runs at {@code clocksPerBit} clock cycles a bit. The
     * simulation stops after {@code maxSlots} slots; a host read waits {@code readTimeout}.
     */
    public static GateSim start(Board board, String gates, int clocksPerBit, Path workDir, long maxSlots, Duration readTimeout) {
        Path iverilog = Tools.require("iverilog");
        Path vvp = Tools.require("vvp");
        Path cells = cellModels();
        try {
            Files.createDirectories(workDir);
            Files.writeString(workDir.resolve("gates.v"), gates, StandardCharsets.UTF_8);
            Files.writeString(workDir.resolve("uart_tb.v"), testbench(board, clocksPerBit), StandardCharsets.UTF_8);
            Processes.Result c = Processes.run(List.of(iverilog.toString(), "-g2012", "-DNO_ICE40_DEFAULT_ASSIGNMENTS", "-s", "qforge_uart_tb", "-o", "gates.vvp", "uart_tb.v",
                    "gates.v", cells.toString()), workDir, Map.of(), workDir.resolve("iverilog.log"), Duration.ofMinutes(5));
            if (c.exitCode() != 0) {
                throw new IllegalStateException("iverilog rejected the gate-level netlist:\n" + Processes.tail(c.output(), 30));
            }
            ProcessBuilder pb = new ProcessBuilder(vvp.toString(), "-n", "gates.vvp").directory(workDir.toFile())
                    .redirectError(workDir.resolve("vvp.err").toFile());
            return new GateSim(Processes.start(pb), maxSlots, readTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the gate-level simulation in " + workDir + ": " + e.getMessage(), e);
        }
    }

    /** Yosys's simulation models of the iCE40 cells, beside its installation. */
    static Path cellModels() {
        Path yosys = Tools.require("yosys").toAbsolutePath();
        Path cells = yosys.getParent().resolveSibling("share").resolve("yosys").resolve("ice40").resolve("cells_sim.v");
        if (!Files.isRegularFile(cells)) {
            throw new IllegalStateException("Yosys's iCE40 cell models are not at " + cells + " (beside " + yosys + ")");
        }
        return cells;
    }

    /** What the host reads: the bytes the design sent on TX; -1 when none arrives within the read timeout. */
    public InputStream in() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    Integer b = hostIn.poll(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
                    if (b == null && failure != null) {
                        throw new IOException(failure);
                    }
                    return b == null ? -1 : b;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while reading the simulated UART", e);
                }
            }
        };
    }

    /** What the host writes: bytes the testbench sends on RX, one per character time. */
    public OutputStream out() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                hostOut.add(b & 0xFF);
            }
        };
    }

    private void pump() {
        try {
            while (!closing) {
                if (slots >= maxSlots) {
                    failure = "the gate-level simulation reached its limit of " + maxSlots + " slots";
                    return;
                }
                Integer b = hostOut.poll();
                toSim.write((b == null ? IDLE : b) + "\n");
                toSim.flush();
                slots++;
                while (true) {
                    String line = fromSim.readLine();
                    if (line == null) {
                        failure = "the gate-level simulation ended unexpectedly";
                        return;
                    }
                    if (line.equals("S")) {
                        break;
                    }
                    if (line.startsWith("T ")) {
                        hostIn.add(Integer.parseInt(line.substring(2).trim()));
                    } else if (line.startsWith("E ")) {
                        failure = "the simulated TX pin broke the UART framing: " + line.substring(2);
                        return;
                    }
                }
            }
        } catch (IOException e) {
            failure = closing ? null : "the gate-level simulation failed: " + e.getMessage();
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            pump.join(TimeUnit.SECONDS.toMillis(30));
            toSim.write(QUIT + "\n");
            toSim.flush();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException ignored) {
            // the simulator has gone already; it is killed below either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Processes.killTree(process);
        }
    }

    /**
     * The testbench: the board's clock, the RX pin driven from the slots' bytes (8N1, LSB first),
     * the TX pin decoded in the middle of each bit, as the USB UART on the board does.
     */
    static String testbench(Board board, int clocksPerBit) {
        return "// Generated by qforge: the " + board.title() + " top's gate-level netlist behind a simulated USB UART.\n"
                + "`timescale 1ns/1ns\n"
                + "module qforge_uart_tb;\n"
                + "    localparam CPB = " + clocksPerBit + ";\n"
                + "    reg clk = 1'b0;\n"
                + "    reg rx = 1'b1;\n"
                + "    wire tx;\n"
                + "    integer value;\n"
                + "    integer n;\n"
                + "    integer i;\n"
                + "    integer k;\n"
                + "    reg [7:0] got;\n"
                + "    " + board.topName() + " dut (.CLK(clk), .RX(rx), .TX(tx));\n"
                + "    always #1 clk = ~clk;\n"
                + "    initial begin\n"
                + "        repeat (" + SETTLE_CYCLES + ") @(posedge clk);\n"
                + "        forever begin\n"
                + "            n = $fscanf(32'h8000_0000, \"%d\", value);\n"
                + "            if (n != 1 || value == " + QUIT + ") $finish;\n"
                + "            if (value >= 0) begin\n"
                + "                rx = 1'b0;\n"
                + "                repeat (CPB) @(posedge clk);\n"
                + "                for (i = 0; i < 8; i = i + 1) begin\n"
                + "                    rx = value[i];\n"
                + "                    repeat (CPB) @(posedge clk);\n"
                + "                end\n"
                + "                rx = 1'b1;\n"
                + "                repeat (CPB) @(posedge clk);\n"
                + "            end else begin\n"
                + "                repeat (CPB) @(posedge clk);\n"
                + "            end\n"
                + "            $display(\"S\");\n"
                + "            $fflush;\n"
                + "        end\n"
                + "    end\n"
                + "    initial begin\n"
                + "        repeat (" + SETTLE_CYCLES + ") @(posedge clk);\n"
                + "        forever begin\n"
                + "            @(negedge tx);\n"
                + "            repeat (CPB / 2) @(posedge clk);\n"
                + "            for (k = 0; k < 8; k = k + 1) begin\n"
                + "                repeat (CPB) @(posedge clk);\n"
                + "                got[k] = tx;\n"
                + "            end\n"
                + "            repeat (CPB) @(posedge clk);\n"
                + "            if (tx !== 1'b1) $display(\"E no stop bit after byte %0d\", got);\n"
                + "            else $display(\"T %0d\", got);\n"
                + "        end\n"
                + "    end\n"
                + "endmodule\n";
    }
}

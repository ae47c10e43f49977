package dev.qforge.dsl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static dev.qforge.dsl.BadDesigns.line;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams connected in one line each ({@code sink.set(source)}, {@code inst.io(stream)}) between a
 * parent's ports and submodule instances: the emitted wiring, lint-cleanliness, and beats flowing
 * through in order, none lost or repeated, under seeded bubbles and back-pressure.
 */
class StreamConnectionTest {
    private static final int BEATS = 60;
    private static final int CYCLES = 600;

    @Test
    void oneLinePerStreamWiresValidPayloadAndReadyBothWays() {
        String v = Design.elaborate(new StreamChains.SkidThenFifo()).verilog("SkidThenFifo");
        // parent input stream -> skid buffer: valid and data in, ready back out
        assertTrue(v.contains("        .in_valid(in_valid),\n        .in_ready(skid_in_ready),\n        .in_data(in_data),\n"), v);
        assertTrue(v.contains("assign in_ready = skid_in_ready;"), v);
        // skid buffer -> FIFO, instance to instance
        assertTrue(v.contains("        .out_valid(skid_out_valid),\n        .out_ready(fifo_in_ready),\n        .out_data(skid_out_data)\n"), v);
        assertTrue(v.contains("        .in_valid(skid_out_valid),\n        .in_ready(fifo_in_ready),\n        .in_data(skid_out_data),\n"), v);
        // FIFO -> parent output stream
        assertTrue(v.contains("assign out_valid = fifo_out_valid;\n    assign out_data = fifo_out_data;\n"), v);
        assertTrue(v.contains("        .out_ready(out_ready),\n"), v);
    }

    @Test
    void recordStreamsConnectEveryField() {
        String v = Design.elaborate(new StreamChains.TwoRecordStages()).verilog("TwoRecordStages");
        assertTrue(v.contains("        .in_valid(s0_out_valid),\n        .in_ready(s1_in_ready),\n        .in_data(s0_out_data),\n"
                + "        .in_last(s0_out_last),\n"), v);
        assertTrue(v.contains("assign out_data = s1_out_data;\n    assign out_last = s1_out_last;\n"), v);
    }

    static List<Supplier<Module>> chains() {
        return List.of(StreamChains.SkidThenFifo::new, StreamChains.TwoRecordStages::new);
    }

    @Test
    void chainsAreLintClean(@TempDir Path dir) throws Exception {
        for (Supplier<Module> make : chains()) {
            Module m = make.get();
            Path d = Files.createDirectories(dir.resolve(m.name()));
            Design.elaborate(m).write(d);
            HdlTools.assertVerilatorClean(d, m.name());
            HdlTools.assertYosysClean(d, m.name());
            HdlTools.assertIcarusClean(d, m.name());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 20261121})
    void beatsPassThroughInOrder(int seed, @TempDir Path dir) throws Exception {
        for (Supplier<Module> make : chains()) {
            Module m = make.get();
            Path d = Files.createDirectories(dir.resolve(m.name()));
            boolean tagged = m.ports().stream().anyMatch(p -> p.name().equals("in_last"));
            List<String> got = simulate(d, m, tagged, seed);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < BEATS; i++) {
                expected.add(tagged ? i + " " + (i % 5 == 4 ? 1 : 0) : Integer.toString(i));
            }
            assertEquals(expected, got, m.name() + " with seed " + seed);
        }
    }

    /**
     * Sends beats 0..BEATS-1 (last set on every fifth) with random bubbles, holding valid and data
     * until accepted as AXI-Stream requires, and random back-pressure; returns the beats received.
     */
    private static List<String> simulate(Path dir, Module m, boolean tagged, int seed) throws Exception {
        HdlTools.require("iverilog");
        Design.elaborate(m).write(dir);
        String tb = """
                module tb;
                    reg clk = 1'b0;
                    reg rst = 1'b1;
                    reg in_valid = 1'b0;
                    reg [7:0] in_data = 8'd0;
                    reg in_last = 1'b0;
                    reg out_ready = 1'b0;
                    wire in_ready;
                    wire out_valid;
                    wire [7:0] out_data;
                    wire out_last;
                    integer seed = %d;
                    integer sent = 0;
                    integer cycle = 0;
                    reg fired = 1'b0;
                    %s dut (.clk(clk), .rst(rst), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),%s
                        .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data)%s);
                    always #5 clk = ~clk;
                    always @(posedge clk) begin
                        fired <= in_valid && in_ready;
                        if (in_valid && in_ready) sent <= sent + 1;
                        if (out_valid && out_ready) $display(%s);
                    end
                    always @(negedge clk) begin
                        cycle = cycle + 1;
                        if (cycle == 3) rst = 1'b0;
                        if (!rst && (!in_valid || fired)) begin
                            in_valid = sent < %d && ($random(seed) & 3) != 0;
                            in_data = sent;
                            in_last = sent %% 5 == 4;
                        end
                        out_ready = ($random(seed) & 3) != 0;
                        if (cycle == %d) $finish;
                    end
                endmodule
                """.formatted(seed, m.name(), tagged ? " .in_last(in_last)," : "", tagged ? ", .out_last(out_last)" : "",
                tagged ? "\"%0d %0d\", out_data, out_last" : "\"%0d\", out_data", BEATS, CYCLES);
        Files.writeString(dir.resolve("tb.v"), tb);
        return HdlTools.runIcarusTestbench(dir).stream().map(String::strip).toList();
    }

    @Test
    void streamsOfDifferentFieldsDoNotConnect() {
        int[] at = new int[1];
        ElaborationException e = assertThrows(ElaborationException.class, () -> new Module("Bad") {{
            Stream in = inStream("in", StreamChains.TAGGED);
            Stream out = outStream("out", uint(8));
            at[0] = line(); out.set(in);
        }});
        assertEquals("StreamConnectionTest.java:" + at[0]
                + ": bundles differ: [data] vs [data, last]", e.getMessage());
    }
}

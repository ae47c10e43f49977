package dev.qforge.fpga.shell;

import dev.qforge.testbenches.axi.AxiLiteMaster;
import dev.qforge.testbenches.axi.AxisSink;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated shell's end of the drivers' test transport: a driver process (the Python driver on
 * the fake pynq, or the C driver on the fake platform) writes one request a line on its stdout,
 * the bench carries it out on the AXI bus-functional models and answers on the process's stdin.
 * R offset: an AXI4-Lite read (answer: the value); W offset value: a write (OK); S stream hex: the
 * bytes of a DMA send, queued as beats on that stream's source (OK); G stream max: a DMA receive,
 * run until a TLAST beat or max bytes (answer: the bytes in hex). Every byte sent is recorded per stream.
 */
final class DriverLink {
    private final ShellBench bench;
    final Map<String, ByteArrayOutputStream> sent = new LinkedHashMap<>();
    final List<String> requests = new ArrayList<>();
    private final Map<String, Integer> taken = new LinkedHashMap<>();

    DriverLink(ShellBench bench) {
        this.bench = bench;
    }

    /** Serves the process until it closes its stdout. */
    void serve(Process p) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        String line;
        while ((line = in.readLine()) != null) {
            requests.add(line.length() > 80 ? line.substring(0, 80) + "..." : line);
            out.write(answer(line.split(" ")) + "\n");
            out.flush();
        }
    }

    private String answer(String[] t) {
        switch (t[0]) {
            case "R" -> {
                AxiLiteMaster.Response r = bench.lite.readResponse(Long.parseLong(t[1]));
                return r.resp() == AxiLiteMaster.OKAY ? Long.toString(r.data()) : "ERR " + r.resp();
            }
            case "W" -> {
                int resp = bench.lite.write(Long.parseLong(t[1]), Long.parseLong(t[2]), 0xF);
                return resp == AxiLiteMaster.OKAY ? "OK" : "ERR " + resp;
            }
            case "S" -> {
                AxisStream s = bench.shell.stream(t[1]);
                byte[] bytes = HexFormat.of().parseHex(t[2]);
                if (bytes.length % s.bytes() != 0) {
                    return "ERR " + bytes.length + " bytes are not whole " + s.bytes() + "-byte beats";
                }
                List<BigInteger> beats = new ArrayList<>();
                for (int i = 0; i < bytes.length; i += s.bytes()) {
                    beats.add(ShellBench.tdata(java.util.Arrays.copyOfRange(bytes, i, i + s.bytes())));
                }
                bench.sources.get(t[1]).send(beats);
                sent.computeIfAbsent(t[1], k -> new ByteArrayOutputStream()).writeBytes(bytes);
                return "OK";
            }
            case "G" -> {
                AxisStream s = bench.shell.stream(t[1]);
                AxisSink sink = bench.sinks.get(t[1]);
                int from = taken.getOrDefault(t[1], 0);
                int max = Integer.parseInt(t[2]) / s.bytes();
                bench.bench.runUntil(() -> sink.beats().size() - from >= max || sink.beats().subList(from, sink.beats().size()).stream()
                        .anyMatch(AxisSink.Beat::tlast), "a result transaction on " + s.bus());
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                int i = from;
                while (i < sink.beats().size() && i - from < max) {
                    AxisSink.Beat b = sink.beats().get(i++);
                    got.writeBytes(ShellBench.bytes(b.tdata(), s.bytes()));
                    if (b.tlast()) {
                        break;
                    }
                }
                taken.put(t[1], i);
                return HexFormat.of().formatHex(got.toByteArray());
            }
            default -> {
                return "ERR unknown request " + t[0];
            }
        }
    }
}

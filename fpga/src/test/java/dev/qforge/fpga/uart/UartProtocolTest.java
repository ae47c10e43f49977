package dev.qforge.fpga.uart;

import dev.qforge.fpga.board.Board;
import dev.qforge.fpga.ice40.IceKit;
import dev.qforge.generators.systolic.GemmEngineBlock;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The byte protocol without a board: beat layouts, the host's bytes, its answers to a board that misbehaves. */
class UartProtocolTest {
    private static final BridgeLayout LAYOUT = BridgeLayout.of(new GemmEngineBlock("gemm", IceKit.defaultEngine()).top());

    @Test
    void beatsArePackedFirstFieldInTheLowBitsLeastSignificantByteFirst() {
        BridgeLayout.StreamFormat cfg = LAYOUT.input("cfg"); // m, k, n: 4 bits each
        assertEquals(List.of("cfg", "wgt", "act"), LAYOUT.inputs().stream().map(BridgeLayout.StreamFormat::name).toList());
        assertArrayEquals(new byte[] {0x53, 0x02}, cfg.pack(new long[] {3, 5, 2}));
        BridgeLayout.StreamFormat wgt = LAYOUT.input("wgt"); // two int8 lanes
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0x80}, wgt.pack(new long[] {-1, -128}));
        BridgeLayout.StreamFormat out = LAYOUT.output("out"); // two int19 lanes: 38 bits in 5 bytes
        assertEquals(5, out.bytes());
        // lane 0 = -1 (19 ones), lane 1 = 1 (bit 19): 0x0000_0FFFFF
        byte[] bytes = {(byte) 0xFF, (byte) 0xFF, (byte) 0x0F, 0, 0};
        assertArrayEquals(new long[] {-1, 1}, out.unpack(bytes));
        assertArrayEquals(bytes, out.pack(new long[] {-1, 1}));
        long[] extremes = {-(1 << 18), (1 << 18) - 1};
        assertArrayEquals(extremes, out.unpack(out.pack(extremes)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wgt.pack(new long[] {128, 0}));
        assertEquals("128 does not fit field 'wgt_0' (signed 8 bits) of stream 'wgt'", e.getMessage());
    }

    @Test
    void theHostSendsOneBeatPerStreamUntilItIsAcknowledged() throws Exception {
        // the board's answers, scripted: ack cfg, ack wgt, ack wgt, then one result beat
        byte[] board = {0x40, 0x41, 0x41, (byte) 0x80, (byte) 0xFF, (byte) 0xFF, 0x0F, 0, 0};
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        UartHost host = new UartHost(LAYOUT, new ByteArrayInputStream(board), sent);
        Map<String, List<long[]>> got = host.run(Map.of("cfg", List.<long[]>of(new long[] {3, 5, 2}),
                "wgt", List.of(new long[] {1, 2}, new long[] {-1, -2})), Map.of("out", 1));
        assertArrayEquals(new long[] {-1, 1}, got.get("out").get(0));
        // cfg and the first wgt beat at once; the second wgt beat only after the first one's ack
        assertArrayEquals(new byte[] {0, 0x53, 0x02, 1, 1, 2, 1, (byte) 0xFF, (byte) 0xFE}, sent.toByteArray());
    }

    @Test
    void aBoardThatIsSilentOrRunsAnotherDesignIsNamed() {
        UartHost silent = new UartHost(LAYOUT, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
        UartHost.ProtocolException e = assertThrows(UartHost.ProtocolException.class, silent::ping);
        assertTrue(e.getMessage().startsWith("no answer from the board while waiting for the answer to a ping"), e.getMessage());
        byte[] other = {0x00, 0x12, (byte) 0xFE, 1, 2, 3, 4}; // junk from before, then another design's id
        UartHost host = new UartHost(LAYOUT, new ByteArrayInputStream(other), new ByteArrayOutputStream());
        e = assertThrows(UartHost.ProtocolException.class, host::ping);
        assertEquals(String.format("the board runs another design (layout id 04030201, expected %08x for %s): load the bitstream built "
                + "for this design", LAYOUT.id(), LAYOUT.block()), e.getMessage());
        UartHost garbled = new UartHost(LAYOUT, new ByteArrayInputStream(new byte[] {0x33}), new ByteArrayOutputStream());
        e = assertThrows(UartHost.ProtocolException.class, () -> garbled.run(Map.of(), Map.of("out", 1)));
        assertEquals("unexpected byte 0x33 from the board", e.getMessage());
    }

    @Test
    void aBlockWithAPortOutsideAStreamIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BridgeLayout.of(new dev.qforge.lib.Counter(8)));
        assertTrue(e.getMessage().startsWith("the UART bridge carries valid/ready streams only, but port '"), e.getMessage());
    }

    @Test
    void boardNamesAreCheckedWithASuggestion() {
        assertEquals(Board.HX8K, Board.of("HX8K"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Board.of("icebraker"));
        assertEquals("unknown board 'icebraker' (did you mean icebreaker?); boards: icebreaker, hx8k", e.getMessage());
    }
}

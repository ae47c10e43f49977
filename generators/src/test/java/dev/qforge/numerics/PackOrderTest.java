package dev.qforge.numerics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackOrderTest {
    /** Codes 0..7 in one word: GPTQ keeps them in order, AutoAWQ's order_map puts fields 0..7 = codes 0,2,4,6,1,3,5,7. */
    @Test
    void codesZeroToSevenPackAsTheCheckpointsDo() {
        int[] codes = {0, 1, 2, 3, 4, 5, 6, 7};
        assertEquals(0x76543210L, PackOrder.GPTQ.pack(codes, 4));
        assertEquals(0x75316420L, PackOrder.AWQ.pack(codes, 4));
        assertEquals(0xE4E4E4E4L, PackOrder.GPTQ.pack(new int[] {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3}, 2));
    }

    @ParameterizedTest
    @CsvSource({"GPTQ, 2", "GPTQ, 4", "GPTQ, 8", "AWQ, 4"})
    void unpackInvertsPackOnRandomWords(PackOrder order, int bits) {
        Random rnd = new Random(31L * bits + order.ordinal());
        int per = 32 / bits;
        for (int n = 0; n < 200; n++) {
            int[] codes = new int[per];
            for (int j = 0; j < per; j++) {
                codes[j] = rnd.nextInt(1 << bits);
            }
            long word = order.pack(codes, bits);
            assertTrue(word >= 0 && word <= 0xFFFFFFFFL);
            int[] back = new int[per];
            for (int j = 0; j < per; j++) {
                back[j] = order.unpack(word, j + per * n, bits); // the index counts across words
                assertEquals(codes[j], (int) (word >>> (order.bitOffset(j + per * n, bits) - 32L * n)) & ((1 << bits) - 1));
            }
            assertArrayEquals(codes, back);
        }
    }

    @Test
    void awqIsOnlyFourBits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PackOrder.AWQ.field(0, 2));
        assertTrue(e.getMessage().contains("bits must be 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PackOrder.GPTQ.pack(new int[7], 4));
    }
}

package dev.qforge.spec.check;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Storage bits per element of the formats users write (OCP MX: an 8-bit scale per 32 elements). */
class FormatsTest {
    @Test
    void bitsPerElement() {
        assertEquals(8, Formats.bitsPerElement("int8"));
        assertEquals(4, Formats.bitsPerElement("uint4"));
        assertEquals(16, Formats.bitsPerElement("bf16"));
        assertEquals(4.25, Formats.bitsPerElement("mxfp4"));
        assertEquals(6.25, Formats.bitsPerElement("mxfp6_e2m3"));
        assertEquals(16, Formats.bitsPerElement("sfix(16, 12)"));
        assertEquals(-1, Formats.bitsPerElement("sfix(8, 12)"), "more fraction bits than bits");
        assertEquals(-1, Formats.bitsPerElement("mxfp5"));
        assertEquals(-1, Formats.bitsPerElement("int0"));
        // int4 group 128 scale bf16: 4 bits and a 16-bit scale shared by 128 elements
        assertEquals(4.125, Formats.groupedBits(Formats.bitsPerElement("int4"), 128, Formats.bitsPerElement("bf16")));
    }
}

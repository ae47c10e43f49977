package dev.qforge.numerics;

/**
 * The order in which LLM checkpoints pack b-bit integer codes into 32-bit words (32 / b codes a
 * word): which bit field of a word holds which of the word's codes. Fields are numbered from the
 * little end: field f is bits [f * b, f * b + b).
 *
 * <ul>
 *   <li>{@link #GPTQ}: sequential, code j of a word in field j (GPTQ's {@code QuantLinear.pack},
 *       AutoGPTQ and gptqmodel; also how GPTQ packs {@code qzeros}).</li>
 *   <li>{@link #AWQ}: AutoAWQ's interleaved order for 4-bit codes ({@code WQLinear_GEMM.from_linear},
 *       {@code order_map = [0, 2, 4, 6, 1, 3, 5, 7]}): field f holds code {@code [0, 2, 4, 6, 1, 3, 5, 7][f]},
 *       so codes 0..7 lie in fields 0, 4, 1, 5, 2, 6, 3, 7 ({@code AWQ_REVERSE_ORDER}); both
 *       {@code qweight} and {@code qzeros}. AutoAWQ packs only 4-bit codes.</li>
 * </ul>
 */
public enum PackOrder {
    GPTQ, AWQ;

    /** AutoAWQ's order_map: the code held by each field. */
    private static final int[] AWQ_CODE_OF_FIELD = {0, 2, 4, 6, 1, 3, 5, 7};
    /** AutoAWQ's AWQ_REVERSE_ORDER: the field holding each code. */
    private static final int[] AWQ_FIELD_OF_CODE = {0, 4, 1, 5, 2, 6, 3, 7};

    /** Codes per 32-bit word of b-bit codes; b must be 2, 4 or 8 (AWQ: 4). */
    public int codesPerWord(int bits) {
        if (bits != 2 && bits != 4 && bits != 8 || this == AWQ && bits != 4) {
            throw new IllegalArgumentException("bits must be " + (this == AWQ ? "4 in the AWQ order (AutoAWQ packs only 4-bit codes)"
                    : "2, 4 or 8") + ", got " + bits);
        }
        return 32 / bits;
    }

    /** The field of its word (0 = the low bits) that holds code {@code index} of a packed sequence. */
    public int field(int index, int bits) {
        int perWord = codesPerWord(bits);
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        int j = index % perWord;
        return this == GPTQ ? j : AWQ_FIELD_OF_CODE[j];
    }

    /** The bit position, within a packed sequence of whole words, where code {@code index} begins. */
    public int bitOffset(int index, int bits) {
        return (index - index % codesPerWord(bits)) * bits + field(index, bits) * bits;
    }

    /** The raw b bits of code {@code index} (of its word) from that word. */
    public int unpack(long word, int index, int bits) {
        return (int) (word >>> (field(index, bits) * bits)) & ((1 << bits) - 1);
    }

    /** One 32-bit word (as an unsigned value) holding codes[0..32/b), each masked to b bits. */
    public long pack(int[] codes, int bits) {
        int perWord = codesPerWord(bits);
        if (codes.length != perWord) {
            throw new IllegalArgumentException("a word holds " + perWord + " codes of " + bits + " bits, got " + codes.length);
        }
        long word = 0;
        for (int j = 0; j < perWord; j++) {
            word |= (long) (codes[j] & ((1 << bits) - 1)) << (field(j, bits) * bits);
        }
        return word;
    }
}

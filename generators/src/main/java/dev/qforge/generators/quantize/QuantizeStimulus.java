package dev.qforge.generators.quantize;

import java.util.Random;

/**
 * Seeded blocks of input bit patterns that reach every case of the conversion: random data over a
 * few binades, all-zero blocks of +-0, NaN and infinities, the binary32 top (saturation and the
 * rounding carry past the largest normal), tiny blocks whose scale clamps at -127 (subnormal
 * inputs and subnormal codes), and short mantissas that land exactly on rounding ties. Shared by
 * the golden-model tests and the co-simulation.
 */
public final class QuantizeStimulus {
    private static final int KINDS = 8;
    private final Random rnd;
    private final QuantizeConfig.Input input;
    private final int blockSize;

    public QuantizeStimulus(long seed, QuantizeConfig.Input input, int blockSize) {
        this.rnd = new Random(seed);
        this.input = input;
        this.blockSize = blockSize;
    }

    /** The next block: input bit patterns (binary32, or bf16 in the low 16 bits). */
    public long[] block() {
        int kind = rnd.nextInt(KINDS);
        int top = switch (kind) {
            case 3 -> 254;                     // the binary32 top
            case 4 -> rnd.nextInt(12);         // subnormal and tiny: the scale clamps
            default -> 1 + rnd.nextInt(254);
        };
        int spread = kind == 1 ? 0 : 1 + rnd.nextInt(kind == 4 ? 12 : 30);
        long[] b = new long[blockSize];
        for (int i = 0; i < blockSize; i++) {
            int exp = Math.max(0, top - rnd.nextInt(spread + 1));
            int mantissa = switch (kind) {
                case 5 -> (rnd.nextInt(8)) << (23 - 3 - rnd.nextInt(20)); // few bits: exact ties for every element grid
                case 6 -> 0x7FFFFF >> rnd.nextInt(4) << rnd.nextInt(2) & 0x7FFFFF; // near all ones: rounds up into the next binade
                default -> rnd.nextInt(1 << 23);
            };
            b[i] = bits(rnd.nextBoolean(), exp, mantissa);
        }
        switch (kind) {
            case 0 -> { // all zero, both signs
                for (int i = 0; i < blockSize; i++) {
                    b[i] = bits(rnd.nextBoolean(), 0, 0);
                }
            }
            case 2 -> b[rnd.nextInt(blockSize)] = bits(rnd.nextBoolean(), 255, rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt((1 << 23) - 1));
            case 7 -> { // zeros sprinkled in
                for (int i = 0; i < blockSize; i++) {
                    if (rnd.nextInt(3) == 0) {
                        b[i] = bits(rnd.nextBoolean(), 0, 0);
                    }
                }
            }
            default -> { }
        }
        return b;
    }

    /** The input pattern of sign, binary32 exponent field and mantissa (bf16 keeps the mantissa's top 7 bits; a NaN stays a NaN). */
    private long bits(boolean negative, int exp, int mantissa) {
        int x = (negative ? 1 << 31 : 0) | exp << 23 | mantissa;
        if (input == QuantizeConfig.Input.FP32) {
            return x & 0xFFFFFFFFL;
        }
        int hi = x >>> 16;
        if (exp == 255 && mantissa != 0 && (hi & 0x7F) == 0) {
            hi |= 1;
        }
        return hi;
    }
}

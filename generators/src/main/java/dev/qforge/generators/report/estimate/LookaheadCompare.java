package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Op;

import java.math.BigInteger;

/**
 * A compare of a value with a constant as Yosys 0.23 maps it on Xilinx, when that is a carry chain.
 * synth_xilinx runs cmp2lcu before alumacc: after wreduce has dropped the value's extension bits, the
 * compare becomes a greater-than ({@code x < K} is {@code K > x}, {@code K < x} is {@code x > K}) cut
 * from the top into chunks of LUT_WIDTH (6) bits, each giving the lookahead unit ($lcu) a propagate
 * (the chunk equals the constant's bits) and a generate (the chunk's greater-than; on the top chunk
 * of a signed compare, with the sign bits swapped). An $lcu of one or two chunks is generic logic that
 * ABC reduces to the bits that matter, at most 12 of them ({@link Operators#settledLowBits}: {@code x <
 * 1024}, 12 bits, is 1 LUT); from three chunks on it is a CARRY4 chain, which ABC cannot see through,
 * so every chunk keeps its propagate (a LUT, or an inverter or a wire on a one-bit chunk) and its
 * generate: none when the constant's chunk decides it (all zeros for {@code K > x}, all ones for
 * {@code x > K}), else a LUT over the chunk's bits above the constant's trailing zeros (or ones), or
 * again none when one bit is left. The result is the chain's carry-out, read by its consumer as one net.
 *
 * <p>Measured (registered x and result; LUTs and CARRY4s, xc7 and xcup alike): unsigned 13 bits K =
 * 1024, {@code x < K} 3/1; K = 5461 4/1 either way; {@code 4095 < x} 2/1; 16 bits K = 21845 6/1 in all four
 * forms; 17 bits K = 11 4/1 and 6/1, {@code x < 65536} 3/1; 20 bits {@code 32767 < x} 5/1, {@code 32767 <= x}
 * 5/1, {@code x <= 32767} 8/1; 24 bits K = 5592405 8/1 either way; 33 bits K = 100 7/2 and 12/2. Signed: 16
 * bits {@code 127 < x} and {@code x < -128} 5/1 each, 32 bits 10/2 each. In context: the saturation of a
 * 32-bit register to 8 bits 28 LUTs (two compares, a LUT3 per result bit), of 18 bits to 12 bits 20; {@code
 * 21845 < a + b} (16-bit a, b) 22, the sum's 16 and the compare's 6.
 */
record LookaheadCompare(int chunks, int luts) {
    /** The compare's chain on Xilinx ({@code lutWidth} 6), or null when it is no chain (not with a constant, at most two chunks). */
    static LookaheadCompare of(Op op, int lutWidth) {
        ConstantCompare c = ConstantCompare.of(op);
        if (c == null) {
            return null;
        }
        int w = c.width();
        boolean signed = c.signed();
        int chunks = Operators.ceilDiv(w, lutWidth);
        if (chunks <= 2 || c.outOfRange()) {
            return null; // logic, or a constant out of the value's range
        }
        boolean constantGreater = c.at() == 1; // x < K and x <= K: each chunk generates where K's bits exceed x's
        BigInteger bits = c.bits();
        int luts = 0;
        for (int top = w; top > 0; top -= lutWidth) {
            int cw = Math.min(lutWidth, top);
            int kc = bits.shiftRight(top - cw).intValue() & ((1 << cw) - 1);
            if (signed && top == w) {
                kc ^= 1 << (cw - 1); // a signed chunk compares as an unsigned one with its sign bits inverted
            }
            int settled = Math.min(cw, Integer.numberOfTrailingZeros(constantGreater ? kc : ~kc));
            luts += (cw >= 2 ? 1 : 0) + (cw - settled >= 2 ? 1 : 0);
        }
        return new LookaheadCompare(chunks, luts);
    }
}

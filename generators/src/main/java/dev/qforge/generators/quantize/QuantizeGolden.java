package dev.qforge.generators.quantize;

import dev.qforge.numerics.Bfp;
import dev.qforge.numerics.Mx;

/**
 * What a quantize unit computes, through {@link Mx#quantize} and {@link Bfp#quantize}: one block of
 * input patterns in, its E8M0 scale byte and one code per element out (MX codes as
 * {@link dev.qforge.numerics.MxElementType} encodes them, BFP mantissas as n-bit two's
 * complement). A block with a NaN or an infinity has scale 0xFF and every code 0.
 */
public final class QuantizeGolden {
    /** One quantized block. */
    public record Block(int scale, int[] codes) { }

    private final QuantizeConfig cfg;

    public QuantizeGolden(QuantizeConfig cfg) {
        this.cfg = cfg;
    }

    /** The block of {@code patterns} (cfg.blockSize() input bit patterns). */
    public Block quantize(long[] patterns) {
        if (patterns.length != cfg.blockSize()) {
            throw new IllegalArgumentException("a block has " + cfg.blockSize() + " elements, got " + patterns.length);
        }
        double[] v = new double[patterns.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = cfg.input().format().decode(patterns[i]); // exact: every bf16 and binary32 value is a double
        }
        if (cfg.format().isMx()) {
            Mx.Blocks b = Mx.quantize(v, cfg.format().mx(), cfg.blockSize());
            return new Block(b.scales()[0], b.codes());
        }
        Bfp.Blocks b = Bfp.quantize(v, cfg.format().bfpBits(), cfg.blockSize());
        int[] codes = new int[v.length];
        int mask = (1 << cfg.format().bfpBits()) - 1;
        for (int i = 0; i < codes.length; i++) {
            codes[i] = b.mantissas()[i] & mask;
        }
        return new Block(b.scales()[0], codes);
    }
}

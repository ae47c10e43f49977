/**
 * Bit-exact quantized arithmetic: the single source of truth for the numeric rules that golden
 * models and RTL generators share (see "Numerics are a contract" in DESIGN.md).
 *
 * <p>Every rounding goes through {@link dev.qforge.dsl.Rounding} (bias-then-shift), directly or via
 * {@link dev.qforge.numerics.Rounded}, which extends that one rule to doubles, to divisions by
 * non-powers of two and to rounding onto a binary floating-point grid. Functions are static, take
 * primitive arrays, and name the reference each follows. Bad arguments raise
 * {@link IllegalArgumentException} naming the argument and value; results that would overflow
 * the documented width raise {@link ArithmeticException} instead of wrapping silently.
 *
 * <ul>
 *   <li>Formats: {@link dev.qforge.numerics.IntFormat}, {@link dev.qforge.numerics.FixedPoint},
 *       {@link dev.qforge.numerics.Int4Packing}, {@link dev.qforge.numerics.MxElementType},
 *       {@link dev.qforge.numerics.Mx}, {@link dev.qforge.numerics.Bfp},
 *       {@link dev.qforge.numerics.GroupedQuant}.</li>
 *   <li>Requantization: {@link dev.qforge.numerics.TfliteRequant} (mode
 *       {@link dev.qforge.numerics.TfliteRounding}), {@link dev.qforge.numerics.Onnx}.</li>
 *   <li>Nonlinearities: {@link dev.qforge.numerics.IntegerTransformer} (I-BERT),
 *       {@link dev.qforge.numerics.OnlineSoftmax}.</li>
 * </ul>
 */
package dev.qforge.numerics;

package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Op;
import dev.qforge.generators.report.Target;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A barrel shifter on Xilinx whose amount is computed in logic (not a port or register), as ABC
 * maps it: for depth first, every LUT one level whatever its size, with LUTs of up to 8 inputs on
 * 7-series and 9 on UltraScale+ (synth_xilinx's {@code abc -luts 2:2,3,6:5,10,20} and {@code
 * ...,20,40}: a LUT7, LUT8, LUT9 is 2, 4, 8 LUT6s joined by MUXF7/F8/F9). With a port amount a
 * LUT6 resolves two stages a level (a 4:1 multiplexer), so S stages that select data take ceil(S/2)
 * levels. A computed select comes a level late; to keep that depth with S even, the first level must
 * still resolve two stages, so ABC copies both selects' logic into each of its LUTs: each bit of the
 * second stage's output becomes one function of its data bits (up to four) and the two selects'
 * leaves, a wide LUT when that fits the widest, and those two selects need no LUTs of their own.
 * When it does not fit (or S is odd, where the first level resolves one stage and a LUT6 has room
 * for its select's logic) the amount costs its own LUTs, which the shifter's model already counts.
 * iCE40 has no wide LUTs and resolves one stage a level: measured there, the amount's LUTs are added
 * to the port amount's shifter (16 bits by a ^ b: 59 = 55 + 4), which is the model without this rule.
 *
 * <p>Checked on Yosys 0.23, 16 bits shifted left by a 4-bit amount and read at 16 bits, LUTs on
 * xcup/xc7: by a port 34/34; by {@code a ^ b} (4 leaves) 84/74, the model 75/75 (xc7: 13 LUT8s and a
 * LUT7, as Yosys maps it); by {@code c ? a : b} (5 leaves, c shared) 129/48, the model 130/39 (xcup:
 * 13 LUT9s, as Yosys maps it; on xc7 9 inputs do not fit); shifted right by {@code a ^ b} as left;
 * held out, 32 bits by a 4-bit {@code a ^ b} 173/154, the model 157/157 (xc7: 29 LUT8s and a LUT7,
 * as Yosys maps it). Odd stage counts: 8 bits by a 3-bit {@code a ^ b} 18/18 and 16 bits 34/34, no
 * wide LUT, as modelled; but 32 bits by a 5-bit {@code a ^ b} 166/174 (ABC folds two stages all the
 * same; the model: 93) is not modelled, nor a leading-zero count's amount (the Normalizer: 69/50,
 * the model 50/50; 32 bits 344/213, the model 130), whose selects read every input bit.
 */
final class FoldedShiftAmount {
    private FoldedShiftAmount() { }

    /** LUTs the folded amount adds to {@code shifter}'s multiplexers and its amount's own LUTs (0 when it does not fold). */
    static long extraLuts(Op shifter, Arithmetic arithmetic, LutCones cones, Liveness liveness) {
        Target target = arithmetic.target();
        if (target.isIce40() || !(Operators.unwire(shifter.operand(1)) instanceof Op amount) || !Operators.isLogic(amount, target)
                || amount.width() < 2 || cones.isMerged(amount)) {
            return 0;
        }
        BitSet[] stages = arithmetic.shifterStages(shifter);
        List<Integer> selecting = new ArrayList<>();
        for (int i = 0; i < stages.length; i++) {
            if (!stages[i].isEmpty()) {
                selecting.add(i);
            }
        }
        if (selecting.size() < 2 || selecting.size() % 2 != 0) {
            return 0;
        }
        int first = selecting.get(0);
        int second = selecting.get(1);
        int leaves = 2 * cones.coneInputs(amount) - sharedInputs(amount, cones);
        int widest = target == Target.XCUP ? 9 : 8;
        boolean left = shifter.kind() == Op.Kind.DSHL;
        // as the shifter's model counts data: a left shift's at its significant bits
        int in = left ? Operators.significantWidth(shifter.operand(0)) : shifter.operand(0).width();
        long folded = 0;
        BitSet out = stages[second];
        for (int j = out.nextSetBit(0); j >= 0; j = out.nextSetBit(j + 1)) {
            int data = 0;
            for (int shift : new int[] {0, 1 << first, 1 << second, (1 << first) + (1 << second)}) {
                int from = left ? j - shift : j + shift;
                if (from >= 0 && from < in) {
                    data++;
                }
            }
            int inputs = data + leaves;
            if (inputs > widest) {
                return 0;
            }
            folded += inputs <= 6 ? 1 : 1L << (inputs - 6);
        }
        long asPort = Math.round((stages[first].cardinality() + out.cardinality()) * 0.55);
        long ownSelects = liveness.soleConsumer(amount) == shifter ? 2 * cones.coneLuts(amount) : 0;
        return folded - asPort - ownSelects;
    }

    /** Per-bit inputs every bit of {@code amount} reads alike (a multiplexer's one-bit select): the two selects share them. */
    private static int sharedInputs(Op amount, LutCones cones) {
        int shared = 0;
        for (int i = 0; i < amount.operandCount(); i++) {
            if (amount.operand(i).width() == 1) {
                shared += cones.operandInputs(amount, i);
            }
        }
        return shared;
    }
}

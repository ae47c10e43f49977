package dev.qforge.fpga;

import dev.qforge.dsl.Module;
import dev.qforge.generators.BlockInfo;
import dev.qforge.generators.Performance;
import dev.qforge.generators.PortDoc;
import dev.qforge.lib.SystolicArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A test {@link BlockInfo} around lib.SystolicArray, with the cycle model of a weight-stationary array. */
record SystolicInfo(int rows, int cols, int aBits, int wBits, int accBits) implements BlockInfo {
    @Override
    public String designName() {
        return "systolic_" + rows + "x" + cols + "_a" + aBits + "w" + wBits;
    }

    @Override
    public Module top() {
        return new SystolicArray(rows, cols, aBits, wBits, accBits);
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("rows", Integer.toString(rows));
        p.put("cols", Integer.toString(cols));
        p.put("activation", "int" + aBits);
        p.put("weight", "int" + wBits);
        p.put("accumulator", "int" + accBits);
        return p;
    }

    @Override
    public List<PortDoc> ports() {
        List<PortDoc> ports = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            ports.add(new PortDoc("a_in_" + r, "in", aBits, "one value per cycle, skewed by row", "activation of row " + r));
        }
        for (int c = 0; c < cols; c++) {
            ports.add(new PortDoc("w_in_" + c, "in", wBits, "shifted down while w_load", "weight of column " + c));
        }
        ports.add(new PortDoc("w_load", "in", 1, "level", "shift weights down one row"));
        for (int c = 0; c < cols; c++) {
            ports.add(new PortDoc("psum_out_" + c, "out", accBits, "one value per cycle, skewed by column", "dot product of column " + c));
        }
        return ports;
    }

    /** One M=rows-deep batch of activations through the array (weights preloaded). */
    @Override
    public Performance performance() {
        int m = rows;
        long first = rows + 1L;
        long last = first + (m - 1) + (cols - 1);
        return new Performance("GEMV batch M=" + m + " K=" + rows + " N=" + cols, first, last, m,
                (double) m * rows * cols / last, rows + 1);
    }
}

package dev.qforge.testbenches.bench;

import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.Port;
import dev.qforge.testbenches.verilator.PortGroup;
import dev.qforge.testbenches.verilator.PortLayout;
import dev.qforge.testbenches.verilator.Simulator;

import java.util.SplittableRandom;

/**
 * Random matrix tiles through a rows x cols {@link dev.qforge.lib.SystolicArray} (int8 a/w, 32-bit
 * sums), driven from Java, and the same schedule as a C++ main ({@link #cppMain}) for the pure C++
 * side of {@link CosimBench}.
 *
 * <p>One tile takes {@code rows} cycles to shift a random weight matrix W in (row rows-1 first),
 * then streams m random activation rows of A, skewed so row r of the array sees A[i][r] at stream
 * cycle i + r. Column c then delivers C[i][c] = sum_r A[i][r] W[r][c] at stream cycle i + rows + c,
 * so a tile is rows + m + rows + cols - 1 cycles.
 */
public final class SystolicWorkload {
    private final String top;
    private final long seed;
    private final int rows;
    private final int cols;
    private final int m;
    private final PortGroup aIn;
    private final PortGroup wIn;
    private final Port wLoad;
    private final PortGroup psumOut;
    private final SplittableRandom rnd;
    /** A transposed (rows x m), so the golden product's inner loop runs along m, long enough for the JIT to vectorise. */
    private final int[] aT;
    private final int[] w;
    /** The activations row r of the array sees at one stream cycle. */
    private final int[] aNow;
    private final int[] zeros;
    private final int[] actual;

    public SystolicWorkload(PortLayout layout, int rows, int cols, int m, long seed) {
        this.top = layout.top();
        this.seed = seed;
        this.rows = rows;
        this.cols = cols;
        this.m = m;
        this.aIn = layout.group("a_in", rows);
        this.wIn = layout.group("w_in", cols);
        this.wLoad = layout.port("w_load");
        this.psumOut = layout.group("psum_out", cols);
        this.rnd = new SplittableRandom(seed);
        this.aT = new int[rows * m];
        this.w = new int[rows * cols];
        this.aNow = new int[rows];
        this.zeros = new int[Math.max(rows, cols)];
        this.actual = new int[cols];
    }

    public int tileCycles() {
        return rows + m + rows + cols - 1;
    }

    /**
     * Writes a fresh random tile into {@code f} from frame {@code at} on and returns the expected
     * products C (transposed: C[i][c] at {@code c * m + i}).
     */
    public int[] nextTile(Frames f, int at) {
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) rnd.nextInt();
        }
        for (int i = 0; i < m; i++) {
            for (int r = 0; r < rows; r++) {
                aT[r * m + i] = (byte) rnd.nextInt();
            }
        }
        for (int t = 0; t < rows; t++) {
            f.set(at + t, wLoad, 1);
            f.set(at + t, wIn, w, (rows - 1 - t) * cols);
            f.set(at + t, aIn, zeros, 0);
        }
        for (int s = 0; s < tileCycles() - rows; s++) {
            int t = at + rows + s;
            f.set(t, wLoad, 0);
            f.set(t, wIn, zeros, 0);
            for (int r = 0; r < rows; r++) {
                int i = s - r;
                aNow[r] = i >= 0 && i < m ? aT[r * m + i] : 0;
            }
            f.set(t, aIn, aNow, 0);
        }
        int[] expected = new int[cols * m];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int x = w[r * cols + c];
                for (int i = 0; i < m; i++) {
                    expected[c * m + i] += x * aT[r * m + i];
                }
            }
        }
        return expected;
    }

    /** Compares the outputs of a tile that started at frame {@code at} with its expected products. */
    public void check(Simulator sim, Frames out, int at, int[] expected) {
        // Column c delivers row i at stream cycle i + rows + c: one frame holds results of several rows.
        for (int s = rows; s < m + rows + cols - 1; s++) {
            int t = at + rows + s;
            out.get(t, psumOut, actual, 0);
            for (int c = Math.max(0, s - rows - m + 1); c < cols && c <= s - rows; c++) {
                int i = s - rows - c;
                if (actual[c] != expected[c * m + i]) {
                    throw sim.mismatch(psumOut.port(c).name(), out.cycle(t), expected[c * m + i], actual[c],
                            "row " + i + " of a " + m + "-row tile, column " + c + " (tile started at cycle " + out.cycle(at) + ")");
                }
            }
        }
    }

    /**
     * The same workload as a C++ main for the same model (its own random numbers from the same
     * seed): runs whole tiles until at least argv[1] cycles have passed, checks every product,
     * prints {@code cycles=N seconds=S errors=E}.
     */
    public String cppMain() {
        return CPP_MAIN.replace("@TOP@", top)
                .replace("@ROWS@", Integer.toString(rows))
                .replace("@COLS@", Integer.toString(cols))
                .replace("@M@", Integer.toString(m))
                .replace("@SEED@", Long.toUnsignedString(seed))
                .replace("@A_IN@", pointers("a_in_", rows))
                .replace("@W_IN@", pointers("w_in_", cols))
                .replace("@PSUM_OUT@", pointers("psum_out_", cols));
    }

    private static String pointers(String prefix, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ", " : "").append("&top->").append(prefix).append(i);
        }
        return sb.toString();
    }

    private static final String CPP_MAIN = """
            // Generated by qforge: SystolicWorkload as a plain C++ testbench (no Java), for CosimBench.
            #include "V@TOP@.h"
            #include "verilated.h"
            #include <chrono>
            #include <cstdint>
            #include <cstdio>
            #include <cstdlib>
            #include <vector>

            static const int R = @ROWS@, C = @COLS@, M = @M@;
            static uint64_t rng_state = @SEED@ull;

            static inline uint64_t rng() {  // splitmix64
                uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
                z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
                z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
                return z ^ (z >> 31);
            }

            int main(int argc, char** argv) {
                uint64_t wanted = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
                VerilatedContext* ctx = new VerilatedContext;
                V@TOP@* top = new V@TOP@{ctx, "@TOP@"};
                CData* a_in[R] = {@A_IN@};
                CData* w_in[C] = {@W_IN@};
                IData* psum_out[C] = {@PSUM_OUT@};
                top->rst = 1;
                top->clk = 0;
                top->eval();
                top->clk = 1;
                top->eval();
                top->rst = 0;
                std::vector<int32_t> a(M * R), w(R * C), expected(M * C);
                uint64_t cycles = 0, errors = 0;
                auto t0 = std::chrono::steady_clock::now();
                while (cycles < wanted) {
                    for (auto& x : w) x = (int8_t) rng();
                    for (auto& x : a) x = (int8_t) rng();
                    std::fill(expected.begin(), expected.end(), 0);
                    for (int i = 0; i < M; i++)
                        for (int r = 0; r < R; r++)
                            for (int c = 0; c < C; c++) expected[i * C + c] += a[i * R + r] * w[r * C + c];
                    for (int t = 0; t < R; t++) {
                        top->w_load = 1;
                        for (int c = 0; c < C; c++) *w_in[c] = (uint8_t) w[(R - 1 - t) * C + c];
                        for (int r = 0; r < R; r++) *a_in[r] = 0;
                        top->clk = 0;
                        top->eval();
                        top->clk = 1;
                        top->eval();
                        cycles++;
                    }
                    for (int s = 0; s < M + R + C - 1; s++) {
                        top->w_load = 0;
                        for (int c = 0; c < C; c++) *w_in[c] = 0;
                        for (int r = 0; r < R; r++) {
                            int i = s - r;
                            *a_in[r] = i >= 0 && i < M ? (uint8_t) a[i * R + r] : 0;
                        }
                        top->clk = 0;
                        top->eval();
                        for (int c = 0; c < C; c++) {
                            int i = s - R - c;
                            if (i >= 0 && i < M && (int32_t) *psum_out[c] != expected[i * C + c]) errors++;
                        }
                        top->clk = 1;
                        top->eval();
                        cycles++;
                    }
                }
                double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                std::printf("cycles=%llu seconds=%.6f errors=%llu\\n", (unsigned long long) cycles, seconds, (unsigned long long) errors);
                top->final();
                return errors == 0 ? 0 : 1;
            }
            """;
}

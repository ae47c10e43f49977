package dev.qforge.spec.compose;

import dev.qforge.spec.check.StreamPort;

/**
 * One stream connection of a composed top.
 *
 * @param from      the producing end
 * @param to        the consuming end
 * @param fifoDepth the depth of a FIFO on the connection, or 0 for a direct connection
 */
public record Link(End from, End to, int fifoDepth) {
    /**
     * One end: a block's stream, or a top-level stream port (block null) named {@code top} that
     * takes the shape of the block stream at the other end.
     */
    public record End(String block, String top, StreamPort stream) {
        public boolean isTop() {
            return block == null;
        }

        /** As the spec wrote it: {@code gemm.out} or {@code y}. */
        @Override
        public String toString() {
            return isTop() ? top : block + "." + stream.name();
        }
    }
}

package dev.qforge.testbenches.lib;

/**
 * {@link dev.qforge.lib.SyncFifo} cycle by cycle: {@code depth} words of memory behind a one-word
 * output register. It accepts whenever the memory holds fewer than {@code depth} words, and moves
 * the oldest word into the output register whenever that register is empty or being emptied.
 */
final class SyncFifoModel implements QueueModel {
    private final long[] ram;
    private int wptr;
    private int rptr;
    private int stored;
    private boolean outValid;
    private long head;

    SyncFifoModel(int depth) {
        ram = new long[depth];
    }

    @Override
    public boolean inReady() {
        return stored != ram.length;
    }

    @Override
    public boolean outValid() {
        return outValid;
    }

    @Override
    public long outData() {
        return head;
    }

    @Override
    public void edge(boolean rst, boolean inValid, long inData, boolean outReady) {
        if (rst) {
            wptr = 0;
            rptr = 0;
            stored = 0;
            outValid = false;
            return;
        }
        boolean push = inValid && inReady();
        boolean fetch = stored != 0 && (!outValid || outReady);
        if (fetch) {
            head = ram[rptr]; // never the word pushed this cycle: that one is not stored yet
            rptr = (rptr + 1) % ram.length;
            outValid = true;
        } else if (outReady) {
            outValid = false;
        }
        if (push) {
            ram[wptr] = inData;
            wptr = (wptr + 1) % ram.length;
        }
        stored += (push ? 1 : 0) - (fetch ? 1 : 0);
    }
}

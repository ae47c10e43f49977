package dev.qforge.testbenches.lib;

/**
 * {@link dev.qforge.lib.SkidBuffer} cycle by cycle: an output register and a skid register. It
 * accepts whenever the skid register is empty; a beat accepted while the output stalls is parked
 * there and goes out first once the output register frees.
 */
final class SkidBufferModel implements QueueModel {
    private boolean validQ;
    private long dataQ;
    private boolean skidValid;
    private long skidData;

    @Override
    public boolean inReady() {
        return !skidValid;
    }

    @Override
    public boolean outValid() {
        return validQ;
    }

    @Override
    public long outData() {
        return dataQ;
    }

    @Override
    public void edge(boolean rst, boolean inValid, long inData, boolean outReady) {
        if (rst) {
            validQ = false;
            skidValid = false;
            return;
        }
        if (outReady || !validQ) {
            if (skidValid) {
                dataQ = skidData;
                validQ = true;
                skidValid = false;
            } else {
                dataQ = inData;
                validQ = inValid;
            }
        } else if (inValid && inReady()) {
            skidData = inData;
            skidValid = true;
        }
    }
}

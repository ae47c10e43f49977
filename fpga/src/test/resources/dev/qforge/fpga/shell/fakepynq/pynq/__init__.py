"""A stand-in for pynq that forwards every register access and DMA transfer, one text line each,
over stdout to the simulated shell on the other end of the pipe and reads the answer from stdin:
R <offset> -> value; W <offset> <value> -> OK; S <stream> <hex> -> OK; G <stream> <max bytes> -> hex."""
import sys

import numpy as np

import design


def _call(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    answer = sys.stdin.readline().strip()
    if answer.startswith("ERR"):
        raise IOError(line + ": " + answer)
    return answer


class PynqBuffer(np.ndarray):
    def flush(self):
        pass

    def invalidate(self):
        pass

    def freebuffer(self):
        pass


def allocate(shape, dtype=np.uint8):
    return np.zeros(shape, dtype=dtype).view(PynqBuffer)


class _Ip:
    def read(self, offset):
        return int(_call("R %d" % offset))

    def write(self, offset, value):
        _call("W %d %d" % (offset, value))


class _Send:
    def __init__(self, stream):
        self.stream = stream

    def transfer(self, buf):
        _call("S %s %s" % (self.stream, bytes(buf).hex()))

    def wait(self):
        pass


class _Recv:
    def __init__(self, stream):
        self.stream, self.buf = stream, None

    def transfer(self, buf):
        self.buf = buf

    def wait(self):
        data = bytes.fromhex(_call("G %s %d" % (self.stream, len(self.buf))))
        self.buf[:len(data)] = np.frombuffer(data, dtype=np.uint8)


class _Dma:
    """One AXI DMA: its MM2S channel feeds an input stream, its S2MM channel drains an output stream."""
    def __init__(self, name):
        for stream, s in design.STREAMS.items():
            if s.dma == name and s.input:
                self.sendchannel = _Send(stream)
            elif s.dma == name:
                self.recvchannel = _Recv(stream)


class Overlay:
    def __init__(self, bitfile, download=True):
        self.bitfile = bitfile

    def __getattr__(self, name):
        if name == design.IP_NAME:
            return _Ip()
        if any(s.dma == name for s in design.STREAMS.values()):
            return _Dma(name)
        raise AttributeError(name)

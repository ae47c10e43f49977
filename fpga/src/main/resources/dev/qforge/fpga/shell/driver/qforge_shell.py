"""qforge AXI shell driver, PYNQ style.

Loads the overlay, checks that the bitstream is the design this folder was generated for (ID,
VERSION, DESIGN_ID and the block's parameters against regmap.py and design.py), and moves tensors
through the AXI DMAs of the Vivado kit's block design (the shell is cell "shell"; input stream k
goes through the MM2S channel of "dma<k>", output stream k through its S2MM channel): every
receive channel is started before the sends, and all sends are started before any wait, so no
stream waits behind another.

    from qforge_shell import Shell
    shell = Shell("design.bit")          # or Shell(overlay=Overlay(...))
    y = shell.gemm(a, b, bias)           # GEMM engines: int matrices in, int matrix out
    bits = shell.dequant(codes, scales)  # dequant units: codes and scale bits in, output lanes' bits out
    o, dropped = shell.attention(q, k, v, first=True)  # attention engines: one decode step
"""

import numpy as np

import design
import regmap

MAJOR = 0x0001


class ShellError(Exception):
    """The overlay is not the design this driver was generated for, or a transfer failed."""


def pack(stream, beats):
    """The TDATA bytes of beats (each a sequence of field values, the stream's fields in order)."""
    s = design.STREAMS[stream]
    out = bytearray()
    for beat in beats:
        if len(beat) != len(s.fields):
            raise ShellError("a beat of %s has %d fields, got %d" % (stream, len(s.fields), len(beat)))
        word, at = 0, 0
        for value, (name, width, signed) in zip(beat, s.fields):
            value = int(value)
            low, high = (-(1 << (width - 1)), (1 << (width - 1)) - 1) if signed else (0, (1 << width) - 1)
            if not low <= value <= high:
                raise ShellError("%d does not fit field %s (%s %d bits)" % (value, name, "signed" if signed else "unsigned", width))
            word |= (value & ((1 << width) - 1)) << at
            at += width
        out += word.to_bytes(s.bytes, "little")
    return bytes(out)


def unpack(stream, data):
    """Beats (lists of field values, signed fields sign-extended) from TDATA bytes."""
    s = design.STREAMS[stream]
    beats = []
    for i in range(0, len(data) - s.bytes + 1, s.bytes):
        word, at, beat = int.from_bytes(bytes(data[i:i + s.bytes]), "little"), 0, []
        for name, width, signed in s.fields:
            v = (word >> at) & ((1 << width) - 1)
            if signed and v >> (width - 1):
                v -= 1 << width
            beat.append(v)
            at += width
        beats.append(beat)
    return beats


class Shell:
    def __init__(self, bitfile="design.bit", overlay=None, ip=design.IP_NAME, download=True):
        if overlay is None:
            from pynq import Overlay
            overlay = Overlay(bitfile, download=download)
        self.overlay = overlay
        self.ip = getattr(overlay, ip)
        self.dma = {name: getattr(overlay, s.dma) for name, s in design.STREAMS.items()}
        self.check()

    # ---- registers
    def read(self, name):
        return self.ip.read(regmap.REGISTERS[name].offset) & 0xFFFFFFFF

    def write(self, name, value):
        self.ip.write(regmap.REGISTERS[name].offset, value & 0xFFFFFFFF)

    def check(self):
        """Refuses an overlay that is not this design: every constant register must read its value."""
        version = self.read("VERSION")
        if version >> 16 != MAJOR:
            raise ShellError("register map version 0x%08x, this driver speaks major %d" % (version, MAJOR))
        for name, r in regmap.REGISTERS.items():
            if r.value is not None and self.read(name) != r.value:
                raise ShellError("%s reads 0x%08x, expected 0x%08x: the overlay is not %s" % (name, self.read(name), r.value, design.DESIGN_NAME))

    def soft_reset(self):
        self.write("CONTROL", 1 << regmap.REGISTERS["CONTROL"].fields["SOFT_RESET"][0])

    def counters(self):
        """RESULTS, BUSY_CYCLES and every *_STALL_CYCLES."""
        return {n: self.read(n) for n in regmap.REGISTERS if n in ("RESULTS", "BUSY_CYCLES") or n.endswith("_STALL_CYCLES")}

    # ---- streams
    def transfer(self, inputs, outputs):
        """inputs: stream -> beats to send; outputs: stream -> beats expected (one result transaction each).
        Returns stream -> received beats."""
        from pynq import allocate
        for name, beats in outputs.items():
            self.write(design.STREAMS[name].bus.upper() + "_BEATS", beats)
        self.write("INTR_STATUS", 1)
        received = {}
        for name, beats in outputs.items():
            buf = allocate(shape=(beats * design.STREAMS[name].bytes,), dtype=np.uint8)
            self.dma[name].recvchannel.transfer(buf)
            received[name] = buf
        sent = []
        for name, beats in inputs.items():
            if not beats:
                continue
            data = pack(name, beats)
            buf = allocate(shape=(len(data),), dtype=np.uint8)
            buf[:] = np.frombuffer(data, dtype=np.uint8)
            buf.flush()
            self.dma[name].sendchannel.transfer(buf)
            sent.append((name, buf))
        for name, buf in sent:
            self.dma[name].sendchannel.wait()
            buf.freebuffer()
        result = {}
        for name, buf in received.items():
            self.dma[name].recvchannel.wait()
            buf.invalidate()
            result[name] = unpack(name, bytes(buf))
            buf.freebuffer()
        return result

    # ---- GEMM engines
    def gemm(self, a, b, bias=None, zero_point=0, requant=None):
        """Y = (A - zero_point) B + bias, requantized when the engine has requant
        (requant = (mult[N], shift[N], out_zp, act_min, act_max)). Returns Y as int64 [M, N]."""
        p = design.PARAMETERS
        rows, cols, ws = int(p["rows"]), int(p["cols"]), p["dataflow"] == "ws"
        a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        m, k = a.shape
        n = b.shape[1]
        cfg = [m, k, n]
        names = [f[0] for f in design.STREAMS["cfg"].fields]
        if "cfg_zp" in names:
            cfg.append(zero_point)
        if "cfg_out_zp" in names:
            cfg += [requant[2], requant[3], requant[4]]
        inputs = {"cfg": [cfg], "wgt": [], "act": []}
        folds = range(0, n, cols)
        lane = lambda x, i, j: int(x[i, j]) if i < x.shape[0] and j < x.shape[1] else 0
        if "bias" in design.STREAMS:
            inputs["bias"] = [[int(bias[n0 + c]) if n0 + c < n else 0 for c in range(cols)] for n0 in folds]
        if "quant" in design.STREAMS:
            mult, shift = requant[0], requant[1]
            inputs["quant"] = [[int(bias[n0 + c]) if bias is not None and n0 + c < n else 0 for c in range(cols)]
                               + [int(mult[n0 + c]) if n0 + c < n else 0 for c in range(cols)]
                               + [int(shift[n0 + c]) if n0 + c < n else 0 for c in range(cols)] for n0 in folds]
        for n0 in folds:
            if ws:
                for k0 in range(0, k, rows):
                    inputs["wgt"] += [[lane(b, kk, n0 + c) for c in range(cols)] for kk in range(k0, min(k, k0 + rows))]
                    inputs["act"] += [[lane(a, mm, k0 + r) for r in range(rows)] for mm in range(m)]
            else:
                for m0 in range(0, m, rows):
                    inputs["wgt"] += [[lane(b, kk, n0 + c) for c in range(cols)] for kk in range(k)]
                    inputs["act"] += [[lane(a, m0 + r, kk) for r in range(rows)] for kk in range(k)]
        beats = m * len(folds)
        out = self.transfer(inputs, {"out": beats})["out"]
        y = np.zeros((m, n), dtype=np.int64)
        for i, beat in enumerate(out):
            n0, mm = (i // m) * cols, i % m
            for c in range(cols):
                if n0 + c < n:
                    y[mm, n0 + c] = beat[c]
        return y

    # ---- dequant units
    def dequant(self, codes, scales, zero_points=None):
        """codes: one code per value (a multiple of the lanes); scales (and zero points): one per group of
        the unit's group size, as bit patterns. Returns the output lanes' bit patterns, one per code
        (and, for fixed-point output, the raw beats as the second value)."""
        p = design.PARAMETERS
        lanes, group = int(p["lanes"]), int(p["group"])
        fields = [f[0] for f in design.STREAMS["in"].fields]
        code_bits = design.STREAMS["in"].fields[0][1] // lanes
        per_beat = len([f for f in fields if f.startswith("in_scale_")])
        codes = [int(c) for c in codes]
        if len(codes) % max(lanes, group):
            # the unit counts a group's beats from reset: every step must end on a group boundary
            raise ShellError("%d codes are not whole groups of %d in %d-lane beats" % (len(codes), group, lanes))
        beats = []
        for i in range(0, len(codes), lanes):
            word = 0
            for j, c in enumerate(codes[i:i + lanes]):
                word |= (c & ((1 << code_bits) - 1)) << (j * code_bits)
            first = i // group  # the group of the beat's first lane
            beat = [word] + [int(scales[first + j]) for j in range(per_beat)]
            if zero_points is not None:
                beat += [int(zero_points[first + j]) for j in range(per_beat)]
            beats.append(beat)
        out = self.transfer({"in": beats}, {"out": len(beats)})["out"]
        bits = [v for beat in out for v in beat[:lanes]]
        return np.array(bits, dtype=np.int64), out

    # ---- attention decode engines
    def attention(self, q, k, v, first=False):
        """One decode step: the engine appends the token's key and value rows (int8, head-dim each) to
        its cache, unless it is full, and attends the query over the cache; first=True starts a new
        sequence (the cache is emptied first). q: one row, or one row per query head of a GQA group.
        Returns (O, dropped): O as int64 [head_dim] for one row q, else [heads, head_dim]; dropped
        when the cache was full, so k and v were not stored."""
        p = design.PARAMETERS
        lanes, d, heads = int(p["lanes"]), int(p["head-dim"]), int(p["heads"])
        q = np.asarray(q, dtype=np.int64)
        single = q.ndim == 1
        q = q.reshape(1, -1) if single else q
        k, v = np.asarray(k, dtype=np.int64), np.asarray(v, dtype=np.int64)
        if q.shape != (heads, d) or k.shape != (d,) or v.shape != (d,):
            raise ShellError("a step takes %d query row(s), a key and a value row of %d elements; got q %s, k %s, v %s"
                             % (heads, d, q.shape, k.shape, v.shape))
        lane = lambda name, h: name if heads == 1 else name + str(h)
        beats = []
        for c in range(0, d, lanes):
            # fields by port name: in_first (on the token's first beat), in_q[h]_l, in_k_l, in_v_l
            value = {"in_first": int(first and c == 0)}
            for l in range(lanes):
                for h in range(heads):
                    value["in_%s_%d" % (lane("q", h), l)] = int(q[h, c + l])
                value["in_k_%d" % l], value["in_v_%d" % l] = int(k[c + l]), int(v[c + l])
            beats.append([value[f[0]] for f in design.STREAMS["in"].fields])
        out = self.transfer({"in": beats}, {"out": len(beats)})["out"]
        names = [f[0] for f in design.STREAMS["out"].fields]
        o = np.zeros((heads, d), dtype=np.int64)
        for c, beat in enumerate(out):
            got = dict(zip(names, beat))
            for h in range(heads):
                for l in range(lanes):
                    o[h, c * lanes + l] = got["out_%s_%d" % (lane("o", h), l)]
        dropped = bool(out[0][names.index("out_dropped")])
        return (o[0] if single else o), dropped

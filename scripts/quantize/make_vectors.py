#!/usr/bin/env python3
"""Reference vectors for the quantize units' golden model (QuantizeGolden), from ml_dtypes.

Run by hand in a venv:
    python3 -m venv /tmp/vq && /tmp/vq/bin/pip install --retries 0 numpy ml_dtypes
    /tmp/vq/bin/python scripts/quantize/make_vectors.py > generators/src/test/resources/quantize/vectors.json

Conversion as microxcaling's mx_ops.quantize_mx_op does it (OCP MX v1.0 section 6): shared exponent
X = floor(log2(max|x|)) - emax_elem, 2^-126 standing in for a zero maximum, clamped below to -127,
NaN scale (0xFF) for a block holding a NaN or an infinity; elements x / 2^X clipped to the largest
normal (microxcaling saturates) and cast with ml_dtypes (round to nearest even) for the float types,
np.rint (half to even) for MXINT8 and BFP. Where microxcaling defaults to round-half-away
('nearest'), the OCP spec's round-to-nearest-even is used, as numerics documents.
"""
import json
import sys

import ml_dtypes
import numpy as np

# name -> (ml_dtypes type or None for integers, emax, max normal, code bits, fraction bits of integers)
FORMATS = {
    "mxfp8_e4m3": (ml_dtypes.float8_e4m3fn, 8, 448.0, 8, None),
    "mxfp8_e5m2": (ml_dtypes.float8_e5m2, 15, 57344.0, 8, None),
    "mxfp6_e3m2": (ml_dtypes.float6_e3m2fn, 4, 28.0, 6, None),
    "mxfp6_e2m3": (ml_dtypes.float6_e2m3fn, 2, 7.5, 6, None),
    "mxfp4_e2m1": (ml_dtypes.float4_e2m1fn, 2, 6.0, 4, None),
    "mxint8": (None, 0, 127.0 / 64, 8, 6),
    "bfp4": (None, 0, 7.0 / 4, 4, 2),
    "bfp12": (None, 0, 2047.0 / 1024, 12, 10),
}
BLOCK = 32


def floor_log2(a):
    _, e = np.frexp(a)  # a = m * 2^e, 0.5 <= m < 1: exact
    return int(e) - 1


def quantize(x, name):
    dtype, emax, max_normal, bits, frac = FORMATS[name]
    v = x.astype(np.float64)
    if not np.all(np.isfinite(v)):
        return 0xFF, [0] * len(x)
    amax = float(np.max(np.abs(v)))
    shared = max(floor_log2(amax if amax > 0 else 2.0 ** -126) - emax, -127)
    scaled = np.clip(v / 2.0 ** shared, -max_normal, max_normal)
    if dtype is not None:
        codes = scaled.astype(dtype).view(np.uint8).astype(int)
    else:
        codes = np.rint(scaled * 2.0 ** frac).astype(int) & ((1 << bits) - 1)
    return shared + 127, [int(c) for c in codes]


def blocks(rng):
    out = []
    for _ in range(5):  # random data over a few binades
        out.append((rng.standard_normal(BLOCK) * 2.0 ** rng.integers(-20, 20)).astype(np.float32))
    out.append(np.zeros(BLOCK, dtype=np.float32) * np.where(rng.random(BLOCK) < 0.5, -1, 1).astype(np.float32))
    tiny = (rng.standard_normal(BLOCK) * 2.0 ** -140).astype(np.float32)  # subnormal binary32: scale clamps at -127
    out.append(tiny)
    top = (rng.uniform(-1, 1, BLOCK) * np.float32(3.4e38)).astype(np.float32)
    top[0] = np.float32(3.4028235e38)
    out.append(top)
    ties = (rng.integers(-64, 64, BLOCK) / 16.0).astype(np.float32)  # multiples of 1/16 up to 4: ties in every grid
    ties[0] = 4.0
    out.append(ties)
    sat = np.full(BLOCK, 1.96875, dtype=np.float32) * np.where(rng.random(BLOCK) < 0.5, -1, 1).astype(np.float32)
    sat[1] = np.float32(1.9999999)  # rounds past the largest normal: saturates
    out.append(sat)
    nan = rng.standard_normal(BLOCK).astype(np.float32)
    nan[3] = np.nan
    out.append(nan)
    inf = rng.standard_normal(BLOCK).astype(np.float32)
    inf[7] = -np.inf
    out.append(inf)
    return out


def main():
    rng = np.random.default_rng(20261206)
    data = blocks(rng)
    vectors = []
    for name in FORMATS:
        for x in data:
            scale, codes = quantize(x, name)
            vectors.append({
                "format": name,
                "input": ["%08x" % b for b in x.view(np.uint32)],
                "scale": scale,
                "codes": codes,
            })
    source = "scripts/quantize/make_vectors.py, ml_dtypes " + ml_dtypes.__version__ + ", numpy " + np.__version__
    lines = ",\n".join(json.dumps(v, separators=(",", ":")) for v in vectors)  # one block per line
    sys.stdout.write('{"source":%s,"block":%d,"vectors":[\n%s\n]}\n' % (json.dumps(source), BLOCK, lines))


if __name__ == "__main__":
    main()

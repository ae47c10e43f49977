#!/usr/bin/env python3
"""Reference vectors for the dequant golden model (generators/src/test/resources/dequant/vectors.json).

Run by hand in a venv:
    python3 -m venv /tmp/v && /tmp/v/bin/pip install --retries 0 numpy ml_dtypes torch
    /tmp/v/bin/python scripts/dequant/make_vectors.py > generators/src/test/resources/dequant/vectors.json

Contents, every value as the bit pattern the library produces:
  mx_elements  every code of each OCP MX element type decoded by ml_dtypes (value as a string: "nan", "inf", repr of a float)
  e8m0         every E8M0 scale byte decoded by ml_dtypes.float8_e8m0fnu
  rne          float32-exact inputs (random bit patterns over the whole range, ties, subnormals, near overflow)
               rounded to bf16 (ml_dtypes), fp16 (numpy) and fp32 inputs given as float64 products rounded by numpy
  gptq         a uint4 matrix packed as GPTQ does (8 codes per int32 along K, little end first), zero points packed
               the same way (the real zero point, GPTQ v2 convention), fp16 and bf16 scales per group of 32, and
               torch's dequantized weights (q - z) * scale in fp16 and bf16
"""
import json
import sys

import ml_dtypes
import numpy as np
import torch

rng = np.random.default_rng(12)


def value(x):
    x = float(x)
    if np.isnan(x):
        return "nan"
    return repr(x)


def mx_elements():
    types = {"FP8_E4M3": (ml_dtypes.float8_e4m3fn, 8), "FP8_E5M2": (ml_dtypes.float8_e5m2, 8),
             "FP6_E3M2": (ml_dtypes.float6_e3m2fn, 6), "FP6_E2M3": (ml_dtypes.float6_e2m3fn, 6),
             "FP4_E2M1": (ml_dtypes.float4_e2m1fn, 4)}
    out = {}
    for name, (t, bits) in types.items():
        codes = np.arange(1 << bits, dtype=np.uint8)
        out[name] = [value(v) for v in codes.view(t).astype(np.float64)]
    return out


def rne():
    # float32 bit patterns: uniformly random, plus patterns near each format's overflow and subnormal edges
    pats = list(rng.integers(0, 1 << 32, 400, dtype=np.uint64))
    for e in list(range(100, 150)) + list(range(0, 8)) + list(range(255 - 130, 255 - 100)):
        pats += list((np.uint64(e) << np.uint64(23)) | rng.integers(0, 1 << 23, 3, dtype=np.uint64))
    for fexp in (112, 113, 100, 103, 142, 143, 254):  # fp16 subnormal / normal edges, bf16 top, ties below
        for low in (0x1000, 0x3000, 0x8000, 0x18000, 0x7FFF):
            pats.append(np.uint64((fexp << 23) | low))
    f32 = np.array([p & 0xFFFFFFFF for p in pats], dtype=np.uint32).view(np.float32)
    f32 = f32[np.isfinite(f32)]
    f32 = np.concatenate([f32, -f32[:50], np.array([np.inf, -np.inf, np.nan, 0.0, -0.0], dtype=np.float32)])
    rows = []
    for x in f32:
        rows.append({"in": value(x), "bf16": int(np.array([x]).astype(ml_dtypes.bfloat16).view(np.uint16)[0]),
                     "fp16": int(np.array([x], dtype=np.float32).astype(np.float16).view(np.uint16)[0])})
    # float64 products of a bf16-sized and a 5-bit significand at any exponent, rounded once to fp32
    prods = []
    for _ in range(300):
        a = float(rng.integers(-(1 << 12), 1 << 12)) * 2.0 ** int(rng.integers(-170, 130))
        prods.append({"in": value(a), "fp32": int(np.array([a], dtype=np.float64).astype(np.float32).view(np.uint32)[0])})
    return rows, prods


def gptq():
    k, n, group = 64, 3, 32
    w = torch.from_numpy(rng.standard_normal((k, n)).astype(np.float32))
    groups = k // group
    q = torch.zeros((k, n), dtype=torch.int32)
    zeros = torch.zeros((groups, n), dtype=torch.int32)
    scales16 = torch.zeros((groups, n), dtype=torch.float16)
    for g in range(groups):
        blk = w[g * group:(g + 1) * group]
        lo = torch.clamp(blk.min(0).values, max=0)
        hi = torch.clamp(blk.max(0).values, min=0)
        scale = ((hi - lo) / 15).to(torch.float16)
        z = torch.round(-lo / scale.float()).to(torch.int32).clamp(0, 15)
        q[g * group:(g + 1) * group] = torch.clamp(torch.round(blk / scale.float()) + z, 0, 15).to(torch.int32)
        zeros[g] = z
        scales16[g] = scale
    # GPTQ packing: qweight[k // 8][n] holds rows 8i..8i+7 of column n, row 8i + j in bits 4j..4j+3
    qweight = torch.zeros((k // 8, n), dtype=torch.int64)
    for j in range(8):
        qweight |= q[j::8].to(torch.int64) << (4 * j)
    qzeros = torch.zeros((groups, 1), dtype=torch.int64)
    for j in range(n):
        qzeros[:, 0] |= zeros[:, j].to(torch.int64) << (4 * j)
    gidx = torch.arange(k) // group
    scales_bf = scales16.to(torch.bfloat16)
    w16 = ((q - zeros[gidx]).to(torch.float16) * scales16[gidx])
    wbf = ((q - zeros[gidx]).to(torch.bfloat16) * scales_bf[gidx])
    return {"k": k, "n": n, "group": group,
            "qweight": [[int(v) & 0xFFFFFFFF for v in row] for row in qweight.tolist()],
            "qzeros": [int(v[0]) & 0xFFFFFFFF for v in qzeros.tolist()],
            "scales_fp16": [[int(v) for v in row] for row in scales16.view(torch.int16).to(torch.int32).tolist()],
            "scales_bf16": [[int(v) for v in row] for row in scales_bf.view(torch.int16).to(torch.int32).tolist()],
            "dequant_fp16": [[int(v) & 0xFFFF for v in row] for row in w16.view(torch.int16).to(torch.int32).tolist()],
            "dequant_bf16": [[int(v) & 0xFFFF for v in row] for row in wbf.view(torch.int16).to(torch.int32).tolist()]}


def main():
    rows, prods = rne()
    e8m0 = [value(v) for v in np.arange(256, dtype=np.uint8).view(ml_dtypes.float8_e8m0fnu).astype(np.float64)]
    doc = {"generator": "scripts/dequant/make_vectors.py",
           "versions": {"numpy": np.__version__, "ml_dtypes": ml_dtypes.__version__, "torch": torch.__version__},
           "mx_elements": mx_elements(), "e8m0": e8m0, "rne16": rows, "rne32": prods, "gptq": gptq()}
    json.dump(doc, sys.stdout, indent=None, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

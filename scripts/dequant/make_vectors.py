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
               the dequantized weights in fp16 and bf16 as GPTQ's torch path computes them from the packed words
               (AutoGPTQ QuantLinear: shift by wf = [0, 4, ..., 28], mask, scales[g_idx] * (weight - zeros),
               without v1's "zeros + 1")
  awq          a uint4 matrix quantized and packed as AutoAWQ does (WQLinear_GEMM.from_linear: qweight[K][N / 8] and
               qzeros[K / group][N / 8], 8 columns per int32 in order_map [0, 2, 4, 6, 1, 3, 5, 7]), fp16 and bf16
               scales[K / group][N], and the weights AutoAWQ's packing_utils.dequantize_gemm returns (unpack_awq,
               reverse_awq_order, (iweight - izeros) * scales) in fp16 and bf16
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
    w16 = gptq_dequant(qweight, qzeros, scales16, gidx)
    wbf = gptq_dequant(qweight, qzeros, scales_bf, gidx)
    assert torch.equal(w16, (q - zeros[gidx]).to(torch.float16) * scales16[gidx])
    return {"k": k, "n": n, "group": group,
            "qweight": [[int(v) & 0xFFFFFFFF for v in row] for row in qweight.tolist()],
            "qzeros": [int(v[0]) & 0xFFFFFFFF for v in qzeros.tolist()],
            "scales_fp16": [[int(v) for v in row] for row in scales16.view(torch.int16).to(torch.int32).tolist()],
            "scales_bf16": [[int(v) for v in row] for row in scales_bf.view(torch.int16).to(torch.int32).tolist()],
            "dequant_fp16": [[int(v) & 0xFFFF for v in row] for row in w16.view(torch.int16).to(torch.int32).tolist()],
            "dequant_bf16": [[int(v) & 0xFFFF for v in row] for row in wbf.view(torch.int16).to(torch.int32).tolist()]}


def gptq_dequant(qweight, qzeros, scales, g_idx, bits=4):
    """AutoGPTQ QuantLinear's torch dequantization of packed qweight / qzeros (GPTQ v2: the real zero point)."""
    wf = torch.tensor(list(range(0, 32, bits)), dtype=torch.int32).unsqueeze(0)
    qweight = qweight.to(torch.int32)
    qzeros = qzeros.to(torch.int32)
    zeros = torch.bitwise_right_shift(torch.unsqueeze(qzeros, 2).expand(-1, -1, 32 // bits), wf.unsqueeze(0)).to(torch.int8)
    zeros = torch.bitwise_and(zeros, (2 ** bits) - 1)
    zeros = zeros.reshape(zeros.shape[0], -1)[:, :scales.shape[1]]
    weight = torch.bitwise_right_shift(torch.unsqueeze(qweight, 1).expand(-1, 32 // bits, -1), wf.unsqueeze(-1)).to(torch.int8)
    weight = torch.bitwise_and(weight, (2 ** bits) - 1)
    weight = weight.reshape(weight.shape[0] * weight.shape[1], weight.shape[2])
    return scales[g_idx.long()] * (weight - zeros[g_idx.long()])


AWQ_ORDER = [0, 2, 4, 6, 1, 3, 5, 7]
AWQ_REVERSE_ORDER = [0, 4, 1, 5, 2, 6, 3, 7]


def unpack_awq(qweight, qzeros, bits):
    """AutoAWQ awq/utils/packing_utils.py."""
    shifts = torch.arange(0, 32, bits)
    iweights = torch.bitwise_right_shift(qweight[:, :, None], shifts[None, None, :]).to(torch.int8)
    iweights = iweights.view(iweights.shape[0], -1)
    izeros = torch.bitwise_right_shift(qzeros[:, :, None], shifts[None, None, :]).to(torch.int8)
    izeros = izeros.view(izeros.shape[0], -1)
    return iweights, izeros


def reverse_awq_order(iweights, izeros, bits):
    """AutoAWQ awq/utils/packing_utils.py."""
    reverse_order_tensor = torch.arange(iweights.shape[-1], dtype=torch.int32)
    reverse_order_tensor = reverse_order_tensor.view(-1, 32 // bits)
    reverse_order_tensor = reverse_order_tensor[:, AWQ_REVERSE_ORDER]
    reverse_order_tensor = reverse_order_tensor.view(-1)
    izeros = izeros[:, reverse_order_tensor]
    iweights = iweights[:, reverse_order_tensor]
    return iweights, izeros


def awq_dequantize_gemm(qweight, qzeros, scales, bits, group_size):
    """AutoAWQ awq/utils/packing_utils.py dequantize_gemm."""
    iweight, izeros = unpack_awq(qweight, qzeros, bits)
    iweight, izeros = reverse_awq_order(iweight, izeros, bits)
    iweight = torch.bitwise_and(iweight, (2 ** bits) - 1)
    izeros = torch.bitwise_and(izeros, (2 ** bits) - 1)
    scales = scales.repeat_interleave(group_size, dim=0)
    izeros = izeros.repeat_interleave(group_size, dim=0)
    return (iweight - izeros) * scales


def awq():
    """An nn.Linear weight [N][K] quantized as AutoAWQ's pseudo_quantize_tensor (zero point, 4 bits) and packed as
    WQLinear_GEMM.from_linear does."""
    k, n, group, bits = 64, 32, 32, 4
    w = torch.from_numpy(rng.standard_normal((n, k)).astype(np.float32))
    wg = w.reshape(-1, group)
    max_val = wg.amax(dim=1, keepdim=True)
    min_val = wg.amin(dim=1, keepdim=True)
    scales = ((max_val - min_val).clamp(min=1e-5) / 15).to(torch.float16).float()
    zeros = (-torch.round(min_val / scales)).clamp_(0, 15)
    scales = scales.view(n, -1)
    zeros = zeros.view(n, -1)
    scale_zeros = zeros * scales
    intweight = []
    for idx in range(k):
        intweight.append(torch.round((w[:, idx] + scale_zeros[:, idx // group]) / scales[:, idx // group])
                         .clamp(0, 15).to(torch.int)[:, None])
    intweight = torch.cat(intweight, dim=1).t().contiguous().to(torch.int32)  # [K][N]
    pack_num = 32 // bits
    qweight = torch.zeros((k, n // 32 * bits), dtype=torch.int32)
    for col in range(n // pack_num):
        for i in range(pack_num):
            qweight[:, col] |= intweight[:, col * pack_num + AWQ_ORDER[i]] << (i * bits)
    zeros_t = zeros.t().contiguous().to(torch.int32)  # [K / group][N]
    qzeros = torch.zeros((k // group, n // 32 * bits), dtype=torch.int32)
    for col in range(n // pack_num):
        for i in range(pack_num):
            qzeros[:, col] |= zeros_t[:, col * pack_num + AWQ_ORDER[i]] << (i * bits)
    scales16 = scales.t().contiguous().to(torch.float16)  # [K / group][N]
    scales_bf = scales16.to(torch.bfloat16)
    w16 = awq_dequantize_gemm(qweight, qzeros, scales16, bits, group)
    wbf = awq_dequantize_gemm(qweight, qzeros, scales_bf, bits, group)
    assert w16.dtype == torch.float16 and wbf.dtype == torch.bfloat16
    return {"k": k, "n": n, "group": group,
            "qweight": [[int(v) & 0xFFFFFFFF for v in row] for row in qweight.tolist()],
            "qzeros": [[int(v) & 0xFFFFFFFF for v in row] for row in qzeros.tolist()],
            "scales_fp16": [[int(v) & 0xFFFF for v in row] for row in scales16.view(torch.int16).to(torch.int32).tolist()],
            "scales_bf16": [[int(v) & 0xFFFF for v in row] for row in scales_bf.view(torch.int16).to(torch.int32).tolist()],
            "dequant_fp16": [[int(v) & 0xFFFF for v in row] for row in w16.view(torch.int16).to(torch.int32).tolist()],
            "dequant_bf16": [[int(v) & 0xFFFF for v in row] for row in wbf.view(torch.int16).to(torch.int32).tolist()]}


def main():
    rows, prods = rne()
    e8m0 = [value(v) for v in np.arange(256, dtype=np.uint8).view(ml_dtypes.float8_e8m0fnu).astype(np.float64)]
    doc = {"generator": "scripts/dequant/make_vectors.py",
           "versions": {"numpy": np.__version__, "ml_dtypes": ml_dtypes.__version__, "torch": torch.__version__},
           "mx_elements": mx_elements(), "e8m0": e8m0, "rne16": rows, "rne32": prods, "gptq": gptq(), "awq": awq()}
    json.dump(doc, sys.stdout, indent=None, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

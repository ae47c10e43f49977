#!/usr/bin/env python3
"""Conformance vectors from the real frameworks, for the golden models and the RTL of qforge.

Run by hand (never by the test suite), from the repository root:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install --retries 0 tensorflow_cpu onnx onnxruntime numpy
    /tmp/venv/bin/python scripts/conformance/make_vectors.py

It writes generators/src/test/resources/conformance/{tflite_fully_connected,onnx_matmul}.json
(one case per line; deterministic for the same package versions, which each file names).

TFLite: small Keras Dense layers, converted with the TFLite converter to full int8 (representative
dataset; per-channel weights, the default, and per-tensor weights; input zero points zero and
non-zero; RELU, RELU6, no activation), run in the TFLite interpreter. The parameters are read from
the interpreter's tensor details; the multiplier/shift per output channel is computed exactly as
TFLite's QuantizeMultiplier does (kernel_util.cc, quantization_util.cc). Rows are random int8
inputs, plus rows searched for ties: outputs where the single rounding (TFLITE_SINGLE_ROUNDING) and
the double rounding (gemmlowp) of MultiplyByQuantizedMultiplier differ. The script checks which
of the two TFLite's outputs follow and records the counts in the file.

ONNX: QLinearMatMul and MatMulInteger graphs (onnx.helper), int8 and uint8, run in onnxruntime.
"""
import json
import math
import os
import sys

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
from onnx import TensorProto, helper  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "generators", "src", "test", "resources",
                   "conformance")
INT32_MIN, INT32_MAX = -(1 << 31), (1 << 31) - 1


# ---- TFLite's integer rules, re-implemented here only to find ties and to say which rule TFLite follows ----

def quantize_multiplier(real, single_rounding):
    """QuantizeMultiplier (quantization_util.cc): frexp, round half away from zero (TfLiteRound)."""
    if real == 0:
        return 0, 0
    q, shift = math.frexp(real)
    q_fixed = math.floor(q * (1 << 31) + 0.5)  # q > 0 and q * 2^31 exact: half away from zero
    if q_fixed == 1 << 31:
        q_fixed //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    if single_rounding and shift > 30:
        return (1 << 31) - 1, 30
    return q_fixed, shift


def srdhm(a, b):
    """gemmlowp SaturatingRoundingDoublingHighMul."""
    if a == INT32_MIN and b == INT32_MIN:
        return INT32_MAX
    ab = a * b
    nudge = (1 << 30) if ab >= 0 else 1 - (1 << 30)
    t = ab + nudge
    return int(t / (1 << 31)) if abs(t) < (1 << 52) else (abs(t) >> 31) * (1 if t >= 0 else -1)


def rounding_divide_by_pot(x, exponent):
    """gemmlowp RoundingDivideByPOT: ties away from zero."""
    mask = (1 << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> exponent) + (1 if remainder > threshold else 0)


def mbqm(x, multiplier, shift, single_rounding):
    """MultiplyByQuantizedMultiplier (common.h / common.cc) in both builds."""
    if single_rounding:
        total = 31 - shift
        return (x * multiplier + (1 << (total - 1))) >> total
    left = max(shift, 0)
    right = max(-shift, 0)
    return rounding_divide_by_pot(srdhm(x * (1 << left), multiplier), right)


def activation_range(activation, scale, zero_point):
    """CalculateActivationRangeQuantized (kernel_util.cc), int8: bounds quantized with float32 division."""
    def q(f):
        v = float(np.float32(f) / np.float32(scale))
        return zero_point + int(math.copysign(math.floor(abs(v) + 0.5), v))
    lo, hi = -128, 127
    if activation in ("RELU", "RELU6"):
        lo = max(lo, q(0.0))
    if activation == "RELU6":
        hi = min(hi, q(6.0))
    return lo, hi


# ---- TFLite models ----

def tflite_model(name, k, n, activation, per_channel, input_range, seed):
    rng = np.random.default_rng(seed)
    act = {"NONE": None, "RELU": "relu", "RELU6": tf.nn.relu6}[activation]
    keras_model = tf.keras.Sequential([tf.keras.Input(shape=(k,)), tf.keras.layers.Dense(n, activation=act)])
    w = rng.normal(0, 1.0 / math.sqrt(k), size=(k, n)).astype(np.float32)
    w[:, 0] *= 0.1  # per-channel scales that differ by 10x
    b = rng.normal(0, 0.5, size=(n,)).astype(np.float32)
    keras_model.layers[-1].set_weights([w, b])
    lo, hi = input_range

    def representative():
        r = np.random.default_rng(seed + 1)
        for _ in range(200):
            yield [r.uniform(lo, hi, size=(1, k)).astype(np.float32)]

    converter = tf.lite.TFLiteConverter.from_keras_model(keras_model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    if not per_channel:
        converter._experimental_disable_per_channel = True
    model = converter.convert()

    interp = tf.lite.Interpreter(model_content=model)
    interp.allocate_tensors()
    ops = [op for op in interp._get_ops_details() if op["op_name"] == "FULLY_CONNECTED"]
    assert len(ops) == 1, [op["op_name"] for op in interp._get_ops_details()]
    fc = ops[0]
    details = {d["index"]: d for d in interp.get_tensor_details()}
    in_t, w_t, b_t = (details[i] for i in fc["inputs"])
    out_t = details[fc["outputs"][0]]
    in_scale, in_zp = float(in_t["quantization_parameters"]["scales"][0]), int(in_t["quantization_parameters"]["zero_points"][0])
    out_scale, out_zp = float(out_t["quantization_parameters"]["scales"][0]), int(out_t["quantization_parameters"]["zero_points"][0])
    w_scales = [float(s) for s in w_t["quantization_parameters"]["scales"]]
    assert all(z == 0 for z in w_t["quantization_parameters"]["zero_points"])
    assert (len(w_scales) == n) == per_channel, (name, len(w_scales))
    weights = interp.get_tensor(w_t["index"]).astype(np.int64)  # n x k
    bias = interp.get_tensor(b_t["index"]).astype(np.int64)
    assert weights.shape == (n, k) and bias.shape == (n,)
    # as PopulateConvolutionQuantizationParams / GetQuantizedConvolutionMultipler: in double
    reals = [np.float64(np.float32(in_scale)) * np.float64(np.float32(w_scales[c if per_channel else 0]))
             / np.float64(np.float32(out_scale)) for c in range(n)]
    mult_single = [quantize_multiplier(float(r), True) for r in reals]
    mult_double = [quantize_multiplier(float(r), False) for r in reals]
    assert mult_single == mult_double, "a shift above 30 would make the two builds' parameters differ"
    act_min, act_max = activation_range(activation, np.float32(out_scale), out_zp)

    # the graph's input and output: int8, possibly with a QUANTIZE-free reshape around the FC
    inp = interp.get_input_details()[0]
    outp = interp.get_output_details()[0]
    assert inp["dtype"] == np.int8 and outp["dtype"] == np.int8

    def run(x):
        interp.resize_tensor_input(inp["index"], [x.shape[0], k])
        interp.allocate_tensors()
        interp.set_tensor(inp["index"], x.astype(np.int8))
        interp.invoke()
        return interp.get_tensor(outp["index"]).astype(np.int64)

    def reference(x, single):
        acc = (x - in_zp) @ weights.T + bias
        y = np.empty_like(acc)
        for i in range(acc.shape[0]):
            for c in range(n):
                m, s = mult_single[c]
                y[i, c] = min(act_max, max(act_min, mbqm(int(acc[i, c]), m, s, single) + out_zp))
        return y

    # random rows, and a search over many random rows for ties where the two roundings differ
    search = rng.integers(-128, 128, size=(4000, k))
    y_search = run(search)
    single, double = reference(search, True), reference(search, False)
    assert (y_search == single).all(), name + ": TFLite disagrees with TFLITE_SINGLE_ROUNDING"
    differ = np.nonzero((single != double).any(axis=1))[0]
    disagree_double = int((y_search != double).sum())
    rows = np.concatenate([search[:24], search[differ[:24]]])
    y = run(rows)
    assert (y == reference(rows, True)).all()
    return {
        "name": name, "activation": activation, "perChannel": per_channel, "m": int(rows.shape[0]), "k": k, "n": n,
        "inputScale": in_scale, "inputZeroPoint": in_zp, "weightScales": w_scales, "outputScale": out_scale,
        "outputZeroPoint": out_zp, "actMin": act_min, "actMax": act_max,
        "multiplier": [m for m, _ in mult_single], "shift": [s for _, s in mult_single],
        "tieRows": int(min(24, len(differ))),
        "searchedRows": int(search.shape[0]), "searchedOutputsWhereRoundingsDiffer": int((single != double).sum()),
        "searchedOutputsWhereTfliteDisagreesWithDouble": disagree_double,
        "input": rows.flatten().tolist(), "weights": weights.flatten().tolist(), "bias": bias.tolist(),
        "output": y.flatten().tolist(),
    }


TFLITE_CASES = [
    # name, k, n, activation, per channel, representative input range (sets the input zero point), seed
    ("pc_none_zp_m1", 16, 8, "NONE", True, (-1.0, 1.0), 1),
    ("pc_relu_zp_m128", 24, 10, "RELU", True, (0.0, 4.0), 2),
    ("pc_relu6_zp_pos", 32, 12, "RELU6", True, (-0.55, 0.45), 3),
    ("pc_none_zp_pos", 40, 16, "NONE", True, (-2.0, 0.8), 4),
    ("pt_none_zp_m1", 16, 8, "NONE", False, (-1.0, 1.0), 5),
    ("pt_relu_zp_pos", 48, 9, "RELU", False, (-3.0, 0.5), 6),
    ("pt_relu6_zp_m128", 64, 16, "RELU6", False, (0.0, 2.0), 7),
    ("pc_relu_zp_neg", 64, 5, "RELU", True, (-0.3, 2.5), 8),
]


# ---- ONNX ----

def onnx_case(op, name, m, k, n, a_type, b_type, a_zp, b_zp, seed):
    rng = np.random.default_rng(seed)
    np_type = {"int8": np.int8, "uint8": np.uint8}
    onnx_type = {"int8": TensorProto.INT8, "uint8": TensorProto.UINT8}
    lo = {"int8": -128, "uint8": 0}
    a = rng.integers(lo[a_type], lo[a_type] + 256, size=(m, k)).astype(np_type[a_type])
    b = rng.integers(lo[b_type], lo[b_type] + 256, size=(k, n)).astype(np_type[b_type])
    a_zp_t = np.array(a_zp, dtype=np_type[a_type])
    b_zp_t = np.array(b_zp, dtype=np_type[b_type])
    case = {"op": op, "name": name, "m": m, "k": k, "n": n, "aType": a_type, "bType": b_type,
            "aZeroPoint": np.atleast_1d(a_zp_t).astype(int).tolist(), "bZeroPoint": np.atleast_1d(b_zp_t).astype(int).tolist(),
            "a": a.flatten().astype(int).tolist(), "b": b.flatten().astype(int).tolist()}
    if op == "MatMulInteger":
        nodes = [helper.make_node("MatMulInteger", ["A", "B", "a_zp", "b_zp"], ["Y"])]
        inits = [helper.make_tensor("a_zp", onnx_type[a_type], a_zp_t.shape, a_zp_t.flatten().tolist()),
                 helper.make_tensor("b_zp", onnx_type[b_type], b_zp_t.shape, b_zp_t.flatten().tolist())]
        y_info = helper.make_tensor_value_info("Y", TensorProto.INT32, [m, n])
    else:
        a_scale = np.float32(rng.uniform(0.005, 0.05))
        b_scale = np.float32(rng.uniform(0.005, 0.05))
        # y scale so that results spread over the output range
        y_scale = np.float32(a_scale * b_scale * math.sqrt(k) * 128 / 40)
        y_zp = np.array(int(rng.integers(-20, 20)) + (128 if a_type == "uint8" else 0), dtype=np_type[a_type])
        nodes = [helper.make_node("QLinearMatMul", ["A", "a_scale", "a_zp", "B", "b_scale", "b_zp", "y_scale", "y_zp"], ["Y"])]
        inits = [helper.make_tensor("a_scale", TensorProto.FLOAT, [], [float(a_scale)]),
                 helper.make_tensor("a_zp", onnx_type[a_type], a_zp_t.shape, a_zp_t.flatten().tolist()),
                 helper.make_tensor("b_scale", TensorProto.FLOAT, [], [float(b_scale)]),
                 helper.make_tensor("b_zp", onnx_type[b_type], b_zp_t.shape, b_zp_t.flatten().tolist()),
                 helper.make_tensor("y_scale", TensorProto.FLOAT, [], [float(y_scale)]),
                 helper.make_tensor("y_zp", onnx_type[a_type], [], [int(y_zp)])]
        y_info = helper.make_tensor_value_info("Y", onnx_type[a_type], [m, n])
        case.update({"aScale": float(a_scale), "bScale": float(b_scale), "yScale": float(y_scale), "yZeroPoint": int(y_zp),
                     "yType": a_type})
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("A", onnx_type[a_type], [m, k]),
                                            helper.make_tensor_value_info("B", onnx_type[b_type], [k, n])], [y_info], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])
    model.ir_version = 10
    onnx.checker.check_model(model)
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    y = sess.run(None, {"A": a, "B": b})[0]
    case["y"] = y.flatten().astype(int).tolist()
    return case


ONNX_CASES = [
    ("MatMulInteger", "mmi_u8_s8_zp", 12, 40, 10, "uint8", "int8", 131, 0, 11),
    ("MatMulInteger", "mmi_s8_s8", 9, 33, 16, "int8", "int8", 0, 0, 12),
    ("MatMulInteger", "mmi_s8_s8_zp", 9, 33, 16, "int8", "int8", -7, 0, 13),
    ("MatMulInteger", "mmi_u8_u8_zps", 6, 20, 7, "uint8", "uint8", 120, 128, 14),
    ("MatMulInteger", "mmi_s8_s8_bzp_per_column", 5, 17, 6, "int8", "int8", 3, [1, -2, 0, 5, -9, 4], 15),
    ("QLinearMatMul", "qlmm_s8", 10, 32, 12, "int8", "int8", 5, 0, 16),
    ("QLinearMatMul", "qlmm_u8", 10, 32, 12, "uint8", "uint8", 128, 121, 17),
    ("QLinearMatMul", "qlmm_u8_s8", 8, 48, 9, "uint8", "int8", 100, 0, 18),
]


def write(name, header, cases):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        f.write("{\"generator\": " + json.dumps(header) + ",\n\"cases\": [\n")
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    print(path, os.path.getsize(path), "bytes", file=sys.stderr)


def main():
    os.makedirs(OUT, exist_ok=True)
    tf.keras.utils.set_random_seed(0)
    tfl = [tflite_model(*c) for c in TFLITE_CASES]
    write("tflite_fully_connected.json",
          {"script": "scripts/conformance/make_vectors.py", "tensorflow": tf.__version__, "numpy": np.__version__,
           "rule": "every output of every searched row equals MultiplyByQuantizedMultiplier with TFLITE_SINGLE_ROUNDING"},
          tfl)
    onx = [onnx_case(*c) for c in ONNX_CASES]
    write("onnx_matmul.json", {"script": "scripts/conformance/make_vectors.py", "onnx": onnx.__version__,
                               "onnxruntime": ort.__version__, "numpy": np.__version__}, onx)
    for c in tfl:
        print(c["name"], "in_zp", c["inputZeroPoint"], "out_zp", c["outputZeroPoint"], "act", c["actMin"], c["actMax"],
              "ties", c["tieRows"], "differ", c["searchedOutputsWhereRoundingsDiffer"],
              "tflite!=double", c["searchedOutputsWhereTfliteDisagreesWithDouble"], file=sys.stderr)


if __name__ == "__main__":
    main()

"""Runs the jobs of a JSON file through the generated Python driver; writes two lines per job to the
results file: the result (Y as a JSON matrix, the dequantized lanes' bits, or an attention step's
[O, dropped]) and RESULTS.
argv: the design folder, the jobs file, the results file."""
import json
import sys

sys.path[:0] = [sys.argv[1]]
from qforge_shell import Shell  # noqa: E402

with open(sys.argv[2]) as f:
    jobs = json.load(f)
shell = Shell("design.bit")
with open(sys.argv[3], "w") as out:
    for job in jobs:
        if job["kind"] == "gemm":
            result = shell.gemm(job["a"], job["b"], job.get("bias"), job.get("zp", 0), job.get("requant")).tolist()
        elif job["kind"] == "attention":
            o, dropped = shell.attention(job["q"], job["k"], job["v"], job["first"])
            result = [o.tolist(), dropped]
        else:
            result = shell.dequant(job["codes"], job["scales"])[0].tolist()
        out.write(json.dumps(result) + "\n")
        out.write("%d\n" % shell.counters()["RESULTS"])

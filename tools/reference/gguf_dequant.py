#!/usr/bin/python3
"""Dequantized values of one GGUF tensor as a flat JSON list in ggml element order.

usage: /usr/bin/python3 tools/reference/gguf_dequant.py MODEL.gguf TENSOR_NAME [--out FILE.json]

ggml element order: dims[0] (the row) varies fastest, i.e. row 0 first. Values
are float32 (dequantization of F32/F16/BF16/Q8_0/Q4_0/Q4_K/Q5_K/Q6_K is exact in float32),
printed as the exact decimal of each float32. Developer-machine tool, not run in CI.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gguf_reader import GGUFFile, GGUFError, float_json  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("model", help="path to a GGUF v3 file")
    ap.add_argument("tensor", help="tensor name, e.g. blk.0.attn_q.weight")
    ap.add_argument("--out", help="output JSON file (default: stdout)")
    args = ap.parse_args(argv)
    try:
        g = GGUFFile(args.model)
        if not g.has(args.tensor):
            raise GGUFError("no tensor named %r in %s" % (args.tensor, args.model))
        text = float_json(g.tensor(args.tensor).reshape(-1)) + "\n"
    except GGUFError as e:
        sys.exit("gguf_dequant: error: %s" % e)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()

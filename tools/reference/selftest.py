#!/usr/bin/python3
"""Self-check of the reference tools (parser, dequantization, forward passes).

usage: /usr/bin/python3 tools/reference/selftest.py [--keep DIR]

Builds tiny random GGUF models with make_selftest_gguf.py in a temporary folder
and checks:
  * dequantization of hand-made blocks (F16, BF16, Q8_0, Q4_0) - independent of the writer;
  * metadata parsing of every value type, alignment, tensor dims / types / offsets;
  * quantization error of F16/BF16/Q8_0/Q4_0 within ggml's expected bounds;
  * the torch forward (gguf_logits.py) against a second, straightforward numpy
    implementation in this file (position by position, explicit KV cache, rope with
    explicit cos/sin on pairs) to 1e-9 - on the ORIGINAL weights for F32 models, on
    the dequantized weights for quantized ones - for llama, qwen2 and gpt2;
  * causality (a prefix's logits do not depend on later tokens);
  * the two command lines end to end (JSON shape and values).
Prints one line per check and ends with 'N passed, N failed'. Developer machine only.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gguf_reader as R  # noqa: E402
import make_selftest_gguf as M  # noqa: E402
import gguf_logits as L  # noqa: E402

TOL = 1e-9
RESULTS = []


def check(name, ok, detail=""):
    RESULTS.append(bool(ok))
    print("%s  %s%s" % ("PASS" if ok else "FAIL", name, ("  (" + detail + ")") if detail else ""))


# ------------------------------------------------- independent numpy forward


def np_rmsnorm(x, w, eps):
    return x / np.sqrt(np.mean(x * x) + eps) * w


def np_layernorm(x, w, b, eps):
    mu = np.mean(x)
    var = np.mean((x - mu) ** 2)
    return (x - mu) / np.sqrt(var + eps) * w + b


def np_rope_vec(v, pos, rot_dim, base, neox):
    """Rotate one head vector at position pos, pair by pair with cos/sin."""
    out = v.copy()
    half = rot_dim // 2
    for i in range(half):
        theta = pos * base ** (-2.0 * i / rot_dim)
        c, s = np.cos(theta), np.sin(theta)
        a_idx, b_idx = (i, i + half) if neox else (2 * i, 2 * i + 1)
        a, b = v[a_idx], v[b_idx]
        out[a_idx] = a * c - b * s
        out[b_idx] = a * s + b * c
    return out


def np_forward(arch, cfg, w, tokens):
    """Straightforward autoregressive forward: one position at a time, KV cache."""
    w = {k: np.asarray(v, dtype=np.float64) for k, v in w.items()}
    E, H, KV = cfg["n_embd"], cfg["n_head"], cfg["n_head_kv"]
    hd = E // H
    rot = cfg.get("rope_dim") or hd
    eps = cfg["eps"]
    neox = arch == "qwen2"
    kc = [[] for _ in range(cfg["n_layer"])]
    vc = [[] for _ in range(cfg["n_layer"])]
    out_w = w.get("output.weight", w["token_embd.weight"])
    all_logits = []
    for pos, tok in enumerate(tokens):
        x = w["token_embd.weight"][tok].copy()
        if arch == "gpt2":
            x = x + w["position_embd.weight"][pos]
        for il in range(cfg["n_layer"]):
            p = "blk.%d." % il
            if arch == "gpt2":
                h = np_layernorm(x, w[p + "attn_norm.weight"], w[p + "attn_norm.bias"], eps)
                qkv = w[p + "attn_qkv.weight"].dot(h) + w[p + "attn_qkv.bias"]
                q, k, v = qkv[:H * hd], qkv[H * hd:H * hd + KV * hd], qkv[H * hd + KV * hd:]
            else:
                h = np_rmsnorm(x, w[p + "attn_norm.weight"], eps)
                q = w[p + "attn_q.weight"].dot(h)
                k = w[p + "attn_k.weight"].dot(h)
                v = w[p + "attn_v.weight"].dot(h)
                if arch == "qwen2":
                    q = q + w[p + "attn_q.bias"]
                    k = k + w[p + "attn_k.bias"]
                    v = v + w[p + "attn_v.bias"]
                q = np.concatenate([np_rope_vec(q[j * hd:(j + 1) * hd], pos, rot, cfg["rope_base"], neox)
                                    for j in range(H)])
                k = np.concatenate([np_rope_vec(k[j * hd:(j + 1) * hd], pos, rot, cfg["rope_base"], neox)
                                    for j in range(KV)])
            kc[il].append(k)
            vc[il].append(v)
            attn = np.zeros(H * hd)
            group = H // KV
            for hq in range(H):
                kvh = hq // group
                qh = q[hq * hd:(hq + 1) * hd]
                scores = np.array([qh.dot(kk[kvh * hd:(kvh + 1) * hd]) for kk in kc[il]]) / np.sqrt(hd)
                e = np.exp(scores - scores.max())
                prob = e / e.sum()
                for j, vv in enumerate(vc[il]):
                    attn[hq * hd:(hq + 1) * hd] += prob[j] * vv[kvh * hd:(kvh + 1) * hd]
            o = w[p + "attn_output.weight"].dot(attn)
            if arch == "gpt2":
                o = o + w[p + "attn_output.bias"]
            x = x + o
            if arch == "gpt2":
                h = np_layernorm(x, w[p + "ffn_norm.weight"], w[p + "ffn_norm.bias"], eps)
                u = w[p + "ffn_up.weight"].dot(h) + w[p + "ffn_up.bias"]
                u = 0.5 * u * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (u + 0.044715 * u ** 3)))
                x = x + w[p + "ffn_down.weight"].dot(u) + w[p + "ffn_down.bias"]
            else:
                h = np_rmsnorm(x, w[p + "ffn_norm.weight"], eps)
                gt = w[p + "ffn_gate.weight"].dot(h)
                gt = gt / (1.0 + np.exp(-gt))
                up = w[p + "ffn_up.weight"].dot(h)
                x = x + w[p + "ffn_down.weight"].dot(gt * up)
        if arch == "gpt2":
            xf = np_layernorm(x, w["output_norm.weight"], w["output_norm.bias"], eps)
        else:
            xf = np_rmsnorm(x, w["output_norm.weight"], eps)
        all_logits.append(out_w.dot(xf))
    return np.array(all_logits)


# ------------------------------------------------- checks


def f16(v):
    return np.float16(v).view(np.uint16).tobytes()


def test_handmade_blocks():
    # Q8_0: d = 0.5, q = -16..15 -> x = 0.5*q
    q = np.arange(-16, 16, dtype=np.int8)
    raw = np.frombuffer(f16(0.5) + q.tobytes(), dtype=np.uint8)
    got = R.dequantize(raw, R.GGML_Q8_0, 32)
    check("Q8_0 hand-made block", np.array_equal(got, 0.5 * q.astype(np.float32)))
    # Q4_0: d = 0.25, byte j = j | (15-j)<<4 -> x[j] = 0.25*(j-8), x[j+16] = 0.25*(7-j)
    qs = bytes([j | ((15 - j) << 4) for j in range(16)])
    raw = np.frombuffer(f16(0.25) + qs + f16(-2.0) + bytes([0x8F] * 16), dtype=np.uint8)
    got = R.dequantize(raw, R.GGML_Q4_0, 64)
    exp = [0.25 * (j - 8) for j in range(16)] + [0.25 * (7 - j) for j in range(16)]
    exp += [-2.0 * 7] * 16 + [-2.0 * 0] * 16  # low nibble 0xF -> 7, high nibble 0x8 -> 0
    check("Q4_0 hand-made blocks (nibble order)", np.array_equal(got, np.array(exp, np.float32)))
    # F16 / BF16 / F32
    vals = [1.0, -2.5, 65504.0, 2.0 ** -24, 0.0]
    got = R.dequantize(np.frombuffer(np.array(vals, "<f2").tobytes(), np.uint8), R.GGML_F16, 5)
    check("F16 hand-made", np.array_equal(got, np.array(vals, np.float32)))
    bf = np.array([0x3F80, 0xC020, 0x4049, 0x0000], "<u2")  # 1.0, -2.5, 3.140625, 0
    got = R.dequantize(np.frombuffer(bf.tobytes(), np.uint8), R.GGML_BF16, 4)
    check("BF16 hand-made", np.array_equal(got, np.array([1.0, -2.5, 3.140625, 0.0], np.float32)))
    got = R.dequantize(np.frombuffer(np.array([1.5, -3.25], "<f4").tobytes(), np.uint8), R.GGML_F32, 2)
    check("F32 hand-made", np.array_equal(got, np.array([1.5, -3.25], np.float32)))


def test_quantizer_rules():
    # Q4_0 with a negative extreme: max = -1 -> d = 0.125; 0.5 -> 0.5*8+8.5 = 12.5 -> 12
    x = np.zeros(32, np.float32)
    x[0], x[1], x[2], x[17] = -1.0, 0.5, 1.0, 0.3
    raw = np.frombuffer(M.quantize_q4_0(x), np.uint8)
    d = raw[:2].copy().view("<f2")[0]
    qs = raw[2:]
    ok = d == np.float16(0.125) and (qs[0] & 15) == 0 and (qs[1] & 15) == 12
    ok = ok and (qs[2] & 15) == 15 and (qs[1] >> 4) == 10 and (qs[3] & 15) == 8  # 1.0 -> 16.5 clipped
    check("Q4_0 writer follows ggml rounding/clipping", ok)
    x = np.linspace(-1.27, 1.27, 32).astype(np.float32)
    raw = np.frombuffer(M.quantize_q8_0(x), np.uint8)
    q = raw[2:].view(np.int8)
    check("Q8_0 writer: d = amax/127, q = round(x/d)",
          raw[:2].copy().view("<f2")[0] == np.float16(np.float32(1.27) / 127)
          and q[0] == -127 and q[-1] == 127 and np.all(np.abs(q.astype(int) - np.round(x / 0.01)) <= 1))
    zero = np.frombuffer(M.quantize_q4_0(np.zeros(32, np.float32)) + M.quantize_q8_0(np.zeros(32, np.float32)),
                         np.uint8)
    check("zero blocks dequantize to zero",
          not R.dequantize(zero[:18], R.GGML_Q4_0, 32).any() and not R.dequantize(zero[18:], R.GGML_Q8_0, 32).any())


def test_quant_error(tmp):
    rng = np.random.default_rng(7)
    x = (rng.standard_normal((8, 128)) * rng.uniform(0.01, 5, (8, 1))).astype(np.float32)
    x[3, 32:64] = 0.0  # an all-zero block
    x[5, :32] = -np.abs(x[5, :32])  # a block whose extreme is negative
    path = os.path.join(tmp, "quant.gguf")
    types = [R.GGML_F32, R.GGML_F16, R.GGML_BF16, R.GGML_Q8_0, R.GGML_Q4_0]
    M.write_gguf(path, [("general.architecture", R.T_STRING, "none")],
                 [("t%d" % t, x, t) for t in types])
    g = R.GGUFFile(path)
    blocks = x.reshape(-1, 32).astype(np.float64)
    amax = np.abs(blocks).max(axis=1, keepdims=True)
    for t in types:
        got = g.tensor("t%d" % t).astype(np.float64)
        ok_shape = got.shape == x.shape
        err = np.abs(got - x).reshape(-1, 32)
        if t == R.GGML_F32:
            ok = np.array_equal(got, x)
        elif t == R.GGML_F16:
            ok = np.all(err <= np.abs(blocks) * 2.0 ** -11 + 2.0 ** -25)
        elif t == R.GGML_BF16:
            ok = np.all(err <= np.abs(blocks) * 2.0 ** -8)
        elif t == R.GGML_Q8_0:  # half a step, plus fp16 rounding of d over |q| <= 127
            d = amax / 127
            ok = np.all(err <= d * (0.5 + 127 * 2.0 ** -11) + 1e-12)
        else:  # Q4_0: half a step except the clipped +8 end (one step), plus fp16 rounding of d
            d = amax / 8
            ok = np.all(err <= d * (1.0 + 8 * 2.0 ** -11) + 1e-12)
            ok = ok and np.mean(err <= d * (0.5 + 8 * 2.0 ** -11) + 1e-12) > 0.95
        check("dequant %s within expected error" % R.GGML_TYPES[t][0], ok_shape and ok,
              "max abs err %.3g" % err.max())
        # the tensor's raw bytes re-encode identically (writer deterministic, reader offsets right)
        check("raw bytes of %s at the right offset" % R.GGML_TYPES[t][0],
              g.raw_bytes("t%d" % t).tobytes() == M.encode_tensor(x, t))


def test_metadata(built):
    path, arch, qt, cfg, w = built["llama-f32"]
    g = R.GGUFFile(path)
    md = g.metadata
    exp = {"selftest.u8": 200, "selftest.i8": -100, "selftest.u16": 60000, "selftest.i16": -30000,
           "selftest.u32": 4000000000, "selftest.i32": -2000000000, "selftest.f32": 0.5,
           "selftest.bool": True, "selftest.str": "h\u00e9llo \u4e16\u754c", "selftest.u64": 2 ** 63 + 5,
           "selftest.i64": -2 ** 62, "selftest.f64": 1.0 / 3.0, "selftest.arr_i32": [1, -2, 3],
           "selftest.arr_f32": [0.25, -1.5], "selftest.arr_bool": [True, False], "selftest.arr_empty": [],
           "selftest.arr_nested": [["a", "b"], [], ["c"]], "general.architecture": "llama",
           "llama.embedding_length": cfg["n_embd"]}
    bad = [k for k, v in exp.items() if md.get(k) != v or type(md.get(k)) is not type(v)]
    check("metadata of every value type parsed", not bad, "bad: %s" % bad if bad else "")
    check("string array parsed", md["tokenizer.ggml.tokens"][:2] == ["<t0>", "<t1>"]
          and len(md["tokenizer.ggml.tokens"]) == cfg["n_vocab"])
    ti = g.tensors["blk.0.ffn_down.weight"]
    check("tensor dims in ggml order", ti.dims == [cfg["n_ff"], cfg["n_embd"]]
          and g.tensor("blk.0.ffn_down.weight").shape == (cfg["n_embd"], cfg["n_ff"]))
    ok = all(np.array_equal(g.tensor(n), a) for n, a in w.items()) and set(g.tensors) == set(w)
    check("F32 tensors read back bit-exact", ok)
    check("default alignment 32", g.alignment == 32 and g.data_offset % 32 == 0
          and all(t.offset % 32 == 0 for t in g.tensors.values()))
    p2, _, _, _, w2 = built["llama-f32-tied-partialrope"]
    g2 = R.GGUFFile(p2)
    check("general.alignment = 64 honoured", g2.alignment == 64 and g2.data_offset % 64 == 0
          and all(np.array_equal(g2.tensor(n), a) for n, a in w2.items()))
    try:
        bad_path = os.path.join(os.path.dirname(path), "bad.gguf")
        with open(bad_path, "wb") as f:
            f.write(b"GGUX" + bytes(20))
        R.GGUFFile(bad_path)
        check("bad magic rejected", False)
    except R.GGUFError:
        check("bad magic rejected", True)


def test_forwards(built):
    rng = np.random.default_rng(11)
    for name, (path, arch, qt, cfg, w) in built.items():
        tokens = [int(t) for t in rng.integers(0, cfg["n_vocab"], 9)]
        got = L.compute_logits(path, tokens)
        if qt == R.GGML_F32:
            wref, what = w, "original weights"
        else:
            g = R.GGUFFile(path)
            wref, what = {n: g.tensor(n) for n in w}, "dequantized weights"
        exp = np_forward(arch, cfg, wref, tokens)
        diff = np.abs(got - exp).max()
        check("%s: torch forward == numpy KV-cache forward on %s" % (name, what),
              got.shape == (len(tokens), cfg["n_vocab"]) and diff <= TOL,
              "max |diff| %.2e, logit scale %.2f" % (diff, np.abs(exp).max()))
        if qt != R.GGML_F32:  # quantized logits stay near the float model's (informative bound)
            f32 = np_forward(arch, cfg, w, tokens)
            # weights: relative RMS quantization error of every 2-D tensor (Gaussian
            # data: F16 ~3e-4, BF16 ~2e-3, Q8_0 ~5e-3, Q4_0 ~9e-2)
            wlim = {R.GGML_F16: 5e-4, R.GGML_BF16: 4e-3, R.GGML_Q8_0: 8e-3, R.GGML_Q4_0: 0.12}[qt]
            werr = max(np.linalg.norm(wref[n] - a) / np.linalg.norm(a) for n, a in w.items() if a.ndim == 2)
            check("%s: every 2-D weight within quantization error" % name, werr < wlim,
                  "worst relative RMS %.3g" % werr)
            # logits: loose sanity bound only (tiny random models amplify weight noise)
            rel = np.linalg.norm(got - f32) / np.linalg.norm(f32)
            limit = {R.GGML_F16: 5e-3, R.GGML_BF16: 3e-2, R.GGML_Q8_0: 6e-2, R.GGML_Q4_0: 0.6}[qt]
            check("%s: logits near the unquantized model's" % name, rel < limit, "relative RMS diff %.3g" % rel)
    path, arch, qt, cfg, w = built["llama-f32"]
    full = L.compute_logits(path, [5, 6, 7, 8, 9])
    pre = L.compute_logits(path, [5, 6, 7, 1, 2])
    check("causal: prefix logits independent of later tokens", np.abs(full[:3] - pre[:3]).max() == 0
          and np.abs(full[3:] - pre[3:]).max() > 1e-3)
    # rope actually matters: a model without rope would give the same logits for the
    # last position after swapping the first two tokens
    a = L.compute_logits(path, [5, 6, 7])[-1]
    b = L.compute_logits(path, [6, 5, 7])[-1]
    check("llama: positions matter (rope applied)", np.abs(a - b).max() > 1e-6)


def test_rope_modes_agree(tmp):
    """llama.cpp's HF->GGUF conversion permutes llama's q/k rows so that ggml's NORM
    rope (adjacent pairs) on the permuted weights equals HF's rotate_half (NEOX) on
    the original ones: GGUF row 2i+j of a head is HF row j*hd/2+i. So a llama model
    and a qwen2 model (zero biases) holding the un-permuted q/k must agree."""
    cfg = dict(M.DEFAULT_CFG)
    w = M.make_weights("llama", cfg, seed=21)
    hd = cfg["n_embd"] // cfg["n_head"]

    def unpermute(a, n_head):  # GGUF (NORM) layout -> HF (NEOX) layout
        return a.reshape(n_head, hd // 2, 2, -1).swapaxes(1, 2).reshape(a.shape)

    wq = dict(w)
    for il in range(cfg["n_layer"]):
        p = "blk.%d." % il
        wq[p + "attn_q.weight"] = unpermute(w[p + "attn_q.weight"], cfg["n_head"])
        wq[p + "attn_k.weight"] = unpermute(w[p + "attn_k.weight"], cfg["n_head_kv"])
        for t, n in (("q", cfg["n_head"]), ("k", cfg["n_head_kv"]), ("v", cfg["n_head_kv"])):
            wq[p + "attn_%s.bias" % t] = np.zeros(n * hd, np.float32)
    pl, pq = os.path.join(tmp, "perm-llama.gguf"), os.path.join(tmp, "perm-qwen2.gguf")
    M.write_gguf(pl, M.make_metadata("llama", cfg), [(n, a, R.GGML_F32) for n, a in w.items()])
    M.write_gguf(pq, M.make_metadata("qwen2", cfg), [(n, a, R.GGML_F32) for n, a in wq.items()])
    tokens = [7, 3, 99, 0, 42, 42, 8]
    diff = np.abs(L.compute_logits(pl, tokens) - L.compute_logits(pq, tokens)).max()
    check("llama NORM rope on permuted q/k == qwen2 NEOX rope on HF-order q/k", diff <= TOL,
          "max |diff| %.2e" % diff)


def test_cli(built, tmp):
    path, arch, qt, cfg, w = built["llama-q4_0"]
    out = os.path.join(tmp, "logits.json")
    tokens = [3, 1, 4, 1, 5]
    subprocess.run([sys.executable, os.path.join(HERE, "gguf_logits.py"), path,
                    "--tokens", ",".join(map(str, tokens)), "--out", out], check=True)
    with open(out) as f:
        j = json.load(f)
    exp = L.compute_logits(path, tokens).astype(np.float32)
    arr = np.array(j["logits"], dtype=np.float64)
    check("gguf_logits.py JSON shape and values",
          j["model"] == os.path.basename(path) and j["tokens"] == tokens
          and arr.shape == (len(tokens), cfg["n_vocab"])
          and np.array_equal(arr.astype(np.float32), exp) and np.array_equal(arr.astype(np.float32), arr),
          "logits %dx%d" % arr.shape)
    res = subprocess.run([sys.executable, os.path.join(HERE, "gguf_dequant.py"), path,
                          "blk.1.ffn_down.weight"], check=True, capture_output=True, text=True)
    vals = json.loads(res.stdout)
    g = R.GGUFFile(path)
    check("gguf_dequant.py flat list in ggml order",
          isinstance(vals, list) and len(vals) == cfg["n_embd"] * cfg["n_ff"]
          and np.array_equal(np.array(vals, np.float32), g.tensor("blk.1.ffn_down.weight").reshape(-1))
          and np.array_equal(np.array(vals[:cfg["n_ff"]], np.float32),
                             g.tensor("blk.1.ffn_down.weight")[0]))


def main():
    keep = None
    if len(sys.argv) == 3 and sys.argv[1] == "--keep":
        keep = sys.argv[2]
    elif len(sys.argv) != 1:
        sys.exit("usage: selftest.py [--keep DIR]")
    tmp = keep or tempfile.mkdtemp(prefix="seriatim-ref-selftest-")
    try:
        built = M.build_all(tmp)
        test_handmade_blocks()
        test_quantizer_rules()
        test_quant_error(tmp)
        test_metadata(built)
        test_forwards(built)
        test_rope_modes_agree(tmp)
        test_cli(built, tmp)
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    n_fail = RESULTS.count(False)
    print("%d passed, %d failed" % (RESULTS.count(True), n_fail))
    sys.exit(1 if n_fail else 0)


if __name__ == "__main__":
    main()

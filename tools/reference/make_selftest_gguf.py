#!/usr/bin/python3
"""Throwaway GGUF v3 writer + tiny random models, for the reference tools' self-check.

usage: /usr/bin/python3 tools/reference/make_selftest_gguf.py OUT_DIR

Writes small seeded random models (llama / qwen2 / gpt2, F32 and quantized) into
OUT_DIR. Only meant to feed selftest.py until the Java GGUF writer exists; the
generated .gguf files are not committed. Quantization follows ggml's reference
quantizers (quantize_row_q8_0_ref / quantize_row_q4_0_ref), in float32 arithmetic.
"""

import os
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gguf_reader as R  # noqa: E402  (constants only; writing is independent)

# ---------------------------------------------------------------- quantizers


def to_f16_bytes(x):
    return np.asarray(x, dtype=np.float32).astype("<f2").tobytes()


def to_bf16_bytes(x):
    """float32 -> bf16 with round-to-nearest-even (finite inputs)."""
    u = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    r = (u + 0x7FFF + ((u >> 16) & 1)) >> 16
    return r.astype("<u2").tobytes()


def quantize_q8_0(x):
    """ggml Q8_0: per block of 32, d = amax/127, q = roundf(x/d) (half away from 0)."""
    x = np.asarray(x, dtype=np.float32).reshape(-1, 32)
    amax = np.abs(x).max(axis=1)
    d = (amax / np.float32(127)).astype(np.float32)
    with np.errstate(divide="ignore"):
        idv = np.where(d != 0, np.float32(1) / d, np.float32(0)).astype(np.float32)
    v = (x * idv[:, None]).astype(np.float32)
    v = v.astype(np.float64)  # roundf: half away from zero, no float32 rounding of v+0.5
    q = (np.sign(v) * np.floor(np.abs(v) + 0.5)).astype(np.int8)
    out = np.empty((x.shape[0], 34), dtype=np.uint8)
    out[:, 0:2] = d.astype("<f2").view(np.uint8).reshape(-1, 2)
    out[:, 2:] = q.view(np.uint8)
    return out.tobytes()


def quantize_q4_0(x):
    """ggml Q4_0: per block of 32, max = signed value of largest magnitude (first one
    on ties), d = max/-8, q = min(15, (int8)(x/d + 8.5)); element j in the low nibble
    of byte j, element j+16 in the high nibble."""
    x = np.asarray(x, dtype=np.float32).reshape(-1, 32)
    idx = np.argmax(np.abs(x), axis=1)
    mx = x[np.arange(x.shape[0]), idx]
    d = (mx / np.float32(-8)).astype(np.float32)
    with np.errstate(divide="ignore"):
        idv = np.where(d != 0, np.float32(1) / d, np.float32(0)).astype(np.float32)
    v = ((x * idv[:, None]).astype(np.float32) + np.float32(8.5)).astype(np.float32)
    q = np.minimum(15, np.trunc(v).astype(np.int32)).astype(np.uint8)
    out = np.empty((x.shape[0], 18), dtype=np.uint8)
    out[:, 0:2] = d.astype("<f2").view(np.uint8).reshape(-1, 2)
    out[:, 2:] = q[:, :16] | (q[:, 16:] << 4)
    return out.tobytes()


def encode_tensor(arr, ggml_type):
    arr = np.ascontiguousarray(arr, dtype=np.float32)
    if ggml_type == R.GGML_F32:
        return arr.astype("<f4").tobytes()
    if ggml_type == R.GGML_F16:
        return to_f16_bytes(arr)
    if ggml_type == R.GGML_BF16:
        return to_bf16_bytes(arr)
    if ggml_type == R.GGML_Q8_0:
        return quantize_q8_0(arr)
    if ggml_type == R.GGML_Q4_0:
        return quantize_q4_0(arr)
    raise ValueError("cannot encode type %d" % ggml_type)


# ---------------------------------------------------------------- writer

_SCALAR_FMT = {
    R.T_UINT8: "<B", R.T_INT8: "<b", R.T_UINT16: "<H", R.T_INT16: "<h",
    R.T_UINT32: "<I", R.T_INT32: "<i", R.T_FLOAT32: "<f", R.T_BOOL: "<?",
    R.T_UINT64: "<Q", R.T_INT64: "<q", R.T_FLOAT64: "<d",
}


def _str(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def _value(vtype, value, elem_type=None):
    if vtype == R.T_STRING:
        return _str(value)
    if vtype == R.T_ARRAY:
        etype, inner = elem_type if isinstance(elem_type, tuple) else (elem_type, None)
        out = struct.pack("<IQ", etype, len(value))
        return out + b"".join(_value(etype, v, inner) for v in value)
    return struct.pack(_SCALAR_FMT[vtype], value)


def write_gguf(path, metadata, tensors, alignment=None):
    """metadata: list of (key, vtype, value[, elem_type]); elem_type for arrays may be
    a nested (etype, inner_etype) tuple. tensors: list of (name, numpy array in numpy
    shape, ggml_type). general.alignment is added when alignment is given."""
    meta = list(metadata)
    if alignment is not None:
        meta.append(("general.alignment", R.T_UINT32, alignment))
    align = alignment or R.DEFAULT_ALIGNMENT
    head = bytearray(b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(meta)))
    for m in meta:
        key, vtype, value = m[0], m[1], m[2]
        elem = m[3] if len(m) > 3 else None
        head += _str(key) + struct.pack("<I", vtype) + _value(vtype, value, elem)
    blobs, offset = [], 0
    for name, arr, gtype in tensors:
        dims = list(reversed(arr.shape))  # ggml order: innermost first
        blob = encode_tensor(arr, gtype)
        offset = (offset + align - 1) // align * align
        head += _str(name) + struct.pack("<I", len(dims))
        head += b"".join(struct.pack("<Q", d) for d in dims)
        head += struct.pack("<IQ", gtype, offset)
        blobs.append((offset, blob))
        offset += len(blob)
    data_start = (len(head) + align - 1) // align * align
    with open(path, "wb") as f:
        f.write(head)
        f.write(b"\0" * (data_start - len(head)))
        pos = 0
        for off, blob in blobs:
            f.write(b"\0" * (off - pos))
            f.write(blob)
            pos = off + len(blob)


# ---------------------------------------------------------------- models

DEFAULT_CFG = dict(n_vocab=100, n_embd=64, n_layer=2, n_head=4, n_head_kv=2, n_ff=96,
                   n_ctx=64, eps=1e-5, rope_base=10000.0, rope_dim=None, tied=False)


def make_weights(arch, cfg, seed):
    """Random weights in numpy convention: linear weights are (out, in)."""
    rng = np.random.default_rng(seed)
    E, F, V = cfg["n_embd"], cfg["n_ff"], cfg["n_vocab"]
    hd = E // cfg["n_head"]
    qd, kd = cfg["n_head"] * hd, cfg["n_head_kv"] * hd

    def mat(out, inp, scale=1.0):
        return (rng.standard_normal((out, inp)) * scale / np.sqrt(inp)).astype(np.float32)

    def vec(n, center=0.0, scale=0.1):
        return (center + scale * rng.standard_normal(n)).astype(np.float32)

    w = {"token_embd.weight": rng.standard_normal((V, E)).astype(np.float32)}
    if arch == "gpt2":
        w["position_embd.weight"] = (0.5 * rng.standard_normal((cfg["n_ctx"], E))).astype(np.float32)
    for il in range(cfg["n_layer"]):
        p = "blk.%d." % il
        w[p + "attn_norm.weight"] = vec(E, 1.0)
        w[p + "ffn_norm.weight"] = vec(E, 1.0)
        if arch == "gpt2":
            w[p + "attn_norm.bias"] = vec(E)
            w[p + "ffn_norm.bias"] = vec(E)
            w[p + "attn_qkv.weight"] = mat(qd + 2 * kd, E, 2.0)
            w[p + "attn_qkv.bias"] = vec(qd + 2 * kd)
            w[p + "attn_output.weight"] = mat(E, qd)
            w[p + "attn_output.bias"] = vec(E)
            w[p + "ffn_up.weight"] = mat(F, E)
            w[p + "ffn_up.bias"] = vec(F)
            w[p + "ffn_down.weight"] = mat(E, F)
            w[p + "ffn_down.bias"] = vec(E)
        else:
            w[p + "attn_q.weight"] = mat(qd, E, 2.0)
            w[p + "attn_k.weight"] = mat(kd, E, 2.0)
            w[p + "attn_v.weight"] = mat(kd, E)
            if arch == "qwen2":
                w[p + "attn_q.bias"] = vec(qd, scale=0.5)
                w[p + "attn_k.bias"] = vec(kd, scale=0.5)
                w[p + "attn_v.bias"] = vec(kd, scale=0.5)
            w[p + "attn_output.weight"] = mat(E, qd)
            w[p + "ffn_gate.weight"] = mat(F, E)
            w[p + "ffn_up.weight"] = mat(F, E)
            w[p + "ffn_down.weight"] = mat(E, F)
    w["output_norm.weight"] = vec(E, 1.0)
    if arch == "gpt2":
        w["output_norm.bias"] = vec(E)
    if not cfg["tied"]:
        w["output.weight"] = mat(V, E, 4.0)
    return w


def make_metadata(arch, cfg, extra_types=False):
    U32, F32, STR = R.T_UINT32, R.T_FLOAT32, R.T_STRING
    m = [("general.architecture", STR, arch),
         ("general.name", STR, "seriatim-selftest-" + arch),
         (arch + ".context_length", U32, cfg["n_ctx"]),
         (arch + ".embedding_length", U32, cfg["n_embd"]),
         (arch + ".block_count", U32, cfg["n_layer"]),
         (arch + ".feed_forward_length", U32, cfg["n_ff"]),
         (arch + ".attention.head_count", U32, cfg["n_head"])]
    if arch == "gpt2":
        m.append((arch + ".attention.layer_norm_epsilon", F32, cfg["eps"]))
    else:
        m.append((arch + ".attention.head_count_kv", U32, cfg["n_head_kv"]))
        m.append((arch + ".attention.layer_norm_rms_epsilon", F32, cfg["eps"]))
        m.append((arch + ".rope.freq_base", F32, cfg["rope_base"]))
        if cfg["rope_dim"] is not None:
            m.append((arch + ".rope.dimension_count", U32, cfg["rope_dim"]))
    m.append(("tokenizer.ggml.tokens", R.T_ARRAY,
              ["<t%d>" % i for i in range(cfg["n_vocab"])], R.T_STRING))
    if extra_types:  # every metadata value type, to exercise the parser
        m += [("selftest.u8", R.T_UINT8, 200), ("selftest.i8", R.T_INT8, -100),
              ("selftest.u16", R.T_UINT16, 60000), ("selftest.i16", R.T_INT16, -30000),
              ("selftest.u32", R.T_UINT32, 4000000000), ("selftest.i32", R.T_INT32, -2000000000),
              ("selftest.f32", R.T_FLOAT32, 0.5), ("selftest.bool", R.T_BOOL, True),
              ("selftest.str", R.T_STRING, "h\u00e9llo \u4e16\u754c"),
              ("selftest.u64", R.T_UINT64, 2 ** 63 + 5), ("selftest.i64", R.T_INT64, -2 ** 62),
              ("selftest.f64", R.T_FLOAT64, 1.0 / 3.0),
              ("selftest.arr_i32", R.T_ARRAY, [1, -2, 3], R.T_INT32),
              ("selftest.arr_f32", R.T_ARRAY, [0.25, -1.5], R.T_FLOAT32),
              ("selftest.arr_bool", R.T_ARRAY, [True, False], R.T_BOOL),
              ("selftest.arr_empty", R.T_ARRAY, [], R.T_UINT8),
              ("selftest.arr_nested", R.T_ARRAY, [["a", "b"], [], ["c"]], (R.T_ARRAY, R.T_STRING))]
    return m


def build_model(path, arch, qtype=R.GGML_F32, seed=0, alignment=None, extra_types=False, **over):
    """Writes a model; returns (cfg, original float32 weights). 1-D tensors (norms,
    biases) stay F32 as llama.cpp keeps them; 2-D weights get qtype."""
    cfg = dict(DEFAULT_CFG)
    if arch == "gpt2":
        cfg["n_head_kv"] = cfg["n_head"]
    cfg.update(over)
    w = make_weights(arch, cfg, seed)
    tensors = [(n, a, qtype if a.ndim == 2 else R.GGML_F32) for n, a in w.items()]
    write_gguf(path, make_metadata(arch, cfg, extra_types), tensors, alignment)
    return cfg, w


# name -> (arch, qtype, seed, alignment, cfg overrides)
MODELS = {
    "llama-f32": ("llama", R.GGML_F32, 1, None, {}),
    "llama-f32-tied-partialrope": ("llama", R.GGML_F32, 2, 64,
                                   dict(tied=True, rope_dim=8, n_head_kv=1, rope_base=500.0)),
    "llama-f16": ("llama", R.GGML_F16, 1, None, {}),
    "llama-bf16": ("llama", R.GGML_BF16, 1, None, {}),
    "llama-q8_0": ("llama", R.GGML_Q8_0, 1, None, {}),
    "llama-q4_0": ("llama", R.GGML_Q4_0, 1, None, {}),
    "qwen2-f32": ("qwen2", R.GGML_F32, 3, None, dict(rope_base=1000000.0)),
    "qwen2-q8_0": ("qwen2", R.GGML_Q8_0, 3, None, dict(rope_base=1000000.0)),
    "qwen2-f32-partialrope": ("qwen2", R.GGML_F32, 4, None, dict(rope_dim=8, tied=True)),
    "gpt2-f32": ("gpt2", R.GGML_F32, 5, None, {}),
    "gpt2-q4_0": ("gpt2", R.GGML_Q4_0, 5, None, dict(tied=True)),
}


def build_all(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    built = {}
    for name, (arch, qt, seed, align, over) in MODELS.items():
        path = os.path.join(out_dir, name + ".gguf")
        cfg, w = build_model(path, arch, qt, seed, align, extra_types=(name == "llama-f32"), **over)
        built[name] = (path, arch, qt, cfg, w)
    return built


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2])
    for name, (path, arch, qt, cfg, w) in build_all(sys.argv[1]).items():
        print("%-28s %s" % (name, path))

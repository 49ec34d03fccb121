#!/usr/bin/python3
"""Reference logits for a GGUF model: full causal forward pass in float64 torch.

usage: /usr/bin/python3 tools/reference/gguf_logits.py MODEL.gguf --tokens 1,2,3 [--out FILE.json]
       [--kv-cache f16]

Writes {"model": "<file name>", "tokens": [...], "logits": [[vocab floats] per position]}.
Every position of the token sequence is computed in one pass (causal mask, no KV
cache). With --kv-cache f16, every key (after rotation) and value is rounded to an
IEEE half before attention reads it, as an engine keeping its KV cache in halves does.
Supported architectures: llama, qwen2, gpt2. Developer-machine tool, not run in CI.
"""

import argparse
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gguf_reader import GGUFFile, GGUFError, float_json  # noqa: E402

DT = torch.float64


class Hparams:
    def __init__(self, g):
        arch = g.get("general.architecture")
        if arch is None:
            raise GGUFError("missing general.architecture")
        self.arch = arch

        def need(key):
            full = "%s.%s" % (arch, key)
            if full not in g.metadata:
                raise GGUFError("missing metadata %s" % full)
            return g.metadata[full]

        def opt(key, default):
            return g.metadata.get("%s.%s" % (arch, key), default)

        self.n_embd = int(need("embedding_length"))
        self.n_layer = int(need("block_count"))
        self.n_ff = int(need("feed_forward_length"))
        self.n_head = int(need("attention.head_count"))
        self.n_head_kv = int(opt("attention.head_count_kv", self.n_head))
        self.n_ctx = int(opt("context_length", 0))
        self.head_dim = int(opt("attention.key_length", self.n_embd // self.n_head))
        v_dim = int(opt("attention.value_length", self.head_dim))
        if v_dim != self.head_dim:
            raise GGUFError("key_length != value_length is not supported")
        if self.n_head % self.n_head_kv != 0:
            raise GGUFError("head_count %d not a multiple of head_count_kv %d"
                            % (self.n_head, self.n_head_kv))
        if arch in ("llama", "qwen2"):
            self.eps = float(need("attention.layer_norm_rms_epsilon"))
            self.rope_base = float(opt("rope.freq_base", 10000.0))
            self.rope_dim = int(opt("rope.dimension_count", self.head_dim))
            if self.rope_dim % 2 or self.rope_dim > self.head_dim:
                raise GGUFError("bad rope.dimension_count %d" % self.rope_dim)
            scaling = opt("rope.scaling.type", "none")
            if scaling not in ("none", None):
                raise GGUFError("rope scaling %r not supported by the reference" % scaling)
            if g.has("rope_freqs.weight"):
                raise GGUFError("rope_freqs.weight (llama3-style rope scaling) not supported")
        elif arch == "gpt2":
            self.eps = float(need("attention.layer_norm_epsilon"))
        else:
            raise GGUFError("unsupported architecture %r" % arch)


class Weights:
    """Dequantizes tensors on demand (float64 torch), so big models fit in memory."""

    def __init__(self, g):
        self.g = g

    def __call__(self, name):
        return torch.from_numpy(self.g.tensor(name).astype(np.float64))

    def opt(self, name):
        return self(name) if self.g.has(name) else None

    def has(self, name):
        return self.g.has(name)


def linear(x, w, b=None):
    y = x @ w.T
    return y + b if b is not None else y


def rmsnorm(x, w, eps):
    return x * torch.rsqrt((x * x).mean(dim=-1, keepdim=True) + eps) * w


def layernorm(x, w, b, eps):
    mu = x.mean(dim=-1, keepdim=True)
    var = ((x - mu) ** 2).mean(dim=-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + eps) * w + b


def rope_angles(n_pos, rot_dim, base):
    # theta_i = base^(-2i/rot_dim), i < rot_dim/2; angle = pos * theta_i
    i = torch.arange(rot_dim // 2, dtype=DT)
    inv_freq = base ** (-2.0 * i / rot_dim)
    pos = torch.arange(n_pos, dtype=DT)
    return torch.outer(pos, inv_freq)  # (T, rot_dim/2)


def rope_norm(x, rot_dim, base):
    """ggml NORM mode (LLaMA): adjacent pairs (2i, 2i+1) as complex numbers times e^{i angle}.
    x: (T, H, head_dim)."""
    T, H, D = x.shape
    ang = rope_angles(T, rot_dim, base)
    rot = torch.polar(torch.ones_like(ang), ang)[:, None, :]  # (T, 1, rot/2) complex
    xc = torch.view_as_complex(x[..., :rot_dim].reshape(T, H, rot_dim // 2, 2).contiguous())
    out = torch.view_as_real(xc * rot).reshape(T, H, rot_dim)
    return torch.cat([out, x[..., rot_dim:]], dim=-1)


def rope_neox(x, rot_dim, base):
    """ggml NEOX mode (HF rotate_half): pairs (i, i + rot_dim/2). x: (T, H, head_dim)."""
    T, H, D = x.shape
    ang = rope_angles(T, rot_dim, base)
    emb = torch.cat([ang, ang], dim=-1)  # (T, rot)
    cos = emb.cos()[:, None, :]
    sin = emb.sin()[:, None, :]
    xr = x[..., :rot_dim]
    half = rot_dim // 2
    rotated = torch.cat([-xr[..., half:], xr[..., :half]], dim=-1)
    return torch.cat([xr * cos + rotated * sin, x[..., rot_dim:]], dim=-1)


KV_HALVES = False


def cached(t):
    """A key or value as the KV cache holds it: rounded to a half with --kv-cache f16."""
    return t.to(torch.float16).to(DT) if KV_HALVES else t


def causal_attention(q, k, v, n_head, n_head_kv, head_dim):
    """q: (T, n_head, hd); k, v: (T, n_head_kv, hd). KV head j serves q heads
    j*g .. j*g+g-1 with g = n_head / n_head_kv. Returns (T, n_head*hd)."""
    T = q.shape[0]
    k, v = cached(k), cached(v)
    g = n_head // n_head_kv
    k = k.repeat_interleave(g, dim=1)
    v = v.repeat_interleave(g, dim=1)
    q, k, v = (t.transpose(0, 1) for t in (q, k, v))  # (H, T, hd)
    scores = (q @ k.transpose(1, 2)) / math.sqrt(head_dim)
    mask = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
    scores = scores.masked_fill(mask, float("-inf"))
    p = torch.softmax(scores, dim=-1)
    return (p @ v).transpose(0, 1).reshape(T, n_head * head_dim)


def forward_llama(g, hp, tokens, W):
    neox = hp.arch == "qwen2"
    rope = rope_neox if neox else rope_norm
    T = len(tokens)
    emb = W("token_embd.weight")
    x = emb[torch.tensor(tokens, dtype=torch.long)]
    del emb
    hd = hp.head_dim
    for il in range(hp.n_layer):
        p = "blk.%d." % il
        h = rmsnorm(x, W(p + "attn_norm.weight"), hp.eps)
        if neox:  # qwen2: biases are part of the architecture
            bq, bk, bv = W(p + "attn_q.bias"), W(p + "attn_k.bias"), W(p + "attn_v.bias")
        else:  # llama: optional biases, applied when present (as llama.cpp does)
            bq, bk, bv = W.opt(p + "attn_q.bias"), W.opt(p + "attn_k.bias"), W.opt(p + "attn_v.bias")
        q = linear(h, W(p + "attn_q.weight"), bq).reshape(T, hp.n_head, hd)
        k = linear(h, W(p + "attn_k.weight"), bk).reshape(T, hp.n_head_kv, hd)
        v = linear(h, W(p + "attn_v.weight"), bv).reshape(T, hp.n_head_kv, hd)
        q = rope(q, hp.rope_dim, hp.rope_base)
        k = rope(k, hp.rope_dim, hp.rope_base)
        a = causal_attention(q, k, v, hp.n_head, hp.n_head_kv, hd)
        x = x + linear(a, W(p + "attn_output.weight"), W.opt(p + "attn_output.bias"))
        h = rmsnorm(x, W(p + "ffn_norm.weight"), hp.eps)
        gate = torch.nn.functional.silu(linear(h, W(p + "ffn_gate.weight")))
        up = linear(h, W(p + "ffn_up.weight"))
        x = x + linear(gate * up, W(p + "ffn_down.weight"))
    x = rmsnorm(x, W("output_norm.weight"), hp.eps)
    out = W("output.weight") if W.has("output.weight") else W("token_embd.weight")
    return x @ out.T


def gelu_tanh(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def forward_gpt2(g, hp, tokens, W):
    T = len(tokens)
    x = W("token_embd.weight")[torch.tensor(tokens, dtype=torch.long)]
    x = x + W("position_embd.weight")[:T]
    hd = hp.head_dim
    qd, kd = hp.n_head * hd, hp.n_head_kv * hd
    for il in range(hp.n_layer):
        p = "blk.%d." % il
        h = layernorm(x, W(p + "attn_norm.weight"), W(p + "attn_norm.bias"), hp.eps)
        qkv = linear(h, W(p + "attn_qkv.weight"), W(p + "attn_qkv.bias"))
        q = qkv[:, :qd].reshape(T, hp.n_head, hd)
        k = qkv[:, qd:qd + kd].reshape(T, hp.n_head_kv, hd)
        v = qkv[:, qd + kd:qd + 2 * kd].reshape(T, hp.n_head_kv, hd)
        a = causal_attention(q, k, v, hp.n_head, hp.n_head_kv, hd)
        x = x + linear(a, W(p + "attn_output.weight"), W(p + "attn_output.bias"))
        h = layernorm(x, W(p + "ffn_norm.weight"), W(p + "ffn_norm.bias"), hp.eps)
        u = gelu_tanh(linear(h, W(p + "ffn_up.weight"), W(p + "ffn_up.bias")))
        x = x + linear(u, W(p + "ffn_down.weight"), W(p + "ffn_down.bias"))
    x = layernorm(x, W("output_norm.weight"), W("output_norm.bias"), hp.eps)
    out = W("output.weight") if W.has("output.weight") else W("token_embd.weight")
    return x @ out.T


def compute_logits(path, tokens):
    """Returns (T, vocab) float64 numpy logits for every position."""
    g = GGUFFile(path)
    hp = Hparams(g)
    if not tokens:
        raise GGUFError("need at least one token")
    n_vocab = g.tensors["token_embd.weight"].shape[0]
    for t in tokens:
        if not 0 <= t < n_vocab:
            raise GGUFError("token id %d out of range [0, %d)" % (t, n_vocab))
    if hp.n_ctx and len(tokens) > hp.n_ctx:
        raise GGUFError("%d tokens exceed context_length %d" % (len(tokens), hp.n_ctx))
    W = Weights(g)
    with torch.no_grad():
        if hp.arch == "gpt2":
            logits = forward_gpt2(g, hp, tokens, W)
        else:
            logits = forward_llama(g, hp, tokens, W)
    return logits.numpy()


def parse_tokens(s):
    try:
        return [int(t) for t in s.split(",") if t.strip() != ""]
    except ValueError:
        raise argparse.ArgumentTypeError("--tokens must be comma-separated integers")


def to_json(model_path, tokens, logits, as_float32=True):
    rows = ",\n  ".join(float_json(row, as_float32) for row in logits)
    return '{"model": "%s", "tokens": [%s], "logits": [\n  %s\n]}\n' % (
        os.path.basename(model_path).replace("\\", "\\\\").replace('"', '\\"'),
        ", ".join(str(t) for t in tokens), rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("model", help="path to a GGUF v3 file")
    ap.add_argument("--tokens", required=True, type=parse_tokens, help="comma-separated token ids")
    ap.add_argument("--out", help="output JSON file (default: stdout)")
    ap.add_argument("--float64", action="store_true",
                    help="print the float64 results unrounded instead of rounded to float32")
    ap.add_argument("--kv-cache", choices=["f32", "f16"], default="f32",
                    help="f16: round keys and values to halves, as a cache of halves holds them")
    args = ap.parse_args(argv)
    global KV_HALVES
    KV_HALVES = args.kv_cache == "f16"
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    try:
        logits = compute_logits(args.model, args.tokens)
    except GGUFError as e:
        sys.exit("gguf_logits: error: %s" % e)
    text = to_json(args.model, args.tokens, logits, as_float32=not args.float64)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()

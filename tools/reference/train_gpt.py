#!/usr/bin/python3
"""Independent PyTorch reference for `seriatim train gpt`.

usage: /usr/bin/python3 tools/reference/train_gpt.py DIR [--out losses.json] [--threads 2]
       /usr/bin/python3 tools/reference/train_gpt.py DIR --bench STEPS [--threads 2]

DIR is what `seriatim train gpt ... --write-reference DIR` writes: initial.ckpt.gguf (the
initial weights, with the model and training settings in its metadata) and batches.bin (the
int32 inputs and targets of every micro-batch of every step). This script builds the same
llama-style model in float32 torch (RMSNorm, RoPE on adjacent pairs, SwiGLU, no biases),
trains it on those batches with torch.optim.AdamW, clip_grad_norm_, and the same warm-up +
cosine schedule, and prints (or writes as JSON) the loss of every step. With --bench it times
STEPS steps after two warm-up steps and prints tokens/s. Developer-machine tool, not run in CI.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gguf_reader import GGUFFile  # noqa: E402

K = "seriatim.train."


class Gpt(torch.nn.Module):
    def __init__(self, g):
        super().__init__()
        m = g.metadata
        self.dim = int(m["llama.embedding_length"])
        self.layers = int(m["llama.block_count"])
        self.heads = int(m["llama.attention.head_count"])
        self.context = int(m["llama.context_length"])
        self.eps = float(m["llama.attention.layer_norm_rms_epsilon"])
        self.base = float(m["llama.rope.freq_base"])
        self.tied = not g.has("output.weight")
        names = [n for n in g.tensor_order if not n.startswith("adam.")]
        self.p = torch.nn.ParameterDict()
        for n in names:
            self.p[n.replace(".", "_")] = torch.nn.Parameter(torch.tensor(np.array(g.tensor(n)), dtype=torch.float32))
        hd = self.dim // self.heads
        i = torch.arange(hd // 2, dtype=torch.float64)
        ang = torch.outer(torch.arange(self.context, dtype=torch.float64), self.base ** (-2.0 * i / hd))
        self.register_buffer("cos", ang.cos().float())
        self.register_buffer("sin", ang.sin().float())

    def w(self, name):
        return self.p[name.replace(".", "_")]

    def rms(self, x, name):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.w(name)

    def rope(self, x):  # x: (B, T, H, hd), pairs (2i, 2i+1)
        T = x.shape[1]
        a, b = x[..., 0::2], x[..., 1::2]
        c = self.cos[:T, None, :]
        s = self.sin[:T, None, :]
        return torch.stack([a * c - b * s, a * s + b * c], dim=-1).flatten(-2)

    def forward(self, idx):
        B, T = idx.shape
        H, hd = self.heads, self.dim // self.heads
        x = F.embedding(idx, self.w("token_embd.weight"))
        for l in range(self.layers):
            p = "blk.%d." % l
            h = self.rms(x, p + "attn_norm.weight")
            q = self.rope(F.linear(h, self.w(p + "attn_q.weight")).view(B, T, H, hd)).transpose(1, 2)
            k = self.rope(F.linear(h, self.w(p + "attn_k.weight")).view(B, T, H, hd)).transpose(1, 2)
            v = F.linear(h, self.w(p + "attn_v.weight")).view(B, T, H, hd).transpose(1, 2)
            att = (q @ k.transpose(-2, -1)) / math.sqrt(hd)
            mask = torch.ones(T, T, dtype=torch.bool).tril()
            att = att.masked_fill(~mask, float("-inf")).softmax(-1)
            a = (att @ v).transpose(1, 2).reshape(B, T, self.dim)
            x = x + F.linear(a, self.w(p + "attn_output.weight"))
            h = self.rms(x, p + "ffn_norm.weight")
            gate = F.linear(h, self.w(p + "ffn_gate.weight"))
            up = F.linear(h, self.w(p + "ffn_up.weight"))
            x = x + F.linear(F.silu(gate) * up, self.w(p + "ffn_down.weight"))
        h = self.rms(x, "output_norm.weight")
        return F.linear(h, self.w("token_embd.weight" if self.tied else "output.weight"))


def schedule(step, peak, low, warmup, total):
    if step < warmup:
        return peak * (step + 1) / warmup
    if step >= total:
        return low
    progress = (step - warmup) / max(1, total - warmup)
    return low + 0.5 * (1 + math.cos(math.pi * progress)) * (peak - low)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--out")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--bench", type=int, default=0)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    g = GGUFFile(os.path.join(args.dir, "initial.ckpt.gguf"))
    m = g.metadata
    batch, accum, steps = int(m[K + "batch"]), int(m[K + "accumulation"]), int(m[K + "steps"])
    lr, min_lr, warmup = float(m[K + "lr"]), float(m[K + "min_lr"]), int(m[K + "warmup"])
    decay, clip = float(m[K + "weight_decay"]), float(m[K + "clip"])
    model = Gpt(g)
    T = model.context
    data = np.fromfile(os.path.join(args.dir, "batches.bin"), dtype="<i4")
    per = batch * T
    data = torch.tensor(data.reshape(steps, accum, 2, batch, T).astype(np.int64))
    params = list(model.parameters())
    groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": decay},
              {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.95), eps=1e-8)

    def step_once(step):
        opt.zero_grad(set_to_none=False)
        total = 0.0
        for micro in range(accum):
            x, y = data[step % steps, micro, 0], data[step % steps, micro, 1]
            logits = model(x)
            loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), y.reshape(-1))
            (loss / accum).backward()
            total += loss.item()
        if clip > 0:
            torch.nn.utils.clip_grad_norm_(params, clip)
        for group in opt.param_groups:
            group["lr"] = schedule(step, lr, min_lr, warmup, steps)
        opt.step()
        return total / accum

    if args.bench:
        step_once(0)
        step_once(1)
        start = time.perf_counter()
        for s in range(args.bench):
            step_once(2 + s)
        seconds = time.perf_counter() - start
        tokens = args.bench * accum * per
        print("pytorch %s, %d threads: %.0f tokens/s (%d steps of %d tokens in %.2f s)"
              % (torch.__version__, args.threads, tokens / seconds, args.bench, accum * per, seconds))
        return 0
    losses = [step_once(s) for s in range(steps)]
    for s, l in enumerate(losses):
        print("step %d loss %.6f" % (s + 1, l))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"torch": torch.__version__, "losses": losses}, f, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

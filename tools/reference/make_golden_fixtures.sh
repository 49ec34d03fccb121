#!/usr/bin/env bash
# Regenerates the golden fixtures of the transformer tests: small random-weight models written
# by Seriatim's own GGUF writer (./seriatim random-model), and the logits the independent
# PyTorch reference (gguf_logits.py) computes for them. Run once on a developer machine with
#   apt-get install python3-torch python3-numpy
# and commit the results; CI only reads them.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/seriatim-core/src/test/resources/golden"
mkdir -p "$out"
tokens="1,72,101,108,108,111,44,32,119,111,114,108,100,33,300,301,302,420,511,2,3,500,260,7"
echo "$tokens" > "$out/tokens.txt"

cases="llama:f32 qwen2:f32 gpt2:f32 llama:f16 llama:bf16 llama:q8_0 llama:q4_0 qwen2:q8_0 gpt2:q4_0"
for c in $cases; do
  arch="${c%%:*}"
  type="${c##*:}"
  name="$arch-$type"
  "$root/seriatim" random-model --preset tiny --arch "$arch" --type "$type" --seed 20261128 --init-std 0.15 --out "$out/$name.gguf"
  /usr/bin/python3 "$root/tools/reference/gguf_logits.py" "$out/$name.gguf" --tokens "$tokens" --out "$out/$name.logits.json"
  gzip -9 -n -f "$out/$name.logits.json"
done
# the same models read through a KV cache of halves (--kv-cache f16)
for name in llama-f32 qwen2-f32 gpt2-f32; do
  /usr/bin/python3 "$root/tools/reference/gguf_logits.py" "$out/$name.gguf" --tokens "$tokens" --kv-cache f16 \
    --out "$out/$name.kv-f16.logits.json"
  gzip -9 -n -f "$out/$name.kv-f16.logits.json"
done
# dequantization goldens: one tensor of each block type, decoded by the reference
for name in llama-q8_0 llama-q4_0 llama-f16 llama-bf16; do
  /usr/bin/python3 "$root/tools/reference/gguf_dequant.py" "$out/$name.gguf" blk.0.attn_q.weight --out "$out/$name.attn_q.json"
  gzip -9 -n -f "$out/$name.attn_q.json"
done
# K-quant dequantization goldens: a tensor of each K-quant type, written by Seriatim's quantizer
# (test-scope KQuantFixtureWriter; needs a prior `./mvnw -pl seriatim-core test-compile`)
java --add-modules jdk.incubator.vector -cp "$root/seriatim-core/target/classes:$root/seriatim-core/target/test-classes" \
  dev.seriatim.quant.KQuantFixtureWriter "$out/kquants.gguf" 2>/dev/null
for type in q4_k q5_k q6_k q4_1 q5_0 q5_1; do
  /usr/bin/python3 "$root/tools/reference/gguf_dequant.py" "$out/kquants.gguf" "$type" --out "$out/kquants.$type.json"
  gzip -9 -n -f "$out/kquants.$type.json"
done
echo "fixtures written to $out"

#!/usr/bin/env bash
# Regenerates the training fixture: Seriatim writes the initial weights and batches of a small
# run (--write-reference), the independent PyTorch script trains the same model on them, and its
# per-step losses become seriatim-core/src/test/resources/reference-training/torch-losses.json,
# which ReferenceLossesTest compares with Seriatim's own. The run's options are repeated in that
# test; change both together. Developer machine only (apt-get install python3-torch).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
res="$root/seriatim-core/src/test/resources/reference-training"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/seriatim" train gpt --data "$res/corpus.txt" --layers 2 --heads 4 --dim 64 --context 64 --batch 8 \
  --accumulate 2 --steps 20 --lr 3e-3 --seed 5 --threads 2 --out "$work/model.gguf" --write-reference "$work"
/usr/bin/python3 "$root/tools/reference/train_gpt.py" "$work" --threads 2 --out "$res/torch-losses.json"
echo "wrote $res/torch-losses.json"

#!/usr/bin/env bash
# Training throughput of Seriatim and of the PyTorch reference on the same model, batches and
# thread count, run one after the other on this machine (a benchmark, not a test):
#   tools/reference/bench_train.sh CORPUS.txt [threads=2] [steps=20]
# Config: 4 layers, 4 heads, dim 128, context 128, batch 32 (issue 5). Seriatim's rate is the
# mean over its steps after the first 5 (JIT warm-up); PyTorch's is timed after 2 warm-up steps.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="$1"
threads="${2:-2}"
steps="${3:-20}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/seriatim" train gpt --data "$corpus" --layers 4 --heads 4 --dim 128 --context 128 --batch 32 \
  --steps "$steps" --threads "$threads" --eval-windows 1 --out "$work/bench.gguf" --write-reference "$work" >/dev/null
java_rate="$(awk -F, 'NR > 6 && $3 != "" { s += $6; n++ } END { printf "%.0f", s / n }' "$work/bench.csv")"
echo "seriatim, $threads threads: $java_rate tokens/s (mean of steps 6..$steps)"
# Debian's python3-torch calls whatever libblas.so.3 the system selects; the default reference
# BLAS is tens of times slower than an optimised one, so use OpenBLAS (apt: libopenblas0-pthread)
# when it is installed, without changing the system-wide choice.
openblas=/usr/lib/x86_64-linux-gnu/openblas-pthread
if [ -e "$openblas/libblas.so.3" ]; then
  blas="OpenBLAS"; export LD_LIBRARY_PATH="$openblas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OPENBLAS_NUM_THREADS="$threads"
else
  blas="$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo 'system BLAS')"
fi
echo "pytorch BLAS: $blas"
torch_line="$(/usr/bin/python3 "$root/tools/reference/train_gpt.py" "$work" --threads "$threads" --bench $((steps - 5)))"
echo "$torch_line"
torch_rate="$(echo "$torch_line" | sed -n 's/.*: \([0-9]*\) tokens\/s.*/\1/p')"
awk -v j="$java_rate" -v t="$torch_rate" 'BEGIN { printf "ratio seriatim / pytorch: %.2f\n", j / t }'

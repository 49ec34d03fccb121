#!/bin/sh
# llama-bench's JSON report on one model, as `seriatim bench --llama-bench` asks for it (2 threads,
# a 16-token prompt test and an 8-token generation test, 2 repetitions each). Its output is the
# fixture of the app's LlamaBenchTest: a report of the real tool for the parser to read.
#   tools/reference/llama_bench_report.sh path/to/llama-bench /tmp/stories110m-q8_0.gguf \
#       > seriatim-app/src/test/resources/llama-bench/report-p16-n8.json
# (the model: ./seriatim random-model --preset stories110m --type q8_0 --out /tmp/stories110m-q8_0.gguf)
set -eu
exec "$1" -m "$2" -t 2 -p 16 -n 8 -r 2 -ctk f16 -ctv f16 -ngl 0 -o json

"""Token ids from OpenAI's own tiktoken (Python package, Rust core) for cl100k_base and o200k_base.

A second, authoritative oracle next to tiktoken_reference.js (gpt-tokenizer): it covers the points
where that JavaScript package departs from tiktoken (special tokens anywhere in the text, o200k's
<|endofprompt|> id, U+017F in contractions, U+0085 / U+FEFF as whitespace). The encodings'
regexes and special tokens come from tiktoken's own openai_public.py; only the rank file is read
from the committed fixture instead of being downloaded. Special tokens are all allowed.

Usage (by hand, never in CI; `pip install --target DIR tiktoken`, then PYTHONPATH=DIR):
  python3 tools/reference/tiktoken_python_reference.py cl100k_base \
      seriatim-core/src/test/resources/tokenizer/cl100k_base > .../cl100k_base/tiktoken_ids.json
Strings: those of the fixture's expected_ids.json and test_plans.json, plus EXTRA below.
"""
import gzip
import json
import os
import sys

import tiktoken
import tiktoken.load
from tiktoken_ext import openai_public

EXTRA = [
    "x'\u017ft", "IT'\u017f", "it'\u017f ok", "'\u017f", "DON\u2019T",
    "a\u0085b", "a \u0085 b", "x\u0085", "\u0085\u0085\n", "a\ufeffb", " \ufeff x", "\ufeff",
    "a<|endofprompt|>b", "<|endoftext|>x<|endofprompt|>", "<|fim_prefix|>f<|fim_suffix|>",
    "<|im_start|>system<|im_sep|>", "K\u212a kelvin", "\u2028line\u2029para", "x\u00a0\u00a0",
]


def main():
    name, fixture = sys.argv[1], sys.argv[2]

    def local_ranks(_url, expected_hash=None):
        with gzip.open(os.path.join(fixture, name + ".tiktoken.gz"), "rb") as f:
            data = f.read()
        return tiktoken.load.load_tiktoken_bpe_from_bytes(data) if hasattr(
            tiktoken.load, "load_tiktoken_bpe_from_bytes") else parse(data)

    openai_public.load_tiktoken_bpe = local_ranks
    params = getattr(openai_public, name)()
    enc = tiktoken.Encoding(params["name"], pat_str=params["pat_str"],
                            mergeable_ranks=params["mergeable_ranks"], special_tokens=params["special_tokens"])
    texts = []
    for file in ("expected_ids.json", "test_plans.json"):
        with open(os.path.join(fixture, file), encoding="utf-8") as f:
            texts += [c["text"] for c in json.load(f)]
    texts += EXTRA
    cases = [{"text": t, "ids": enc.encode(t, allowed_special="all")} for t in texts]
    json.dump(cases, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def parse(data):
    import base64
    return {base64.b64decode(tok): int(rank) for tok, rank in (line.split() for line in data.splitlines() if line)}


if __name__ == "__main__":
    main()

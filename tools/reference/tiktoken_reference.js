// Expected token ids for the tiktoken encodings cl100k_base and o200k_base, from the JavaScript
// encoder of the npm package gpt-tokenizer (MIT licence), for the strings in
// gpt2_reference_strings.json plus strings aimed at these encodings' regexes and special tokens.
// Also extracts the package's own known-good cases (data/TestPlans.txt) for the two encodings.
//
// Usage (run by hand, never in CI):
//   cd $(mktemp -d) && npm pack gpt-tokenizer@4.0.0 && tar xzf gpt-tokenizer-4.0.0.tgz
//   D=seriatim-core/src/test/resources/tokenizer
//   for E in cl100k_base o200k_base; do
//     node tools/reference/tiktoken_reference.js ids <that dir>/package \
//          tools/reference/gpt2_reference_strings.json $E > $D/$E/expected_ids.json
//     node tools/reference/tiktoken_reference.js plans <that dir>/package $E > $D/$E/test_plans.json
//   done
//
// Special tokens: Seriatim follows tiktoken's definition of each encoding (openai_public.py):
// cl100k_base has <|endoftext|> 100257, <|fim_prefix|> 100258, <|fim_middle|> 100259,
// <|fim_suffix|> 100260, <|endofprompt|> 100276; o200k_base has <|endoftext|> 199999 and
// <|endofprompt|> 200018. gpt-tokenizer agrees on all of these except o200k's <|endofprompt|>
// (it says 200006), so strings containing it are left out here. Any other <|...|> text is plain text, as in
// tiktoken. gpt-tokenizer 4.0.0 finds a special token only at the very start of the text (its
// search uses a sticky regex), so this script cuts the text at the leftmost special token
// itself and gives each plain stretch to the package's encoder; the script checks that the
// package maps each special token alone to the expected id.
const path = require('path');
const fs = require('fs');

const SPECIALS = {
  cl100k_base: { '<|endoftext|>': 100257, '<|fim_prefix|>': 100258, '<|fim_middle|>': 100259,
                 '<|fim_suffix|>': 100260, '<|endofprompt|>': 100276 },
  o200k_base: { '<|endoftext|>': 199999 },
};
// Special tokens of tiktoken's definition that the package numbers differently: strings that
// contain them are left out.
const LEFT_OUT = { cl100k_base: [], o200k_base: ['<|endofprompt|>'] };

const EXTRA = [
  // special-token text
  '<|endoftext|>', 'text<|endoftext|>more', ' <|endoftext|> ', '<|endoftext|><|endoftext|>',
  '<|fim_prefix|>def f(x):\n    <|fim_suffix|>\n    return y<|fim_middle|>', 'a<|endofprompt|>b',
  '<|im_start|>user\nHi<|im_end|>', '<|endoftext', 'endoftext|>', '<|endoftext|', '<||>',
  // contractions and case
  "I'M HERE, YOU'RE LATE, WE'LL SEE, SHE'D GO, IT'S, THEY'VE", "don't DON'T Don'T dOn't",
  "'s 't 're 've 'm 'll 'd 'S 'T 'RE 'VE 'M 'LL 'D", "rock'n'roll o'clock", "x's y'all 'twas",
  // o200k's case classes: upper runs, title case, camel case, marks, modifier letters
  'HelloWorld XMLHttpRequest getHTTPResponseCode iPhone eBay McDonald', 'ǅemal ǈubljana ǋaša',
  'ʰʲʷ modifier ʼ letters', 'e\u0301te\u0301 combining', 'नमस्ते दुनिया', 'ÀÉÎÕÜ àéîõü ÀéÎõÜ',
  'ΑΒΓ αβγ Αβγ', 'ДОБРО пожаловать Добро', 'Ⅻ Roman ⅻ numerals', '①②③ circled',
  // numbers, slashes, punctuation with newlines
  '1234567890123', '12,345,678.90', '3.14159265358979', 'a1b22c333d4444', '٣٤٥ arabic digits',
  'path/to/file.txt', 'a/b//c///d', 'http://x.y/z/\n', '// comment\n/* block */\n', '!!!\n\n',
  '...\r\n', ');\n}\n', 'x = y /\n z',
  // whitespace
  'abc   ', '   abc', 'a  \n  b', '\n \n \n', ' \t \n', 'tail \t ', '\u00a0\u00a0x', 'x\u2003y',
  'line1\r\nline2\r\n', '\t\tindent', '    \n', '\n\n\n\nx',
  // scripts and 4-byte UTF-8
  'Ａｂｃ full width', '\u1100\u1161 jamo', 'x\u0338', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕞𝕒𝕥𝕙', '🧑‍💻👩🏾‍🔬', '\u0000nul',
  'مرحبا بالعالم ١٢٣', '中文，标点。', '日本語「かぎ括弧」', '𠀀𠀁 ext-B', 'ﷺ ligature',
  'int main(void) {\n\treturn 0;\n}\n', '{"key": [1, 2.5, null, true]}', '<a href="/x">y</a>',
];

// A seeded generator (as make_strings.js), so the random strings are the same on every run.
let seed = 4242;
const rnd = n => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const POOL = ['the', 'The', 'THE', ' ', '  ', '\n', '\r\n', '\t', "'s", "'LL", 'ing', 'é', 'É', 'ß',
  '日本', '😀', '🚀', '123', '4567', ',', '.', '/', '!?', 'A', 'z', 'Xy', 'ǅ', 'ʰ', '\u0301', 'й',
  'Ж', 'ـ', 'ک', '١', 'ह', '्', '<|', '|>'];
function randomStrings(n) {
  const out = [];
  for (let k = 0; k < n; k++) {
    let s = '';
    const len = 1 + rnd(14);
    for (let i = 0; i < len; i++) s += POOL[rnd(POOL.length)];
    out.push(s);
  }
  return out;
}

function load(pkg, encoding) {
  return require(path.resolve(pkg, 'cjs', 'encoding', encoding + '.js'));
}

function encodeWithSpecials(enc, specials, text) {
  const names = Object.keys(specials);
  const ids = [];
  let from = 0;
  while (true) {
    let at = -1, name = null;
    for (const s of names) {
      const i = text.indexOf(s, from);
      if (i >= 0 && (at < 0 || i < at || (i === at && s.length > name.length))) { at = i; name = s; }
    }
    const end = at < 0 ? text.length : at;
    if (end > from) ids.push(...enc.encode(text.slice(from, end), { disallowedSpecial: new Set() }));
    if (at < 0) return ids;
    ids.push(specials[name]);
    from = at + name.length;
  }
}

function ids(pkg, stringsFile, encoding) {
  const enc = load(pkg, encoding);
  const specials = SPECIALS[encoding];
  for (const [text, id] of Object.entries(specials)) {
    const got = enc.encode(text, { allowedSpecial: 'all' });
    if (got.length !== 1 || got[0] !== id) throw new Error(`${encoding}: ${text} -> ${got}, expected ${id}`);
  }
  const strings = JSON.parse(fs.readFileSync(stringsFile, 'utf-8')).concat(EXTRA, randomStrings(60))
    .filter(text => !LEFT_OUT[encoding].some(s => text.includes(s)));
  return strings.map(text => ({ text, ids: encodeWithSpecials(enc, specials, text) }));
}

// The package's own parsing rule for TestPlans.txt (src/GptEncoding.test.ts, loadTestPlans).
function plans(pkg, encoding) {
  const enc = load(pkg, encoding);
  const data = fs.readFileSync(path.resolve(pkg, 'data', 'TestPlans.txt'), 'utf8');
  const out = [];
  for (const plan of data.split('\n\n')) {
    const [nameLine, sampleLine, encodedLine] = plan.split('\n');
    if (!nameLine || !sampleLine || !encodedLine) continue;
    if (nameLine.split(': ')[1] !== encoding) continue;
    const text = sampleLine.split(': ').slice(1).join(': ');
    const expected = JSON.parse(encodedLine.split(': ')[1] ?? '[]');
    const got = enc.encode(text);
    if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`package disagrees with its plan: ${text}`);
    out.push({ text, ids: expected });
  }
  return out;
}

const [mode, pkg, a, b] = process.argv.slice(2);
const result = mode === 'ids' ? ids(pkg, a, b) : mode === 'plans' ? plans(pkg, a) : null;
if (result === null) throw new Error('usage: tiktoken_reference.js ids PKG STRINGS ENCODING | plans PKG ENCODING');
process.stdout.write(JSON.stringify(result, null, 1) + '\n');

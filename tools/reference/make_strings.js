// Writes the ~150 test strings for the GPT-2 conformance test (deterministic).
const base = [
  "Hello world", "Hello, world!", " leading space", "trailing space ", "  two leading",
  "multiple   spaces   inside", "tabs\tand\ttabs", "new\nline", "two\n\nnewlines", "\n\n\n",
  "   ", "", "a", "I'm", "you're", "they've", "we'll", "she'd", "it's", "don't", "DON'T",
  "HE'S HERE", "12345", "3.14159", "1,000,000", "2024-05-17", "$19.99", "100%", "0x1F600",
  "phone: +1 (555) 123-4567", "user@example.com", "https://example.com/path?q=1&r=2",
  "def foo(x):\n    return x * 2\n", "for (int i = 0; i < n; i++) {\n\tsum += a[i];\n}",
  "if x == 1:\n  pass", "console.log(\"hi\");", "<div class=\"a\">text</div>", "SELECT * FROM t;",
  "#include <stdio.h>", "λx. x + 1", "naïve café", "Über straße", "São Paulo", "Ærøskøbing",
  "日本語のテキスト", "中文文本测试", "한국어 텍스트", "Привет, мир!", "Γειά σου κόσμε",
  "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया", "สวัสดีชาวโลก", "😀", "😀😃😄",
  "emoji 👍🏽 with skin tone", "family 👨‍👩‍👧‍👦", "flags 🇺🇸🇯🇵", "❤️ heart", "♥ ★ ☆",
  "math: ∑ ∫ √ ∞ ≠ ≤", "arrows → ← ↑ ↓", "“curly quotes”", "‘single’", "em—dash – en",
  "ellipsis…", "non\u00a0breaking", "ideographic\u3000space", "zero\u200bwidth",
  "The quick brown fox jumps over the lazy dog.",
  "It was the best of times, it was the worst of times.",
  "To be, or not to be: that is the question.",
  "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
  "ALL CAPS SENTENCE HERE", "MiXeD cAsE", "snake_case_name", "camelCaseName", "kebab-case-name",
  "!!!???...", "a!b?c.d", "((nested))", "[brackets]", "{braces}", "\"quoted\"", "'single'",
  "back\\slash", "tab\t\ttab", "cr\r\nlf", "\r", "end.\n", " \n ", "x \n\n y",
  "word     ", "    indented code", "1 2 3 4 5", "one1two2three3", "v1.2.3-beta+build.5",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ababababababab", "Mississippi", "supercalifragilisticexpialidocious",
  "antidisestablishmentarianism", "pneumonoultramicroscopicsilicovolcanoconiosis",
  "The year 1999 and 2000.", "Temperatures of -40°C.", "I ♥ NY", "café ☕", "€100 £50 ¥1000",
  "<|endoftext|>", "Question: What? Answer: Yes.", "- item one\n- item two\n", "1. first\n2. second",
  "| a | b |\n|---|---|", "**bold** and _italic_", "`code` span", "> quote", "---",
];
let seed = 12345;
const rnd = n => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const pool = ["the", " ", "  ", "\n", "ing", "é", "日", "😀", "12", "'s", ",", ".", "A", "z", "\t", "!", "🚀", "ß", "й", "ـ"];
const out = base.slice();
while (out.length < 160) {
  let s = "";
  const n = 1 + rnd(12);
  for (let i = 0; i < n; i++) s += pool[rnd(pool.length)];
  out.push(s);
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");

package dev.seriatim.text.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits plain text into the words that byte-level BPE merges within, chosen by GGUF's
 * {@code tokenizer.ggml.pre}. A pre-tokenizer is a list of regexes applied in turn, as in
 * llama.cpp: each regex cuts every piece from the previous stage into its matches and the
 * unmatched stretches between them (a regex only sees its own piece, so a lookahead stops at the
 * piece's end).
 *
 * <p>{@code \s} means Unicode White_Space (as in llama.cpp and the HF tokenizers), not Java's
 * ASCII-only default; {@code \p{L}} and {@code \p{N}} are Unicode categories in all three.
 */
final class PreTokenizer {

    /** Unicode White_Space, spelled out for a Java character class. */
    private static final String WS =
            "\\t\\n\\x0B\\f\\r\\x20\\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";

    /** GPT-2: {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}. */
    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+"
            + "|\\s+(?!\\S)|\\s+";

    /** Llama 3: case-insensitive contractions, a letter run with one optional non-letter,
     * non-digit, non-newline prefix, digit runs of at most 3, punctuation runs with trailing
     * newlines, newline runs with their leading whitespace, then whitespace as in GPT-2. */
    static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Qwen2: Llama 3's regex with single digits. */
    static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
            + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** SmolLM and kin, first stage: every digit alone. */
    static final String DIGIT = "\\p{N}";

    /** SmolLM and kin, second stage: GPT-2 without the final {@code \s+}. */
    static final String GPT2_NO_TRAILING = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+"
            + "| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";

    /** tiktoken's cl100k_base, as tiktoken spells it: Llama 3's rules written with possessive
     * quantifiers, a whitespace run that ends the text taken whole and single newlines (the two
     * spellings split alike), and Unicode case folding in the contractions. */
    static final String CL100K = "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}++|\\p{N}{1,3}+"
            + "| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*+|\\s++$|\\s*[\\r\\n]|\\s+(?!\\S)|\\s";

    /** tiktoken's o200k_base: a word is an optional non-letter, non-digit prefix, then upper-case
     * letters followed by lower-case ones (either run may be empty, not both; titlecase, modifier
     * and other letters and marks count as both) with an optional contraction; digit runs of at
     * most 3; punctuation runs keep trailing newlines and slashes; whitespace as in Llama 3. */
    static final String O200K = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*"
            + "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
            + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+"
            + "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static final Map<String, PreTokenizer> BY_NAME = new TreeMap<>();

    static {
        PreTokenizer gpt2 = new PreTokenizer("gpt-2", false, 0, GPT2);
        PreTokenizer llama3 = new PreTokenizer("llama3", true, 0, LLAMA3);
        PreTokenizer qwen2 = new PreTokenizer("qwen2", false, 0, QWEN2);
        PreTokenizer smollm = new PreTokenizer("smollm", false, 0, DIGIT, GPT2_NO_TRAILING);
        // tiktoken's regex engine folds case by Unicode rules ('S' and U+017F LONG S match 's')
        BY_NAME.put("cl100k_base", new PreTokenizer("cl100k_base", false, Pattern.UNICODE_CASE, CL100K));
        BY_NAME.put("o200k_base", new PreTokenizer("o200k_base", false, Pattern.UNICODE_CASE, O200K));
        for (String name : List.of("default", "gpt-2", "phi-2", "roberta-bpe")) {
            BY_NAME.put(name, gpt2);
        }
        for (String name : List.of("llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral")) {
            BY_NAME.put(name, llama3);
        }
        for (String name : List.of("qwen2", "deepseek-r1-qwen", "megrez")) {
            BY_NAME.put(name, qwen2);
        }
        for (String name : List.of("smollm", "codeshell", "exaone", "minerva-7b")) {
            BY_NAME.put(name, smollm);
        }
    }

    private final String name;
    private final boolean ignoreMerges;
    private final Pattern[] stages;

    private PreTokenizer(String name, boolean ignoreMerges, int flags, String... regexes) {
        this.name = name;
        this.ignoreMerges = ignoreMerges;
        this.stages = new Pattern[regexes.length];
        for (int i = 0; i < regexes.length; i++) {
            stages[i] = Pattern.compile(toJava(regexes[i]), flags);
        }
    }

    /**
     * The pre-tokenizer for a {@code tokenizer.ggml.pre} value; null means GPT-2's.
     *
     * @throws IllegalArgumentException for a name not known here, listing the known ones
     */
    static PreTokenizer forName(String pre) {
        PreTokenizer found = BY_NAME.get(pre == null ? "default" : pre);
        if (found == null) {
            throw new IllegalArgumentException("pre-tokenizer '" + pre
                    + "' is not supported (supported: " + String.join(", ", BY_NAME.keySet()) + ")");
        }
        return found;
    }

    /** The family name (gpt-2, llama3, qwen2, smollm, cl100k_base or o200k_base). */
    String name() {
        return name;
    }

    /**
     * Whether a word that is itself a vocabulary token is taken whole without running the merges
     * (HF's {@code ignore_merges}, which llama.cpp sets for Llama 3).
     */
    boolean ignoreMerges() {
        return ignoreMerges;
    }

    /** The words of {@code text[start, end)}, as [start, end) pairs flattened into a list. */
    void split(String text, int start, int end, IntList out) {
        out.clear();
        out.add(start);
        out.add(end);
        IntList next = new IntList();
        for (Pattern stage : stages) {
            next.clear();
            Matcher m = stage.matcher(text);
            for (int p = 0; p < out.size(); p += 2) {
                int from = out.get(p);
                int to = out.get(p + 1);
                m.region(from, to);
                int last = from;
                while (m.find()) {
                    if (m.start() == m.end()) {
                        continue;
                    }
                    if (m.start() > last) {
                        next.add(last);
                        next.add(m.start());
                    }
                    next.add(m.start());
                    next.add(m.end());
                    last = m.end();
                }
                if (last < to) {
                    next.add(last);
                    next.add(to);
                }
            }
            out.copyFrom(next);
        }
    }

    /** Convenience for tests: the words as strings. */
    List<String> split(String text) {
        IntList bounds = new IntList();
        split(text, 0, text.length(), bounds);
        List<String> words = new ArrayList<>(bounds.size() / 2);
        for (int i = 0; i < bounds.size(); i += 2) {
            words.add(text.substring(bounds.get(i), bounds.get(i + 1)));
        }
        return words;
    }

    /** Rewrites {@code \s} and {@code \S} to Unicode White_Space in and out of brackets. */
    private static String toJava(String regex) {
        StringBuilder sb = new StringBuilder();
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char d = regex.charAt(i + 1);
                i++;
                if (d == 's') {
                    sb.append(inClass ? WS : "[" + WS + "]");
                } else if (d == 'S') {
                    if (inClass) {
                        throw new IllegalStateException("\\S inside a class is not supported");
                    }
                    sb.append("[^").append(WS).append(']');
                } else {
                    sb.append(c).append(d);
                }
                continue;
            }
            if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            }
            sb.append(c);
        }
        return sb.toString();
    }
}

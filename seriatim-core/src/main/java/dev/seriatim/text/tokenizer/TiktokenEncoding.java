package dev.seriatim.text.tokenizer;

import dev.seriatim.io.Utf8Strings;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * OpenAI's tiktoken encodings: a {@code .tiktoken} rank file ({@link TiktokenFile}) plus what
 * the file leaves out, the pre-tokenizer regex and the special tokens, as tiktoken's
 * {@code openai_public.py} defines them. Ids are ranks; the special tokens sit above the ranks,
 * and ids in between are unused.
 *
 * <p>Encoding splits out every special token's text (tiktoken's {@code allowed_special="all"});
 * other {@code <|...|>} text, such as ChatML's {@code <|im_start|>}, which these encodings do
 * not define, is plain text.
 */
public enum TiktokenEncoding {

    /** GPT-3.5 / GPT-4: 100,256 ranks. */
    CL100K_BASE("cl100k_base", 100_256, Map.entry("<|endoftext|>", 100_257),
            Map.entry("<|fim_prefix|>", 100_258), Map.entry("<|fim_middle|>", 100_259),
            Map.entry("<|fim_suffix|>", 100_260), Map.entry("<|endofprompt|>", 100_276)),

    /** GPT-4o and later: 199,998 ranks. */
    O200K_BASE("o200k_base", 199_998, Map.entry("<|endoftext|>", 199_999),
            Map.entry("<|endofprompt|>", 200_018));

    private final String encodingName;
    private final int rankCount;
    private final SequencedMap<String, Integer> specials = new LinkedHashMap<>();

    @SafeVarargs
    TiktokenEncoding(String encodingName, int rankCount, Map.Entry<String, Integer>... specials) {
        this.encodingName = encodingName;
        this.rankCount = rankCount;
        for (Map.Entry<String, Integer> e : specials) {
            this.specials.put(e.getKey(), e.getValue());
        }
    }

    /** tiktoken's name for the encoding, which is also the pre-tokenizer's name. */
    public String encodingName() {
        return encodingName;
    }

    /** How many ranks (ordinary tokens) the encoding's {@code .tiktoken} file holds. */
    public int rankCount() {
        return rankCount;
    }

    /** Special token text to id, in tiktoken's order. */
    public Map<String, Integer> specialTokens() {
        return java.util.Collections.unmodifiableSequencedMap(specials);
    }

    /**
     * The encoding called {@code name} ({@code cl100k_base} or {@code o200k_base}).
     *
     * @throws IllegalArgumentException for any other name, listing the known ones
     */
    public static TiktokenEncoding forName(String name) {
        for (TiktokenEncoding e : values()) {
            if (e.encodingName.equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("tiktoken encoding '" + name + "' is not supported (supported: "
                + String.join(", ", Arrays.stream(values()).map(TiktokenEncoding::encodingName).toList()) + ")");
    }

    /**
     * The spec of this encoding over {@code ranks} (token bytes by rank): model {@code "tiktoken"},
     * each rank a normal token spelled byte by byte with GPT-2's byte-to-unicode table, the special
     * tokens as control tokens, {@code <|endoftext|>} as end of sequence.
     *
     * @param source names the rank data in error messages
     * @throws IllegalArgumentException if the number of ranks is not this encoding's, or two
     *                                  ranks have the same bytes
     */
    public TokenizerSpec spec(byte[][] ranks, String source) {
        if (ranks.length != rankCount) {
            throw new IllegalArgumentException(source + " has " + ranks.length + " ranks but " + encodingName
                    + " has " + rankCount + " (is it another encoding's file?)");
        }
        int vocabSize = specials.values().stream().mapToInt(Integer::intValue).max().orElse(rankCount - 1) + 1;
        int[] types = new int[vocabSize];
        Arrays.fill(types, TokenTypes.UNUSED);
        // kept as UTF-8 bytes: 200k ranks as one String each would be about 11 MB
        Utf8Strings.Builder spelled = new Utf8Strings.Builder(rankCount);
        for (int rank = 0; rank < rankCount; rank++) {
            spelled.add(ByteUnicodeTable.spell(ranks[rank]));
            types[rank] = TokenTypes.NORMAL;
        }
        Utf8Strings rankTexts = spelled.build();
        // spelling is one character per byte, so equal texts are equal bytes
        int[] repeat = rankTexts.firstRepeat();
        if (repeat != null) {
            throw new IllegalArgumentException(source + ": ranks " + repeat[0] + " and " + repeat[1] + " have the same bytes");
        }
        Map<Integer, String> special = new HashMap<>();
        specials.forEach((text, id) -> special.put(id, text));
        Utf8Strings.Builder texts = new Utf8Strings.Builder(vocabSize);
        for (int id = 0; id < vocabSize; id++) {
            String text = special.get(id);
            if (text != null) {
                types[id] = TokenTypes.CONTROL;
                texts.add(text);
            } else if (id < rankCount) {
                texts.add(rankTexts, id);
            } else {
                texts.add("");
            }
        }
        Utf8Strings tokens = texts.build();
        int eos = specials.get("<|endoftext|>");
        return new TokenizerSpec("tiktoken", encodingName, tokens, null, types, null,
                -1, eos, -1, -1, false, false, false);
    }
}

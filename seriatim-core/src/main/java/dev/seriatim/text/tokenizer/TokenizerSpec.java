package dev.seriatim.text.tokenizer;

import java.util.List;
import java.util.Objects;

/**
 * The vocabulary data a GGUF file holds under {@code tokenizer.ggml.*}, as plain Java values.
 *
 * <p>Arrays and lists are taken as they are, without copying (a vocabulary can hold hundreds of
 * thousands of entries); neither the caller nor the tokenizers built from a spec may modify them
 * afterwards. Token and merge texts are lists so that a GGUF vocabulary can stay in its compact
 * UTF-8 form ({@code GgufMetadata.getStringList}) rather than become one String per entry.
 *
 * @param model          {@code tokenizer.ggml.model}: {@code "gpt2"} (byte-level BPE) or
 *                       {@code "llama"} (SentencePiece BPE)
 * @param pre            {@code tokenizer.ggml.pre}, the pre-tokenizer name; may be null
 * @param tokens         {@code tokenizer.ggml.tokens}, the vocabulary strings indexed by id
 * @param scores         {@code tokenizer.ggml.scores}, one per token; may be null
 * @param tokenTypes     {@code tokenizer.ggml.token_type}, one per token, see {@link TokenTypes};
 *                       may be null (every token is then normal)
 * @param merges         {@code tokenizer.ggml.merges}, {@code "left right"} by rank; may be null
 * @param bosId          beginning-of-sequence id, -1 when absent
 * @param eosId          end-of-sequence id, -1 when absent
 * @param unkId          unknown-token id, -1 when absent
 * @param padId          padding id, -1 when absent
 * @param addBos         whether {@link Tokenizer#encodeWithSpecials} prepends BOS
 * @param addEos         whether {@link Tokenizer#encodeWithSpecials} appends EOS
 * @param addSpacePrefix SentencePiece only: prepend a space to text that starts the input or
 *                       follows a special token, as {@code spacePrefixRule} says
 * @param spacePrefixRule SentencePiece only: which stretches get that space
 */
public record TokenizerSpec(
        String model,
        String pre,
        List<String> tokens,
        float[] scores,
        int[] tokenTypes,
        List<String> merges,
        int bosId,
        int eosId,
        int unkId,
        int padId,
        boolean addBos,
        boolean addEos,
        boolean addSpacePrefix,
        SpacePrefixRule spacePrefixRule) {

    /** A spec with llama.cpp's space-prefix rule ({@link SpacePrefixRule#EVERY_STRETCH}). */
    public TokenizerSpec(String model, String pre, List<String> tokens, float[] scores, int[] tokenTypes,
            List<String> merges,
            int bosId, int eosId, int unkId, int padId, boolean addBos, boolean addEos, boolean addSpacePrefix) {
        this(model, pre, tokens, scores, tokenTypes, merges, bosId, eosId, unkId, padId, addBos, addEos, addSpacePrefix,
                SpacePrefixRule.EVERY_STRETCH);
    }

    /** Checks that the arrays agree in length and that every special id names a token. */
    public TokenizerSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(spacePrefixRule, "spacePrefixRule");
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("tokens is empty");
        }
        int nullToken = indexOfNull(tokens);
        if (nullToken >= 0) {
            throw new IllegalArgumentException("tokens[" + nullToken + "] is null");
        }
        if (scores != null && scores.length != tokens.size()) {
            throw new IllegalArgumentException("scores has " + scores.length
                    + " entries but tokens has " + tokens.size());
        }
        if (tokenTypes != null) {
            if (tokenTypes.length != tokens.size()) {
                throw new IllegalArgumentException("tokenTypes has " + tokenTypes.length
                        + " entries but tokens has " + tokens.size());
            }
            for (int i = 0; i < tokenTypes.length; i++) {
                if (tokenTypes[i] < TokenTypes.UNDEFINED || tokenTypes[i] > TokenTypes.BYTE) {
                    throw new IllegalArgumentException("tokenTypes[" + i + "] = " + tokenTypes[i]
                            + " is not a token type (0..6)");
                }
            }
        }
        int nullMerge = merges == null ? -1 : indexOfNull(merges);
        if (nullMerge >= 0) {
            throw new IllegalArgumentException("merges[" + nullMerge + "] is null");
        }
        checkId("bosId", bosId, tokens.size());
        checkId("eosId", eosId, tokens.size());
        checkId("unkId", unkId, tokens.size());
        checkId("padId", padId, tokens.size());
        if (addBos && bosId < 0) {
            throw new IllegalArgumentException("addBos is set but there is no bosId");
        }
        if (addEos && eosId < 0) {
            throw new IllegalArgumentException("addEos is set but there is no eosId");
        }
    }

    /** indexOf(null), which some lists reject with a NullPointerException. */
    private static int indexOfNull(List<String> list) {
        try {
            return list.indexOf(null);
        } catch (NullPointerException listHoldsNoNulls) {
            return -1;
        }
    }

    private static void checkId(String name, int id, int vocabSize) {
        if (id < -1 || id >= vocabSize) {
            throw new IllegalArgumentException(name + " = " + id
                    + " is outside the vocabulary [0, " + vocabSize + ") and is not -1");
        }
    }

    /** Number of tokens. */
    public int vocabSize() {
        return tokens.size();
    }

    /** {@code id} itself if it names a token, else an IllegalArgumentException saying the range. */
    public int checkId(int id) {
        if (id < 0 || id >= vocabSize()) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, "
                    + vocabSize() + ")");
        }
        return id;
    }

    /** The type of token {@code id}; {@link TokenTypes#NORMAL} when no types were given. */
    public int tokenType(int id) {
        return tokenTypes == null ? TokenTypes.NORMAL : tokenTypes[id];
    }

    /** The score of token {@code id}; 0 when no scores were given. */
    public float score(int id) {
        return scores == null ? 0f : scores[id];
    }

    @Override
    public String toString() {
        return "TokenizerSpec[model=" + model + ", pre=" + pre + ", vocabSize=" + tokens.size()
                + ", merges=" + (merges == null ? 0 : merges.size()) + ", bos=" + bosId
                + ", eos=" + eosId + ", unk=" + unkId + ", pad=" + padId + ", addBos=" + addBos
                + ", addEos=" + addEos + ", addSpacePrefix=" + addSpacePrefix + " (" + spacePrefixRule + ")]";
    }
}

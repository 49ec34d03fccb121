package dev.seriatim.text.hf;

import dev.seriatim.io.Utf8Strings;
import dev.seriatim.text.tokenizer.NfcTokenizer;
import dev.seriatim.text.tokenizer.PreTokenizerRegexes;
import dev.seriatim.text.tokenizer.SpacePrefixRule;
import dev.seriatim.text.tokenizer.TokenTypes;
import dev.seriatim.text.tokenizer.Tokenizer;
import dev.seriatim.text.tokenizer.TokenizerSpec;
import dev.seriatim.text.tokenizer.Tokenizers;
import dev.seriatim.text.transformer.UnsupportedModelException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import tools.jackson.databind.JsonNode;

/**
 * Builds a tokenizer from a Hugging Face {@code tokenizer.json} (and {@code tokenizer_config.json}
 * for BOS/EOS) onto the existing tokenizers, recognising the two shapes these families use:
 * <ul>
 *   <li>byte-level BPE (GPT-2, Llama 3, Qwen2/3): a {@code ByteLevel} pre-tokenizer, alone (GPT-2's
 *       regex) or after a {@code Split} whose regex is one of the known ones (Llama 3, Qwen2);
 *       optional {@code NFC} normalizer;</li>
 *   <li>SentencePiece-style BPE (Llama 2, Mistral, TinyLlama): {@code byte_fallback}, spaces
 *       replaced by U+2581 with a prepended one (a {@code Prepend}+{@code Replace} normalizer or
 *       a {@code Metaspace} pre-tokenizer). Merge ranks become scores (rank r scores -r on the
 *       token it makes), since the SentencePiece tokenizer merges by score.</li>
 * </ul>
 * Merges may be {@code "a b"} strings or {@code ["a", "b"]} pairs. Added tokens marked
 * {@code special} become control tokens (split out of text, decoded to nothing), the others
 * user-defined ones (split out, decoded to their text). Ids no token names (holes, and rows the
 * embedding has beyond the vocabulary) become unused tokens, so ids and embedding rows agree.
 * Anything else is refused by name rather than tokenized differently from the reference.
 */
public final class HfTokenizerJson {

    private HfTokenizerJson() {
    }

    /**
     * @param json        the parsed tokenizer.json
     * @param config      the parsed tokenizer_config.json, or null
     * @param minVocab    pad the vocabulary with unused tokens up to this size (the embedding rows); 0 for none
     * @param fallbackBos BOS id from config.json when tokenizer_config names none, else -1
     */
    public static Tokenizer build(JsonNode json, JsonNode config, int minVocab, int fallbackBos) {
        return build(TokenizerJsonParts.fromTree(json), config, minVocab, fallbackBos);
    }

    /**
     * As {@link #build(JsonNode, JsonNode, int, int)}, reading tokenizer.json from {@code in}
     * without making a tree of its vocabulary and merges (the bulk of the file).
     */
    public static Tokenizer read(InputStream in, JsonNode config, int minVocab, int fallbackBos) throws IOException {
        return build(TokenizerJsonParts.read(in), config, minVocab, fallbackBos);
    }

    private static Tokenizer build(TokenizerJsonParts parts, JsonNode config, int minVocab, int fallbackBos) {
        JsonNode json = parts.root();
        JsonNode model = json.get("model");
        if (model == null || !"BPE".equals(text(model, "type"))) {
            throw new UnsupportedModelException("tokenizer.json: model type '" + (model == null ? null : text(model, "type"))
                    + "' is not supported (supported: BPE)");
        }
        boolean byteFallback = model.has("byte_fallback") && model.get("byte_fallback").asBoolean();
        String pre = byteFallback ? null : byteLevelPre(json.get("pre_tokenizer"));
        boolean nfc = false;
        SpacePrefixRule spacePrefix = null;
        JsonNode norm = json.get("normalizer");
        if (byteFallback) {
            spacePrefix = sentencePieceSpacing(norm, json.get("pre_tokenizer"));
        } else if (norm != null && !norm.isNull()) {
            if (!"NFC".equals(text(norm, "type"))) {
                throw new UnsupportedModelException("tokenizer.json: normalizer '" + text(norm, "type")
                        + "' is not supported with byte-level BPE (supported: none, NFC)");
            }
            nfc = true;
        }

        Utf8Strings vocab = parts.vocab();
        if (vocab == null) {
            throw new UnsupportedModelException("tokenizer.json: model.vocab is not an object");
        }
        int[] vocabIds = parts.vocabIds();
        int size = minVocab;
        for (int id : vocabIds) {
            size = Math.max(size, id + 1);
        }
        JsonNode added = json.get("added_tokens");
        Map<Integer, String> addedContent = new HashMap<>();
        Map<String, Integer> addedIds = new HashMap<>();
        if (added != null && added.isArray()) {
            for (JsonNode a : added) {
                size = Math.max(size, id(a.get("id"), "added_tokens id") + 1);
            }
        }
        int[] types = new int[size];
        // the key that names each id, in id order: the vocabulary need not be listed by id
        int[] keyOfId = new int[size];
        Arrays.fill(keyOfId, -1);
        for (int k = 0; k < vocabIds.length; k++) {
            int id = vocabIds[k];
            if (keyOfId[id] >= 0) {
                throw new UnsupportedModelException("tokenizer.json: model.vocab gives id " + id + " to both '"
                        + abbreviate(vocab.get(keyOfId[id])) + "' and '" + abbreviate(vocab.get(k)) + "'");
            }
            keyOfId[id] = k;
            types[id] = byteFallback && isByteToken(vocab.get(k)) ? TokenTypes.BYTE : TokenTypes.NORMAL;
        }
        if (added != null && added.isArray()) {
            for (JsonNode a : added) {
                int id = a.get("id").intValue();
                String content = text(a, "content");
                if (content == null || content.isEmpty()) {
                    throw new UnsupportedModelException("tokenizer.json: added token " + id + " has no content");
                }
                TokenizerJsonParts.unicode(content, "added token " + id);
                for (String flag : new String[] {"lstrip", "rstrip", "single_word"}) {
                    if (a.has(flag) && a.get(flag).asBoolean()) {
                        // these change how text around the token is cut; tokenizing as if they were
                        // off would silently differ from the reference, so refuse instead
                        throw new UnsupportedModelException("tokenizer.json: added token '" + abbreviate(content) + "' sets "
                                + flag + ", which is not supported");
                    }
                }
                addedContent.put(id, content);
                types[id] = a.has("special") && a.get("special").asBoolean() ? TokenTypes.CONTROL : TokenTypes.USER_DEFINED;
                addedIds.put(content, id);
            }
        }
        Utf8Strings.Builder texts = new Utf8Strings.Builder(size);
        for (int i = 0; i < size; i++) {
            String content = addedContent.get(i);
            if (content != null) {
                texts.add(content);
            } else if (keyOfId[i] >= 0) {
                texts.add(vocab, keyOfId[i]);
            } else {
                texts.add("<seriatim:unused:" + i + ">");
                types[i] = TokenTypes.UNUSED;
            }
        }
        Utf8Strings tokens = texts.build();
        ToIntFunction<String> vocabId = key -> {
            for (int k = 0; k < vocab.size(); k++) {
                if (vocab.equalsAt(k, key)) {
                    return vocabIds[k];
                }
            }
            return -1;
        };
        Utf8Strings merges = parts.merges();
        float[] scores = null;
        int unk = -1;
        if (byteFallback) {
            scores = scoresFromMerges(tokens.size(), vocab, vocabIds, merges);
            unk = vocabId.applyAsInt(String.valueOf(text(model, "unk_token")));
            if (unk >= 0) {
                types[unk] = TokenTypes.UNKNOWN;
            }
        }
        int bos = special(config, "bos_token", addedIds, vocabId);
        if (bos < 0) {
            bos = fallbackBos >= 0 && fallbackBos < size ? fallbackBos : -1;
        }
        int eos = special(config, "eos_token", addedIds, vocabId);
        int pad = special(config, "pad_token", addedIds, vocabId);
        boolean addBos = addBos(json, config, tokens, bos);
        boolean addEos = config != null && config.has("add_eos_token") && config.get("add_eos_token").asBoolean() && eos >= 0;
        TokenizerSpec spec = new TokenizerSpec(byteFallback ? "llama" : "gpt2", pre, tokens, scores,
                types, byteFallback ? null : merges, bos, eos, unk, pad, addBos, addEos, spacePrefix != null,
                spacePrefix == null ? SpacePrefixRule.EVERY_STRETCH : spacePrefix);
        Tokenizer t = Tokenizers.from(spec);
        return nfc ? new NfcTokenizer(t) : t;
    }

    /** The GGUF pre-tokenizer name whose regexes equal this byte-level pre-tokenizer's. */
    private static String byteLevelPre(JsonNode pre) {
        if (pre == null || pre.isNull()) {
            throw new UnsupportedModelException("tokenizer.json: byte-level BPE without a pre_tokenizer is not supported");
        }
        String type = text(pre, "type");
        if ("ByteLevel".equals(type)) {
            if (pre.has("add_prefix_space") && pre.get("add_prefix_space").asBoolean()) {
                throw new UnsupportedModelException("tokenizer.json: ByteLevel add_prefix_space=true is not supported");
            }
            return "gpt-2";
        }
        if ("Sequence".equals(type)) {
            JsonNode list = pre.get("pretokenizers");
            if (list != null && list.size() == 2 && "Split".equals(text(list.get(0), "type"))
                    && "ByteLevel".equals(text(list.get(1), "type"))) {
                JsonNode pattern = list.get(0).get("pattern");
                String regex = pattern == null ? null : text(pattern, "Regex");
                String name = PreTokenizerRegexes.nameOf(regex);
                if (name != null && "Isolated".equals(text(list.get(0), "behavior"))) {
                    return name;
                }
                throw new UnsupportedModelException("tokenizer.json: Split pre-tokenizer regex is not one Seriatim knows: "
                        + abbreviate(regex));
            }
        }
        throw new UnsupportedModelException("tokenizer.json: pre_tokenizer " + abbreviate(pre.toString()) + " is not supported");
    }

    /**
     * SentencePiece's space rule, spelled two ways in tokenizer.json: a normalizer that prepends
     * U+2581 to every stretch and replaces spaces, or a {@code Metaspace} pre-tokenizer (which
     * does not prepend to a stretch already starting with a space, and with {@code prepend_scheme}
     * "first" only to the input's first stretch). Null when no space is prepended.
     */
    private static SpacePrefixRule sentencePieceSpacing(JsonNode norm, JsonNode pre) {
        if (norm != null && !norm.isNull()) {
            String s = norm.toString();
            if (!s.contains("\"Replace\"") || !s.contains("\u2581")) {
                throw new UnsupportedModelException("tokenizer.json: normalizer " + abbreviate(s)
                        + " is not supported with byte_fallback BPE");
            }
            return s.contains("\"Prepend\"") ? SpacePrefixRule.EVERY_STRETCH : null;
        }
        if (pre != null && "Metaspace".equals(text(pre, "type"))) {
            if (pre.has("split") && pre.get("split").asBoolean()) {
                throw new UnsupportedModelException("tokenizer.json: Metaspace with split=true is not supported");
            }
            String scheme = text(pre, "prepend_scheme");
            if (scheme == null) {
                boolean add = !pre.has("add_prefix_space") || pre.get("add_prefix_space").asBoolean();
                return add ? SpacePrefixRule.EVERY_STRETCH_NOT_STARTING_WITH_SPACE : null;
            }
            return switch (scheme) {
                case "always" -> SpacePrefixRule.EVERY_STRETCH_NOT_STARTING_WITH_SPACE;
                case "first" -> SpacePrefixRule.FIRST_STRETCH_NOT_STARTING_WITH_SPACE;
                case "never" -> null;
                default -> throw new UnsupportedModelException("tokenizer.json: Metaspace prepend_scheme '" + scheme
                        + "' is not supported");
            };
        }
        throw new UnsupportedModelException("tokenizer.json: byte_fallback BPE without a space rule (normalizer or Metaspace)");
    }

    private static boolean isByteToken(String s) {
        return s.length() == 6 && s.startsWith("<0x") && s.endsWith(">");
    }

    /**
     * Scores for the SentencePiece tokenizer: the token made by merge rank r scores -r, so the
     * earliest merge wins as in HF's BPE; tokens no merge makes score below every merge.
     */
    private static float[] scoresFromMerges(int size, Utf8Strings vocab, int[] vocabIds, Utf8Strings merges) {
        Map<String, Integer> ids = new HashMap<>(); // byte_fallback vocabularies are small (32k for Llama 2)
        for (int k = 0; k < vocab.size(); k++) {
            ids.put(vocab.get(k), vocabIds[k]);
        }
        float[] scores = new float[size];
        Arrays.fill(scores, -merges.size() - 1f);
        for (int r = merges.size() - 1; r >= 0; r--) {
            String merge = merges.get(r);
            int space = merge.indexOf(' ');
            Integer id = space < 0 ? null : ids.get(merge.substring(0, space) + merge.substring(space + 1));
            if (id != null) {
                scores[id] = -r;
            }
        }
        return scores;
    }

    /** {@code bos_token} / {@code eos_token} of tokenizer_config.json: a string or {"content": ...}. */
    private static int special(JsonNode config, String key, Map<String, Integer> added, ToIntFunction<String> vocab) {
        JsonNode v = config == null ? null : config.get(key);
        String s = v == null ? null : v.isString() ? v.stringValue() : v.isObject() ? text(v, "content") : null;
        if (s == null) {
            return -1;
        }
        Integer id = added.get(s);
        return id != null ? id : vocab.applyAsInt(s);
    }

    /** tokenizer_config's add_bos_token, else whether the post-processor template starts with BOS. */
    private static boolean addBos(JsonNode json, JsonNode config, List<String> tokens, int bos) {
        if (bos < 0) {
            return false;
        }
        if (config != null && config.has("add_bos_token") && !config.get("add_bos_token").isNull()) {
            return config.get("add_bos_token").asBoolean();
        }
        JsonNode post = json.get("post_processor");
        if (post == null || post.isNull()) {
            return false;
        }
        List<JsonNode> processors = new ArrayList<>();
        if ("Sequence".equals(text(post, "type")) && post.has("processors")) {
            post.get("processors").forEach(processors::add);
        } else {
            processors.add(post);
        }
        for (JsonNode p : processors) {
            if ("TemplateProcessing".equals(text(p, "type")) && p.has("single") && !p.get("single").isEmpty()) {
                JsonNode first = p.get("single").get(0).get("SpecialToken");
                return first != null && tokens.get(bos).equals(text(first, "id"));
            }
        }
        return false;
    }

    private static int id(JsonNode v, String what) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() >= 1 << 24) {
            throw new UnsupportedModelException("tokenizer.json: " + abbreviate(what) + " is not a token id in [0, 2^24)");
        }
        return v.intValue();
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n == null ? null : n.get(key);
        return v != null && v.isString() ? v.stringValue() : null;
    }

    static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}

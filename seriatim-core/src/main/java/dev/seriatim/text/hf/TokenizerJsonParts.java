package dev.seriatim.text.hf;

import dev.seriatim.io.Utf8Strings;
import dev.seriatim.text.transformer.UnsupportedModelException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tokenizer.json with its two large parts, {@code model.vocab} and {@code model.merges}, as
 * compact UTF-8 lists and everything else as a JSON tree. Read from a stream, those parts never
 * become a tree: Qwen3's 11 MB file parsed into one took about 180 MiB of heap at its peak, and
 * the pages that peak touched stay in the process after the tree is garbage.
 *
 * @param root     the file without model.vocab and model.merges (read from a tree: the whole tree)
 * @param vocab    model.vocab's keys in file order, or null when it is missing or not an object
 * @param vocabIds the id of each key
 * @param merges   model.merges as "a b" strings in rank order; empty when missing or not an array
 */
record TokenizerJsonParts(JsonNode root, Utf8Strings vocab, int[] vocabIds, Utf8Strings merges) {

    /** Largest token id accepted, far above any real vocabulary, so ids size arrays safely. */
    static final int MAX_ID = (1 << 24) - 1;

    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    // vocabulary keys are each read once: a symbol table of them is memory for nothing
                    .disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            // subtrees are read one value at a time from the middle of the file
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The parts of an already parsed tokenizer.json. */
    static TokenizerJsonParts fromTree(JsonNode json) {
        JsonNode model = json.get("model");
        JsonNode vocabNode = model == null ? null : model.get("vocab");
        Utf8Strings vocab = null;
        int[] ids = new int[0];
        if (vocabNode != null && vocabNode.isObject()) {
            Utf8Strings.Builder keys = new Utf8Strings.Builder(vocabNode.size());
            ids = new int[vocabNode.size()];
            int i = 0;
            for (Map.Entry<String, JsonNode> e : vocabNode.properties()) {
                JsonNode v = e.getValue();
                boolean valid = v.isIntegralNumber() && v.canConvertToInt();
                ids[i++] = checkId(valid, valid ? v.intValue() : -1, e.getKey());
                keys.add(unicode(e.getKey(), "model.vocab key #" + i));
            }
            vocab = keys.build();
        }
        JsonNode mergesNode = model == null ? null : model.get("merges");
        Utf8Strings.Builder merges = new Utf8Strings.Builder(mergesNode == null ? 0 : mergesNode.size());
        if (mergesNode != null && mergesNode.isArray()) {
            for (int i = 0; i < mergesNode.size(); i++) {
                JsonNode m = mergesNode.get(i);
                if (m.isString()) {
                    merges.add(unicode(m.stringValue(), "merge " + i));
                } else if (m.isArray() && m.size() == 2 && m.get(0).isString() && m.get(1).isString()) {
                    merges.add(pair(i, m.get(0).stringValue(), m.get(1).stringValue()));
                } else {
                    throw badMerge(i);
                }
            }
        }
        return new TokenizerJsonParts(json, vocab, ids, merges.build());
    }

    /**
     * Reads a tokenizer.json from {@code in}, streaming model.vocab and model.merges into compact
     * lists; the rest (normalizer, pre-tokenizer, added tokens, ...) is small and becomes a tree.
     */
    static TokenizerJsonParts read(InputStream in) throws IOException {
        return read(in, MAX_ID + 1);
    }

    /** As {@link #read(InputStream)}, refusing more than {@code maxEntries} vocabulary entries or merges. */
    static TokenizerJsonParts read(InputStream in, int maxEntries) throws IOException {
        // a strict decoder: with name canonicalization off, Jackson reads through a Reader, and the
        // default one would turn bytes that are not UTF-8 into U+FFFD instead of refusing them
        Reader text = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new UnsupportedModelException("tokenizer.json is not a JSON object");
            }
            ObjectNode root = JSON.createObjectNode();
            Streamed streamed = new Streamed(maxEntries);
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                p.nextToken();
                if (root.has(name)) {
                    throw duplicate(name);
                }
                if (name.equals("model") && p.currentToken() == JsonToken.START_OBJECT) {
                    root.set(name, model(p, streamed));
                } else {
                    root.set(name, JSON.readTree(p));
                }
            }
            if (p.nextToken() != null) {
                throw new UnsupportedModelException("tokenizer.json has more after its JSON object");
            }
            Utf8Strings vocab = streamed.vocab == null ? null : streamed.vocab.build();
            int[] repeat = vocab == null ? null : vocab.firstRepeat();
            if (repeat != null) {
                throw duplicate("model.vocab['" + HfTokenizerJson.abbreviate(vocab.get(repeat[1])) + "']");
            }
            int[] ids = vocab == null ? new int[0] : Arrays.copyOf(streamed.ids, vocab.size());
            Utf8Strings merges = (streamed.merges == null ? new Utf8Strings.Builder(0) : streamed.merges).build();
            return new TokenizerJsonParts(root, vocab, ids, merges);
        } catch (JacksonIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw new UnsupportedModelException("tokenizer.json is not valid UTF-8");
            }
            throw e.getCause();
        } catch (JacksonException e) {
            throw new UnsupportedModelException("tokenizer.json is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** What {@link #read} streams out of the model object. */
    private static final class Streamed {
        /** Bounds what a hostile file can make the lists hold, tiny entries being a few bytes of JSON each. */
        final int maxEntries;
        Utf8Strings.Builder vocab;
        int[] ids;
        Utf8Strings.Builder merges;

        Streamed(int maxEntries) {
            this.maxEntries = maxEntries;
        }
    }

    /** The model object without vocab and merges, which go into {@code out}; the parser is at its start. */
    private static ObjectNode model(JsonParser p, Streamed out) {
        ObjectNode model = JSON.createObjectNode();
        boolean vocabSeen = false;
        boolean mergesSeen = false;
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            JsonToken t = p.nextToken();
            if (model.has(name) || name.equals("vocab") && vocabSeen || name.equals("merges") && mergesSeen) {
                throw duplicate("model." + name);
            }
            if (name.equals("vocab")) {
                vocabSeen = true;
                if (t == JsonToken.START_OBJECT) {
                    vocab(p, out);
                } else {
                    p.skipChildren(); // not an object: the builder says so, after checking the model type
                }
            } else if (name.equals("merges")) {
                mergesSeen = true;
                if (t == JsonToken.START_ARRAY) {
                    out.merges = merges(p, out.maxEntries);
                } else {
                    p.skipChildren();
                }
            } else {
                model.set(name, JSON.readTree(p));
            }
        }
        return model;
    }

    private static void vocab(JsonParser p, Streamed out) {
        Utf8Strings.Builder keys = new Utf8Strings.Builder(1 << 10);
        int[] ids = new int[1 << 10];
        int n = 0;
        for (String key = p.nextName(); key != null; key = p.nextName()) {
            JsonToken t = p.nextToken();
            boolean valid = t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT;
            if (!valid) {
                p.skipChildren();
            }
            if (n == out.maxEntries) {
                throw tooMany("model.vocab", out.maxEntries);
            }
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, (int) Math.min(out.maxEntries, 2L * n));
            }
            ids[n++] = checkId(valid, valid ? p.getIntValue() : -1, key);
            keys.add(unicode(key, "model.vocab key #" + n));
        }
        out.vocab = keys;
        out.ids = ids;
    }

    private static Utf8Strings.Builder merges(JsonParser p, int maxEntries) {
        Utf8Strings.Builder merges = new Utf8Strings.Builder(1 << 10);
        for (int i = 0; ; i++) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_ARRAY) {
                return merges;
            }
            if (i == maxEntries) {
                throw tooMany("model.merges", maxEntries);
            }
            if (t == JsonToken.VALUE_STRING) {
                merges.add(unicode(p.getString(), "merge " + i));
            } else if (t == JsonToken.START_ARRAY && p.nextToken() == JsonToken.VALUE_STRING) {
                String a = p.getString();
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    throw badMerge(i);
                }
                String b = p.getString();
                if (p.nextToken() != JsonToken.END_ARRAY) {
                    throw badMerge(i);
                }
                merges.add(pair(i, a, b));
            } else {
                throw badMerge(i);
            }
        }
    }

    private static int checkId(boolean integral, int id, String key) {
        if (!integral || id < 0 || id > MAX_ID) {
            throw new UnsupportedModelException("tokenizer.json: model.vocab['" + HfTokenizerJson.abbreviate(key)
                    + "'] is not a token id in [0, 2^24)");
        }
        return id;
    }

    /** A merge given as a pair, in the "a b" form; a part holding a space would make that ambiguous. */
    private static String pair(int i, String a, String b) {
        if (a.indexOf(' ') >= 0 || b.indexOf(' ') >= 0) {
            throw new UnsupportedModelException("tokenizer.json: merge " + i + " has a part containing a space");
        }
        return unicode(a + " " + b, "merge " + i);
    }

    /**
     * {@code text}, refused when it holds an unpaired surrogate (a JSON escape can write one):
     * kept as UTF-8 it would become another text.
     */
    static String unicode(String text, String what) {
        if (Utf8Strings.unpairedSurrogate(text) >= 0) {
            throw new UnsupportedModelException("tokenizer.json: " + what + " holds an unpaired surrogate, which is not text");
        }
        return text;
    }

    private static UnsupportedModelException badMerge(int i) {
        return new UnsupportedModelException("tokenizer.json: merge " + i + " is neither \"a b\" nor [\"a\", \"b\"]");
    }

    private static UnsupportedModelException tooMany(String what, int max) {
        return new UnsupportedModelException("tokenizer.json: " + what + " has more than " + max + " entries");
    }

    private static UnsupportedModelException duplicate(String name) {
        return new UnsupportedModelException("tokenizer.json is not valid JSON: duplicate key '"
                + HfTokenizerJson.abbreviate(name) + "'");
    }
}

package dev.seriatim.text.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * SentencePiece BPE, GGUF model {@code "llama"} (Llama 1/2, Mistral, Gemma...), following
 * llama.cpp's SPM tokenizer.
 *
 * <p>Encoding rules, in order:
 * <ol>
 *   <li>control and user-defined token texts are split out ({@link SpecialTokenSplitter});</li>
 *   <li>with {@code addSpacePrefix}, a space is prepended to every plain stretch that begins the
 *       input or directly follows a split-out token (narrowed by {@link SpacePrefixRule} for
 *       tokenizer.json's Metaspace). This is what llama.cpp does
 *       ({@code is_prev_special} starts true and is set again after each special token), so
 *       {@code "<|im_start|>user"} gives {@code <|im_start|>, ▁user};</li>
 *   <li>every space becomes U+2581 '▁';</li>
 *   <li>the stretch is cut into characters (code points), and the adjacent pair whose
 *       concatenation is a token with the highest score is merged, leftmost first among equal
 *       scores, until no adjacent pair concatenates to a token;</li>
 *   <li>each final symbol maps to its token; a character that is no token falls back to byte
 *       tokens {@code <0xNN>} for its UTF-8 bytes (an ASCII byte without one may use the
 *       one-character token); if a byte has neither, the whole character becomes the unknown
 *       token, and without an unknown token encoding fails.</li>
 * </ol>
 *
 * <p>Decoding: normal tokens give their text with '▁' turned into space, byte tokens their
 * byte, user-defined tokens their text, the unknown token U+2585 '▅' (as llama.cpp), control
 * and unused tokens nothing. With {@code addSpacePrefix} a single leading space is removed from
 * the first token that contributes any bytes, so that {@code decode(encode(s))} and
 * {@code decode(encodeWithSpecials(s))} give back {@code s}. This is SentencePiece's and the HF
 * decoder's rule; llama.cpp's {@code detokenize} instead strips only from {@code tokens[0]},
 * which keeps the space when the sequence starts with BOS.
 */
public final class SentencePieceBpeTokenizer implements Tokenizer {

    private static final char SPACE_MARK = '\u2581';
    private static final byte[] UNKNOWN_BYTES = "\u2585".getBytes(StandardCharsets.UTF_8);

    private final Vocabulary vocabulary;
    private final SpecialTokenSplitter specials;
    private final int[] tokenOfByte = new int[256];
    private final TokenBytes bytesOfToken;
    private final boolean wordsAreIndependent;
    private final java.util.concurrent.ConcurrentHashMap<String, int[]> wordCache = new java.util.concurrent.ConcurrentHashMap<>();

    private static final int CACHE_LIMIT = 1 << 16;

    /** @throws IllegalArgumentException if the model is not {@code "llama"} */
    public SentencePieceBpeTokenizer(TokenizerSpec spec) {
        if (!"llama".equals(spec.model())) {
            throw new IllegalArgumentException("SentencePieceBpeTokenizer needs model 'llama', not '"
                    + spec.model() + "'");
        }
        this.vocabulary = new Vocabulary(spec);
        this.specials = new SpecialTokenSplitter(spec);
        HexFormat hex = HexFormat.of().withUpperCase();
        for (int b = 0; b < 256; b++) {
            int id = vocabulary.idOf("<0x" + hex.toHexDigits((byte) b) + ">");
            if (id < 0 && b < 0x80) {
                id = vocabulary.idOf(String.valueOf((char) b));
            }
            tokenOfByte[b] = id;
        }
        this.bytesOfToken = new TokenBytes(spec.vocabSize(), id -> bytesOf(spec.tokens().get(id), spec.tokenType(id)));
        this.wordsAreIndependent = noTokenSpansAWordStart(spec.tokens());
    }

    /**
     * Whether no token holds a '▁' right after another character than '▁'. Then no merge can
     * cross the point before such a '▁', so the text can be cut there into words that are merged
     * independently (and cached) with exactly the result of merging the whole stretch at once.
     */
    private static boolean noTokenSpansAWordStart(List<String> tokens) {
        for (String t : tokens) {
            for (int i = 1; i < t.length(); i++) {
                if (t.charAt(i) == SPACE_MARK && t.charAt(i - 1) != SPACE_MARK) {
                    return false;
                }
            }
        }
        return true;
    }

    private static byte[] bytesOf(String text, int type) {
        return switch (type) {
            case TokenTypes.CONTROL, TokenTypes.UNUSED -> new byte[0];
            case TokenTypes.UNKNOWN -> UNKNOWN_BYTES;
            case TokenTypes.USER_DEFINED -> text.getBytes(StandardCharsets.UTF_8);
            case TokenTypes.BYTE -> byteTokenValue(text);
            default -> text.replace(SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
        };
    }

    /** {@code <0xNN>} gives byte NN; a byte-typed token of another shape gives its text. */
    private static byte[] byteTokenValue(String text) {
        if (text.length() == 6 && text.startsWith("<0x") && text.endsWith(">")) {
            try {
                return new byte[] {(byte) HexFormat.fromHexDigits(text, 3, 5)};
            } catch (IllegalArgumentException notHex) {
                // fall through
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether decoding drops one leading space (the {@code addSpacePrefix} rule). */
    boolean dropsLeadingSpace() {
        return vocabulary.spec().addSpacePrefix();
    }

    @Override
    public int[] encode(String text) {
        IntList out = new IntList();
        Merger merger = new Merger();
        boolean afterSpecial = true;
        boolean first = true;
        SpacePrefixRule rule = vocabulary.spec().spacePrefixRule();
        for (SpecialTokenSplitter.Fragment fragment : specials.split(text)) {
            if (fragment.isSpecial()) {
                out.add(fragment.tokenId());
                afterSpecial = true;
                first = false;
                continue;
            }
            String plain = text.substring(fragment.start(), fragment.end());
            boolean prefix = afterSpecial && vocabulary.spec().addSpacePrefix() && switch (rule) {
                case EVERY_STRETCH -> true;
                case EVERY_STRETCH_NOT_STARTING_WITH_SPACE -> !plain.startsWith(" ");
                case FIRST_STRETCH_NOT_STARTING_WITH_SPACE -> first && !plain.startsWith(" ");
            };
            if (prefix) {
                plain = " " + plain;
            }
            encodeStretch(plain.replace(' ', SPACE_MARK), merger, out);
            afterSpecial = false;
            first = false;
        }
        return out.toArray();
    }

    private void encodeStretch(String s, Merger merger, IntList out) {
        if (!wordsAreIndependent) {
            merger.encode(s, out);
            return;
        }
        int from = 0;
        for (int i = 1; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == SPACE_MARK && s.charAt(i - 1) != SPACE_MARK) {
                String word = s.substring(from, i);
                int[] ids = wordCache.get(word);
                if (ids == null) {
                    IntList one = new IntList();
                    merger.encode(word, one);
                    ids = one.toArray();
                    if (wordCache.size() >= CACHE_LIMIT) {
                        wordCache.clear();
                    }
                    wordCache.put(word, ids);
                }
                out.addAll(ids);
                from = i;
            }
        }
    }

    /** Per-call state for merging one stretch: a linked list of symbols over the text, each
     * symbol {@code [start[i], end[i])}, and a queue of candidate pairs keyed by
     * (descending score, left position). */
    private final class Merger {
        private int[] start = new int[64];
        private int[] end = new int[64];
        private int[] prev = new int[64];
        private int[] next = new int[64];
        private final LongMinHeap heap = new LongMinHeap();
        private String text;

        void encode(String s, IntList out) {
            text = s;
            int n = s.codePointCount(0, s.length());
            if (start.length < n) {
                start = new int[n];
                end = new int[n];
                prev = new int[n];
                next = new int[n];
            }
            heap.clear();
            for (int i = 0, at = 0; i < n; i++) {
                start[i] = at;
                at += Character.charCount(s.codePointAt(at));
                end[i] = at;
                prev[i] = i - 1;
                next[i] = i + 1 < n ? i + 1 : -1;
            }
            for (int i = 0; i + 1 < n; i++) {
                pushPair(i);
            }
            while (!heap.isEmpty()) {
                long key = heap.pop();
                int left = (int) key;
                int right = next[left];
                if (start[left] < 0 || right < 0 || priority(left, right) != (int) (key >> 32)) {
                    continue; // stale: this pair has changed since it was queued
                }
                end[left] = end[right];
                start[right] = -1;
                next[left] = next[right];
                if (next[right] >= 0) {
                    prev[next[right]] = left;
                }
                if (prev[left] >= 0) {
                    pushPair(prev[left]);
                }
                pushPair(left);
            }
            for (int i = n == 0 ? -1 : 0; i >= 0; i = next[i]) {
                String symbol = s.substring(start[i], end[i]);
                int id = vocabulary.idOf(symbol);
                if (id >= 0) {
                    out.add(id);
                } else {
                    byteFallback(symbol, out);
                }
            }
        }

        private void pushPair(int left) {
            int right = next[left];
            if (right >= 0) {
                int priority = priority(left, right);
                if (priority != NO_TOKEN) {
                    heap.push(((long) priority << 32) | left);
                }
            }
        }

        private static final int NO_TOKEN = Integer.MAX_VALUE;

        /** Smaller is merged first: the negated score, as an order-preserving int. */
        private int priority(int left, int right) {
            int id = vocabulary.idOf(text.substring(start[left], end[right]));
            if (id < 0) {
                return NO_TOKEN;
            }
            int bits = Float.floatToIntBits(-vocabulary.spec().score(id));
            int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF);
            return ordered == NO_TOKEN ? NO_TOKEN - 1 : ordered;
        }
    }

    private void byteFallback(String symbol, IntList out) {
        byte[] bytes = symbol.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            if (tokenOfByte[b & 0xFF] < 0) {
                int unk = vocabulary.spec().unkId();
                if (unk < 0) {
                    throw new IllegalArgumentException("cannot encode U+"
                            + Integer.toHexString(symbol.codePointAt(0)).toUpperCase()
                            + ": no byte token for 0x" + HexFormat.of().toHexDigits(b)
                            + " and no unknown token");
                }
                out.add(unk);
                return;
            }
        }
        for (byte b : bytes) {
            out.add(tokenOfByte[b & 0xFF]);
        }
    }

    @Override
    public int[] encodeWithSpecials(String text) {
        return vocabulary.withSpecials(encode(text));
    }

    @Override
    public byte[] tokenBytes(int id) {
        return bytesOfToken.of(vocabulary.checkId(id));
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        boolean dropSpace = dropsLeadingSpace();
        for (int id : ids) {
            int token = vocabulary.checkId(id);
            int skip = 0;
            if (dropSpace && bytesOfToken.length(token) > 0) {
                dropSpace = false;
                skip = bytesOfToken.at(token, 0) == ' ' ? 1 : 0;
            }
            bytesOfToken.writeTo(token, skip, out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public TokenizerSpec spec() {
        return vocabulary.spec();
    }
}

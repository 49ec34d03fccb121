package dev.seriatim.text.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE, GGUF model {@code "gpt2"} (GPT-2, Llama 3, Qwen2, SmolLM...), and model
 * {@code "tiktoken"} (OpenAI's cl100k_base, o200k_base: see {@link TiktokenEncoding}), whose
 * merges are implied by the token ranks ({@link BpeMergeTable#fromTokenRanks}).
 *
 * <p>Encoding rules, in order:
 * <ol>
 *   <li>control and user-defined token texts are split out ({@link SpecialTokenSplitter});</li>
 *   <li>each remaining stretch is cut into words by the pre-tokenizer {@code spec.pre()} names
 *       ({@link PreTokenizer});</li>
 *   <li>each word becomes its UTF-8 bytes, one symbol per byte, spelled with GPT-2's
 *       byte-to-unicode table ({@link ByteUnicodeTable});</li>
 *   <li>with Llama 3's pre-tokenizer, and with tiktoken, a word that is itself a token is taken
 *       whole;</li>
 *   <li>otherwise the adjacent pair with the lowest merge rank is merged, leftmost first among
 *       equal ranks, until no adjacent pair has a merge;</li>
 *   <li>each final symbol maps to its token; a symbol that is no token (only possible with
 *       incomplete vocabularies) falls back to the tokens of its single bytes, or the unknown
 *       token for a byte without one, or nothing if there is no unknown token either (as
 *       llama.cpp, which drops it).</li>
 * </ol>
 * Decoding maps each character of a normal token back to its byte; user-defined tokens give
 * their text as UTF-8; control, unknown and unused tokens give nothing.
 */
public final class ByteLevelBpeTokenizer implements Tokenizer {

    private static final int CACHE_LIMIT = 1 << 16;

    private final Vocabulary vocabulary;
    private final SpecialTokenSplitter specials;
    private final PreTokenizer preTokenizer;
    private final BpeMergeTable merges;
    private final boolean wholeWordFirst;
    private final int[] symbolOfByte = new int[256];
    private final int[] tokenOfByte = new int[256];
    private final TokenBytes bytesOfToken;
    private final ConcurrentHashMap<String, int[]> wordCache = new ConcurrentHashMap<>();

    /**
     * @throws IllegalArgumentException if the model is neither {@code "gpt2"} nor
     *                                  {@code "tiktoken"}, the pre-tokenizer is unknown, a merge
     *                                  is malformed, or a tiktoken spec lists merges
     */
    public ByteLevelBpeTokenizer(TokenizerSpec spec) {
        boolean tiktoken = "tiktoken".equals(spec.model());
        if (!tiktoken && !"gpt2".equals(spec.model())) {
            throw new IllegalArgumentException("ByteLevelBpeTokenizer needs model 'gpt2' or 'tiktoken', not '"
                    + spec.model() + "'");
        }
        if (tiktoken && spec.merges() != null) {
            throw new IllegalArgumentException("model 'tiktoken' takes its merges from the token ranks;"
                    + " the spec must not list merges");
        }
        this.vocabulary = new Vocabulary(spec);
        this.preTokenizer = PreTokenizer.forName(spec.pre());
        this.specials = new SpecialTokenSplitter(spec);
        this.merges = tiktoken
                ? BpeMergeTable.fromTokenRanks(vocabulary.ids(), spec)
                : new BpeMergeTable(vocabulary.ids(), spec.vocabSize(), spec.merges());
        this.wholeWordFirst = tiktoken || preTokenizer.ignoreMerges();
        for (int b = 0; b < 256; b++) {
            String symbol = String.valueOf(ByteUnicodeTable.charOf(b));
            symbolOfByte[b] = merges.symbolId(symbol);
            tokenOfByte[b] = vocabulary.idOf(symbol);
        }
        this.bytesOfToken = new TokenBytes(spec.vocabSize(), id -> bytesOf(spec.tokens().get(id), spec.tokenType(id)));
    }

    private static byte[] bytesOf(String text, int type) {
        return switch (type) {
            case TokenTypes.CONTROL, TokenTypes.UNKNOWN, TokenTypes.UNUSED -> new byte[0];
            case TokenTypes.USER_DEFINED -> text.getBytes(StandardCharsets.UTF_8);
            default -> unmapBytes(text);
        };
    }

    /** Each character back to its byte; a character outside the table gives its own UTF-8. */
    private static byte[] unmapBytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        text.codePoints().forEach(c -> {
            int b = ByteUnicodeTable.byteOf(c);
            if (b >= 0) {
                out.write(b);
            } else {
                out.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
            }
        });
        return out.toByteArray();
    }

    @Override
    public int[] encode(String text) {
        IntList out = new IntList();
        MergeScratch scratch = new MergeScratch();
        IntList words = new IntList();
        for (SpecialTokenSplitter.Fragment fragment : specials.split(text)) {
            if (fragment.isSpecial()) {
                out.add(fragment.tokenId());
                continue;
            }
            preTokenizer.split(text, fragment.start(), fragment.end(), words);
            for (int w = 0; w < words.size(); w += 2) {
                String word = text.substring(words.get(w), words.get(w + 1));
                int[] ids = wordCache.get(word);
                if (ids == null) {
                    ids = encodeWord(word, scratch);
                    if (wordCache.size() >= CACHE_LIMIT) {
                        wordCache.clear();
                    }
                    wordCache.put(word, ids);
                }
                out.addAll(ids);
            }
        }
        return out.toArray();
    }

    private int[] encodeWord(String word, MergeScratch s) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        if (wholeWordFirst) {
            int whole = vocabulary.idOf(ByteUnicodeTable.spell(bytes));
            if (whole >= 0) {
                return new int[] {whole};
            }
        }
        int n = bytes.length;
        s.reset(n);
        for (int i = 0; i < n; i++) {
            s.symbol[i] = symbolOfByte[bytes[i] & 0xFF];
            s.prev[i] = i - 1;
            s.next[i] = i + 1 < n ? i + 1 : -1;
        }
        for (int i = 0; i + 1 < n; i++) {
            pushPair(s, i);
        }
        while (!s.heap.isEmpty()) {
            long key = s.heap.pop();
            int rank = (int) (key >>> 32);
            int left = (int) key;
            int right = s.next[left];
            if (s.symbol[left] == MergeScratch.DEAD || right < 0
                    || merges.rank(s.symbol[left], s.symbol[right]) != rank) {
                continue; // stale: this pair has changed since it was queued
            }
            s.symbol[left] = merges.result(rank);
            s.symbol[right] = MergeScratch.DEAD;
            s.next[left] = s.next[right];
            if (s.next[right] >= 0) {
                s.prev[s.next[right]] = left;
            }
            if (s.prev[left] >= 0) {
                pushPair(s, s.prev[left]);
            }
            pushPair(s, left);
        }
        IntList ids = new IntList();
        for (int i = 0; i >= 0 && i < n; i = s.next[i]) {
            int symbol = s.symbol[i];
            if (symbol >= 0 && symbol < vocabulary.spec().vocabSize()) {
                ids.add(symbol);
            } else {
                int end = s.next[i] < 0 ? n : s.next[i];
                for (int b = i; b < end; b++) {
                    int id = tokenOfByte[bytes[b] & 0xFF];
                    if (id < 0) {
                        id = vocabulary.spec().unkId();
                    }
                    if (id >= 0) {
                        ids.add(id);
                    }
                }
            }
        }
        return ids.toArray();
    }

    private void pushPair(MergeScratch s, int left) {
        int right = s.next[left];
        if (right < 0) {
            return;
        }
        int rank = merges.rank(s.symbol[left], s.symbol[right]);
        if (rank >= 0) {
            s.heap.push(((long) rank << 32) | left);
        }
    }

    /** Per-call working arrays for merging one word: a linked list of symbols and a queue of
     * candidate pairs keyed by (rank, left position). */
    private static final class MergeScratch {
        static final int DEAD = -2;
        int[] symbol = new int[32];
        int[] prev = new int[32];
        int[] next = new int[32];
        final LongMinHeap heap = new LongMinHeap();

        void reset(int n) {
            if (symbol.length < n) {
                symbol = new int[n];
                prev = new int[n];
                next = new int[n];
            }
            heap.clear();
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
        for (int id : ids) {
            bytesOfToken.writeTo(vocabulary.checkId(id), 0, out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public TokenizerSpec spec() {
        return vocabulary.spec();
    }
}

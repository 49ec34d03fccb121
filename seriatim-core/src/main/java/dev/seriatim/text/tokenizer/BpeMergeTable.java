package dev.seriatim.text.tokenizer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranked merge rules of a BPE vocabulary over interned symbols. A symbol is a string that
 * can occur during merging; its id is its token id when the vocabulary has it, otherwise an id
 * at or above the vocabulary size. Merge rule {@code i} (rank {@code i}, lower applies first)
 * joins symbols {@code left} and {@code right} into the symbol for {@code left + right}. A pair
 * listed twice keeps its first (lowest) rank.
 *
 * <p>Token symbols are looked up in the vocabulary's own {@link TokenIdTable}, shared rather than
 * copied; only the symbols that merges produce and the vocabulary lacks (none in a consistent
 * vocabulary) get a map of their own.
 *
 * <p>tiktoken vocabularies have no merge list: the rank of a pair is the rank (the id) of the
 * token spelling their concatenation ({@link #fromTokenRanks}), so several pairs can share a rank
 * and a merge yields the token whose id is its rank.
 */
final class BpeMergeTable {

    private final TokenIdTable tokenIds;
    private final Map<String, Integer> extraSymbolIds;
    private final int vocabSize;
    private final LongIntHashMap rankOfPair;
    private final int[] resultOfRank;

    BpeMergeTable(TokenIdTable tokenIds, int vocabSize, List<String> merges) {
        this.tokenIds = tokenIds;
        this.vocabSize = vocabSize;
        this.extraSymbolIds = new HashMap<>();
        List<String> rules = merges == null ? List.of() : merges;
        this.rankOfPair = new LongIntHashMap(rules.size());
        this.resultOfRank = new int[rules.size()];
        for (int rank = 0; rank < rules.size(); rank++) {
            String rule = rules.get(rank);
            int space = rule.indexOf(' ');
            if (space <= 0 || space == rule.length() - 1 || rule.indexOf(' ', space + 1) >= 0) {
                throw new IllegalArgumentException("merges[" + rank + "] = '" + rule
                        + "' is not two symbols separated by one space");
            }
            String left = rule.substring(0, space);
            String right = rule.substring(space + 1);
            long key = pairKey(intern(left), intern(right));
            resultOfRank[rank] = intern(left + right);
            rankOfPair.putIfAbsent(key, rank);
        }
    }

    private BpeMergeTable(TokenIdTable tokenIds, int vocabSize, LongIntHashMap rankOfPair,
            int[] resultOfRank) {
        this.tokenIds = tokenIds;
        this.extraSymbolIds = Map.of();
        this.vocabSize = vocabSize;
        this.rankOfPair = rankOfPair;
        this.resultOfRank = resultOfRank;
    }

    /**
     * tiktoken's implicit merges over normal tokens: every split of a normal token into two
     * normal tokens is a pair whose rank is that token's id. Token texts are byte-level spellings
     * (one char per byte), so a split point is a char index.
     */
    static BpeMergeTable fromTokenRanks(TokenIdTable tokenIds, TokenizerSpec spec) {
        int n = spec.vocabSize();
        long[] pairs = new long[1024];
        int[] ranks = new int[pairs.length];
        int count = 0;
        for (int id = 0; id < n; id++) {
            if (spec.tokenType(id) != TokenTypes.NORMAL) {
                continue;
            }
            String text = spec.tokens().get(id);
            for (int cut = 1; cut < text.length(); cut++) {
                int left = normalId(tokenIds, spec, text.substring(0, cut));
                int right = left < 0 ? -1 : normalId(tokenIds, spec, text.substring(cut));
                if (right < 0) {
                    continue;
                }
                if (count == pairs.length) {
                    pairs = Arrays.copyOf(pairs, 2 * count);
                    ranks = Arrays.copyOf(ranks, 2 * count);
                }
                pairs[count] = pairKey(left, right);
                ranks[count++] = id;
            }
        }
        LongIntHashMap rankOfPair = new LongIntHashMap(count);
        for (int i = 0; i < count; i++) {
            rankOfPair.putIfAbsent(pairs[i], ranks[i]);
        }
        int[] resultOfRank = new int[n];
        Arrays.setAll(resultOfRank, id -> id);
        return new BpeMergeTable(tokenIds, n, rankOfPair, resultOfRank);
    }

    private static int normalId(TokenIdTable tokenIds, TokenizerSpec spec, String text) {
        int id = tokenIds.idOf(text);
        return id >= 0 && spec.tokenType(id) == TokenTypes.NORMAL ? id : -1;
    }

    /** The symbol id of {@code symbol}; a symbol the vocabulary lacks gets the next id past it. */
    private int intern(String symbol) {
        int id = tokenIds.idOf(symbol);
        return id >= 0 ? id : extraSymbolIds.computeIfAbsent(symbol, s -> vocabSize + extraSymbolIds.size());
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** The symbol id of {@code text}, or -1 if neither the vocabulary nor any merge has it. */
    int symbolId(String text) {
        int id = tokenIds.idOf(text);
        if (id >= 0) {
            return id;
        }
        Integer extra = extraSymbolIds.get(text);
        return extra == null ? -1 : extra;
    }

    /** The rank of the merge joining {@code left} and {@code right}, or -1 if none does. */
    int rank(int left, int right) {
        if (left < 0 || right < 0) {
            return -1;
        }
        return rankOfPair.get(pairKey(left, right));
    }

    /** The symbol merge {@code rank} produces. */
    int result(int rank) {
        return resultOfRank[rank];
    }
}

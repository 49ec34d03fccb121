package dev.seriatim.text.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranked merge rules of a BPE vocabulary over interned symbols. A symbol is a string that
 * can occur during merging; its id is its token id when the vocabulary has it, otherwise an id
 * at or above the vocabulary size. Merge rule {@code i} (rank {@code i}, lower applies first)
 * joins symbols {@code left} and {@code right} into the symbol for {@code left + right}. A pair
 * listed twice keeps its first (lowest) rank.
 */
final class BpeMergeTable {

    private final Map<String, Integer> symbolIds;
    private final int vocabSize;
    private final LongIntHashMap rankOfPair;
    private final int[] resultOfRank;

    BpeMergeTable(Map<String, Integer> tokenIds, int vocabSize, String[] merges) {
        this.vocabSize = vocabSize;
        this.symbolIds = new HashMap<>(tokenIds);
        List<Integer> results = new ArrayList<>();
        String[] rules = merges == null ? new String[0] : merges;
        this.rankOfPair = new LongIntHashMap(rules.length);
        this.resultOfRank = new int[rules.length];
        for (int rank = 0; rank < rules.length; rank++) {
            String rule = rules[rank];
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

    private int intern(String symbol) {
        return symbolIds.computeIfAbsent(symbol, s -> vocabSize + symbolIds.size());
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** The symbol id of {@code text}, or -1 if neither the vocabulary nor any merge has it. */
    int symbolId(String text) {
        Integer id = symbolIds.get(text);
        return id == null ? -1 : id;
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

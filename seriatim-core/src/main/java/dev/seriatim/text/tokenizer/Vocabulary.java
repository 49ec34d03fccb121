package dev.seriatim.text.tokenizer;

import java.util.HashMap;
import java.util.Map;

/** Lookups over a spec's token strings shared by both tokenizer kinds. */
final class Vocabulary {

    private final TokenizerSpec spec;
    private final Map<String, Integer> idsByText;

    /** Rule: when two tokens have the same text, the higher id wins, as in llama.cpp. */
    Vocabulary(TokenizerSpec spec) {
        this.spec = spec;
        String[] tokens = spec.tokens();
        this.idsByText = new HashMap<>(tokens.length * 2);
        for (int id = 0; id < tokens.length; id++) {
            idsByText.put(tokens[id], id);
        }
    }

    TokenizerSpec spec() {
        return spec;
    }

    Map<String, Integer> idsByText() {
        return idsByText;
    }

    /** The id of the token with text {@code text}, or -1. */
    int idOf(String text) {
        Integer id = idsByText.get(text);
        return id == null ? -1 : id;
    }

    String piece(int id) {
        return spec.tokens()[checkId(id)];
    }

    int type(int id) {
        return spec.tokenType(checkId(id));
    }

    int checkId(int id) {
        return spec.checkId(id);
    }

    /** {@code ids} with BOS before and EOS after as the spec asks. */
    int[] withSpecials(int[] ids) {
        int extra = (spec.addBos() ? 1 : 0) + (spec.addEos() ? 1 : 0);
        if (extra == 0) {
            return ids;
        }
        int[] out = new int[ids.length + extra];
        int at = 0;
        if (spec.addBos()) {
            out[at++] = spec.bosId();
        }
        System.arraycopy(ids, 0, out, at, ids.length);
        if (spec.addEos()) {
            out[out.length - 1] = spec.eosId();
        }
        return out;
    }
}

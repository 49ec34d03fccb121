package dev.seriatim.text.tokenizer;

/** Lookups over a spec's token strings shared by both tokenizer kinds. */
final class Vocabulary {

    private final TokenizerSpec spec;
    private final TokenIdTable ids;

    /** Rule: when two tokens have the same text, the higher id wins, as in llama.cpp. */
    Vocabulary(TokenizerSpec spec) {
        this.spec = spec;
        this.ids = new TokenIdTable(spec.tokens());
    }

    TokenizerSpec spec() {
        return spec;
    }

    /** The token ids by text, for the merge table to share rather than copy. */
    TokenIdTable ids() {
        return ids;
    }

    /** The id of the token with text {@code text}, or -1. */
    int idOf(String text) {
        return ids.idOf(text);
    }

    String piece(int id) {
        return spec.tokens().get(checkId(id));
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

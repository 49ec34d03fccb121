package dev.seriatim.app;

import dev.seriatim.decode.BeamHypothesis;
import dev.seriatim.decode.Generation;
import dev.seriatim.decode.TokenLogprob;
import dev.seriatim.text.tokenizer.Tokenizer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of one result of {@code generate} (and of a {@code chat} reply):
 * {@code {"text":..,"tokens":[..],"finish_reason":..}}, with {@code "logprobs"} when asked:
 * one {@code {"token":id,"text":piece,"logprob":x,"top_logprobs":[{"token","text","logprob"}..]}}
 * per generated token (natural log, the model's distribution before any processing).
 */
final class GenerationJson {

    private final Tokenizer tokenizer;

    GenerationJson(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    ObjectNode of(Generation g, boolean logprobs) {
        return of(g, logprobs, "text");
    }

    /** The same with the text under {@code textKey} ({@code chat} calls it "reply"). */
    ObjectNode of(Generation g, boolean logprobs, String textKey) {
        ObjectNode o = base(textKey, g.text(), g.tokens(), g.finishReason().apiName());
        if (logprobs) {
            ArrayNode list = o.putArray("logprobs");
            for (TokenLogprob lp : g.logprobs()) {
                ObjectNode e = entry(lp.token(), lp.logprob());
                ArrayNode top = e.putArray("top_logprobs");
                for (int i = 0; i < lp.topTokens().length; i++) {
                    top.add(entry(lp.topTokens()[i], lp.topLogprobs()[i]));
                }
                list.add(e);
            }
        }
        return o;
    }

    ObjectNode of(BeamHypothesis h, boolean logprobs) {
        ObjectNode o = base("text", tokenizer.decode(h.tokens()), h.tokens(), h.finishReason().apiName());
        o.put("score", h.score());
        o.put("sum_logprob", h.sumLogprob());
        if (logprobs) {
            ArrayNode list = o.putArray("logprobs");
            for (int i = 0; i < h.tokens().length; i++) {
                list.add(entry(h.tokens()[i], h.logprobs()[i]));
            }
        }
        return o;
    }

    private ObjectNode base(String textKey, String text, int[] tokens, String finishReason) {
        ObjectNode o = Json.object();
        o.put(textKey, text);
        ArrayNode ids = o.putArray("tokens");
        for (int t : tokens) {
            ids.add(t);
        }
        o.put("finish_reason", finishReason);
        return o;
    }

    private ObjectNode entry(int token, double logprob) {
        ObjectNode e = Json.object();
        e.put("token", token);
        e.put("text", tokenizer.decode(new int[] {token}));
        e.put("logprob", logprob);
        return e;
    }
}

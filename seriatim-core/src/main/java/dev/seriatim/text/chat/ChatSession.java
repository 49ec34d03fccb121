package dev.seriatim.text.chat;

import dev.seriatim.decode.FinishReason;
import dev.seriatim.decode.TokenSampler;
import dev.seriatim.text.TextModel;
import dev.seriatim.text.tokenizer.IncrementalDecoder;
import dev.seriatim.text.tokenizer.Tokenizer;
import dev.seriatim.text.transformer.Transformer;
import dev.seriatim.text.transformer.TransformerState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A multi-turn conversation with a model through its chat template, keeping the KV cache across
 * turns.
 *
 * <p>Each turn renders the whole conversation (as Hugging Face's apply_chat_template does) and
 * tokenizes it; only the tokens after the longest prefix already in the cache are prefilled.
 * When a template rewrites history (Qwen3 drops earlier reasoning, say) or the reply tokenizes
 * differently from how it was sampled, the cache is cut back to the shared prefix, so the model
 * always sees exactly the rendered conversation.
 */
public final class ChatSession {

    /** End-of-turn markers of common chat formats: control tokens with these texts also stop a reply. */
    private static final Set<String> END_OF_TURN = Set.of("<|im_end|>", "<|eot_id|>", "<|eom_id|>", "<|end|>",
            "<end_of_turn>", "<|endoftext|>", "</s>", "<｜end▁of▁sentence｜>");

    /** One reply: its text and tokens, why it ended, and how many prompt tokens this turn prefilled. */
    public record Reply(String text, int[] tokens, FinishReason finishReason, int prefilled) {}

    private final TextModel model;
    private final ChatTemplate template;
    private final String systemPrompt;
    private final TokenSampler sampler;
    private final int maxTokens;
    private final Map<String, Object> variables = new LinkedHashMap<>();
    private final int[] stopIds;
    private final List<Map<String, Object>> messages = new ArrayList<>();
    private final TransformerState state;
    private int[] cached = new int[0];

    /**
     * @param systemPrompt the system message, or null for none
     * @param maxTokens    most tokens per reply
     */
    public ChatSession(TextModel model, ChatTemplate template, String systemPrompt, TokenSampler sampler, int maxTokens) {
        this.model = model;
        this.template = template;
        this.systemPrompt = systemPrompt;
        this.sampler = sampler;
        this.maxTokens = maxTokens;
        Tokenizer tok = model.tokenizer();
        variables.put("bos_token", tok.bosId() >= 0 ? tok.piece(tok.bosId()) : "");
        variables.put("eos_token", tok.eosId() >= 0 ? tok.piece(tok.eosId()) : "");
        Set<Integer> stops = new LinkedHashSet<>();
        for (int id : model.stopTokens()) {
            stops.add(id);
        }
        for (int id = 0; id < tok.vocabSize(); id++) {
            if (tok.isControl(id) && END_OF_TURN.contains(tok.piece(id))) {
                stops.add(id);
            }
        }
        this.stopIds = stops.stream().mapToInt(Integer::intValue).toArray();
        this.state = model.transformer().newState();
        reset();
    }

    /** Forgets the conversation (the system prompt stays). */
    public void reset() {
        messages.clear();
        if (systemPrompt != null) {
            messages.add(message("system", systemPrompt));
        }
        state.reset();
        cached = new int[0];
    }

    /** Positions currently in the KV cache. */
    public int cachedTokens() {
        return state.length();
    }

    /** The ids that end a reply. */
    public int[] stopIds() {
        return stopIds.clone();
    }

    /**
     * Adds the user's message, generates the reply and adds it to the conversation.
     *
     * @param onText    receives the reply's text as it is produced
     * @param cancelled polled before each token: true stops the reply there (Ctrl-C)
     */
    public Reply send(String userText, Consumer<String> onText, BooleanSupplier cancelled) {
        messages.add(message("user", userText));
        int[] prompt;
        try {
            prompt = model.tokenizer().encode(template.render(messages, true, variables));
        } catch (RuntimeException e) {
            messages.removeLast();
            throw e;
        }
        Transformer t = model.transformer();
        int shared = sharedPrefix(cached, prompt);
        if (shared == prompt.length) {
            shared--; // the last prompt token must be fed again to get its logits
        }
        if (prompt.length >= t.maxLength()) {
            messages.removeLast();
            throw new IllegalArgumentException("the conversation (" + prompt.length
                    + " tokens) no longer fits the context of " + t.maxLength() + "; /reset to start over");
        }
        state.truncate(shared);
        float[] logits = t.append(state, prompt, shared, prompt.length - shared);
        int prefilled = prompt.length - shared;
        List<Integer> reply = new ArrayList<>();
        IncrementalDecoder decoder = new IncrementalDecoder(model.tokenizer());
        StringBuilder text = new StringBuilder();
        FinishReason reason = FinishReason.LENGTH;
        int[] one = new int[1];
        while (reply.size() < maxTokens) {
            if (cancelled.getAsBoolean()) {
                reason = FinishReason.STOP;
                break;
            }
            int token = sampler.sample(logits, t.vocabSize());
            if (contains(stopIds, token)) {
                reason = FinishReason.STOP;
                break;
            }
            reply.add(token);
            String piece = decoder.push(token);
            text.append(piece);
            onText.accept(piece);
            if (state.length() >= t.maxLength()) {
                break;
            }
            one[0] = token;
            logits = t.append(state, one, 0, 1);
        }
        String rest = decoder.flush();
        text.append(rest);
        onText.accept(rest);
        int[] replyIds = reply.stream().mapToInt(Integer::intValue).toArray();
        cached = concat(Arrays.copyOf(prompt, prompt.length), replyIds, state.length());
        messages.add(message("assistant", text.toString()));
        return new Reply(text.toString(), replyIds, reason, prefilled);
    }

    private static Map<String, Object> message(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }

    private static int sharedPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    /** The tokens in the cache: the prompt and the reply tokens that were appended after it. */
    private static int[] concat(int[] prompt, int[] reply, int inCache) {
        int[] all = Arrays.copyOf(prompt, prompt.length + reply.length);
        System.arraycopy(reply, 0, all, prompt.length, reply.length);
        return Arrays.copyOf(all, Math.min(all.length, inCache));
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }
}

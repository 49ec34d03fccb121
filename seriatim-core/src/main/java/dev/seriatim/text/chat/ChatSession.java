package dev.seriatim.text.chat;

import dev.seriatim.decode.FinishReason;
import dev.seriatim.decode.Generation;
import dev.seriatim.decode.GenerationListener;
import dev.seriatim.decode.GenerationOptions;
import dev.seriatim.decode.SampleLoop;
import dev.seriatim.decode.SampleStream;
import dev.seriatim.decode.StopConditions;
import dev.seriatim.decode.TokenLogprob;
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
 *
 * <p>The reply is drawn by {@link SampleLoop#continuing} from the prefilled cache, so a turn is
 * exactly what {@code generate} gives for the rendered conversation as its prompt with the same
 * options: the same seed (every turn starts the random sequence afresh from it, so a turn does
 * not depend on how many came before), the same processors, stop strings, budget and
 * log-probabilities. The penalties' history is therefore the whole rendered conversation, as a
 * prompt is for {@code generate} and as llama.cpp's penalty window runs over the conversation:
 * the repetition penalty looks back over the last {@code repeatLastN} tokens whoever wrote them
 * (earlier replies, template markup, this reply); the frequency and presence penalties count only
 * this reply's tokens (OpenAI's rule: generated tokens only). A reply ends at the model's end
 * tokens, the template's end-of-turn control tokens, or the options' own stop tokens and strings.
 */
public final class ChatSession {

    /** End-of-turn markers of common chat formats: control tokens with these texts also stop a reply. */
    private static final Set<String> END_OF_TURN = Set.of("<|im_end|>", "<|eot_id|>", "<|eom_id|>", "<|end|>",
            "<end_of_turn>", "<|endoftext|>", "</s>", "<｜end▁of▁sentence｜>");

    /**
     * One reply and how many prompt tokens its turn prefilled.
     *
     * @param generation the reply as the sampling loop produced it (text, tokens, finish reason,
     *                   log-probabilities when asked for)
     */
    public record Reply(Generation generation, int prefilled) {

        public String text() {
            return generation.text();
        }

        public int[] tokens() {
            return generation.tokens();
        }

        public FinishReason finishReason() {
            return generation.finishReason();
        }

        public List<TokenLogprob> logprobs() {
            return generation.logprobs();
        }
    }

    private final TextModel model;
    private final ChatTemplate template;
    private final String systemPrompt;
    private final GenerationOptions options;
    private final Map<String, Object> variables = new LinkedHashMap<>();
    private final List<Map<String, Object>> messages = new ArrayList<>();
    private final TransformerState state;
    private int[] cached = new int[0];

    /**
     * @param systemPrompt the system message, or null for none
     * @param options      how to draw each reply: one sample; the stop tokens are added to the
     *                     model's end tokens and the template's end-of-turn tokens, the time
     *                     limit applies to each reply
     */
    public ChatSession(TextModel model, ChatTemplate template, String systemPrompt, GenerationOptions options) {
        if (options.samples() != 1) {
            throw new IllegalArgumentException("a chat reply is one sample, got " + options.samples());
        }
        this.model = model;
        this.template = template;
        this.systemPrompt = systemPrompt;
        Tokenizer tok = model.tokenizer();
        variables.put("bos_token", tok.bosId() >= 0 ? tok.piece(tok.bosId()) : "");
        variables.put("eos_token", tok.eosId() >= 0 ? tok.piece(tok.eosId()) : "");
        Set<Integer> stops = new LinkedHashSet<>();
        for (int id : options.stop().stopTokens()) {
            stops.add(id);
        }
        for (int id : model.stopTokens()) {
            stops.add(id);
        }
        for (int id = 0; id < tok.vocabSize(); id++) {
            if (tok.isControl(id) && END_OF_TURN.contains(tok.piece(id))) {
                stops.add(id);
            }
        }
        StopConditions s = options.stop();
        this.options = new GenerationOptions(options.sampling(),
                new StopConditions(stops.stream().mapToInt(Integer::intValue).toArray(), s.maxTokens(), s.stopStrings(),
                        s.timeLimit()),
                1, options.logprobs());
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
        return options.stop().stopTokens();
    }

    /** The options each reply is drawn with (its stop tokens are {@link #stopIds}). */
    public GenerationOptions options() {
        return options;
    }

    /** The conversation so far (a copy): the system message, then user and assistant turns. */
    public List<Map<String, Object>> messages() {
        List<Map<String, Object>> copy = new ArrayList<>();
        for (Map<String, Object> m : messages) {
            copy.add(new LinkedHashMap<>(m));
        }
        return copy;
    }

    /** The template variables besides the conversation ({@code bos_token}, {@code eos_token}). */
    public Map<String, Object> variables() {
        return Map.copyOf(variables);
    }

    /**
     * Adds the user's message, generates the reply and adds it to the conversation.
     *
     * @param onText    receives the reply's text as it becomes final
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
        if (prompt.length == 0 || prompt.length >= t.maxLength()) {
            messages.removeLast();
            throw new IllegalArgumentException(prompt.length == 0 ? "the chat template rendered nothing to reply to"
                    : "the conversation (" + prompt.length + " tokens) no longer fits the context of " + t.maxLength()
                            + "; /reset to start over");
        }
        int shared = sharedPrefix(cached, prompt);
        if (shared == prompt.length) {
            shared--; // the last prompt token must be fed again to get its logits
        }
        state.truncate(shared);
        float[] logits = t.append(state, prompt, shared, prompt.length - shared);
        int prefilled = prompt.length - shared;
        SampleLoop<TransformerState> loop = SampleLoop.continuing(t, state, prompt, logits, options,
                () -> new IncrementalDecoder(model.tokenizer()), new GenerationListener() {
                    @Override
                    public void onText(int sample, String text) {
                        onText.accept(text);
                    }
                });
        SampleStream<TransformerState> stream = loop.stream();
        while (!stream.finished()) {
            if (cancelled.getAsBoolean()) {
                stream.cancel();
            } else {
                stream.step();
            }
        }
        Generation reply = stream.result();
        // the loop left the state holding the prompt and the reply's tokens but (perhaps) the last
        cached = Arrays.copyOf(concat(prompt, reply.tokens()), state.length());
        messages.add(message("assistant", reply.text()));
        return new Reply(reply, prefilled);
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

    private static int[] concat(int[] a, int[] b) {
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}

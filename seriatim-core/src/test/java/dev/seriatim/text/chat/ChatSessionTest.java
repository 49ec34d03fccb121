package dev.seriatim.text.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.decode.Generation;
import dev.seriatim.decode.Generator;
import dev.seriatim.decode.SamplingParams;
import dev.seriatim.decode.StopConditions;
import dev.seriatim.decode.FinishReason;
import dev.seriatim.decode.GenerationListener;
import dev.seriatim.decode.GenerationOptions;
import dev.seriatim.text.tokenizer.IncrementalDecoder;
import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.TextModel;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TinyModels;
import dev.seriatim.text.transformer.TransformerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chat session reuses the KV cache across turns and still gives what a fresh run over the whole conversation gives. */
class ChatSessionTest {

    private static final String TEMPLATE = "{{ bos_token }}{% for m in messages %}<|{{ m.role }}|>{{ m.content }}</s>"
            + "{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}";

    @TempDir
    Path dir;

    @Test
    void laterTurnsPrefillOnlyTheNewTokensAndMatchAFreshRun() throws Exception {
        Path gguf = dir.resolve("m.gguf");
        TransformerConfig config = new TransformerConfig(Architecture.LLAMA, 64, 2, 4, 2, 16, 96, 700, 512, 1e-5f,
                10000f, 16, 1f, false);
        RandomModelWriter.write(config, GgmlType.F32, 21, 0.3, gguf);
        try (TextModel model = TextModel.open(gguf, 1, 0)) {
            ChatTemplate template = ChatTemplate.parse(TEMPLATE);
            ChatSession session = new ChatSession(model, template, "be brief", greedy(12));
            StringBuilder streamed = new StringBuilder();
            ChatSession.Reply first = session.send("hello there", streamed::append, () -> false);
            assertThat(streamed.toString()).isEqualTo(first.text());
            int cachedAfterFirst = session.cachedTokens();
            ChatSession.Reply second = session.send("and again", s -> { }, () -> false);

            List<Map<String, Object>> conversation = new ArrayList<>();
            conversation.add(msg("system", "be brief"));
            conversation.add(msg("user", "hello there"));
            conversation.add(msg("assistant", first.text()));
            conversation.add(msg("user", "and again"));
            Map<String, Object> vars = Map.of("bos_token", "<s>", "eos_token", "</s>");
            int[] full = model.tokenizer().encode(template.render(conversation, true, vars));
            assertThat(second.prefilled()).isLessThan(full.length);
            assertThat(cachedAfterFirst).isGreaterThan(0);
            Generation fresh = Generator.generate(model.transformer(), full, SamplingParams.GREEDY,
                    StopConditions.of(session.stopIds(), 12));
            assertThat(second.tokens()).containsExactly(fresh.tokens());

            session.reset();
            assertThat(session.cachedTokens()).isZero();
            ChatSession.Reply again = session.send("hello there", s -> { }, () -> false);
            assertThat(again.tokens()).containsExactly(first.tokens());
        }
    }

    /**
     * Every turn, penalties, stop strings and log-probabilities included, is what generate gives
     * from the rendered conversation with the same options and seed, although the chat prefilled
     * only the new turn.
     */
    @Test
    void eachTurnEqualsGenerateFromTheRenderedConversation() throws Exception {
        Path gguf = dir.resolve("m.gguf");
        TransformerConfig config = new TransformerConfig(Architecture.LLAMA, 64, 2, 4, 2, 16, 96, 700, 512, 1e-5f,
                10000f, 16, 1f, false);
        RandomModelWriter.write(config, GgmlType.F32, 5, 0.3, gguf);
        SamplingParams sampling = SamplingParams.builder().temperature(0.9f).topK(60).topP(0.97f).minP(0.01f)
                .repeatPenalty(1.4f).repeatLastN(40).frequencyPenalty(0.5f).presencePenalty(0.3f).seed(11).build();
        try (TextModel model = TextModel.open(gguf, 1, 0)) {
            ChatTemplate template = ChatTemplate.parse(TEMPLATE);
            ChatSession probe = new ChatSession(model, template, "be brief",
                    new GenerationOptions(sampling, StopConditions.of(new int[0], 16), 1, 3));
            String probeText = probe.send("hello there", s -> { }, () -> false).text();
            assertThat(probeText.length()).as("the probe reply must be long enough to cut").isGreaterThan(6);
            String stop = probeText.substring(4, 6);

            GenerationOptions options = new GenerationOptions(sampling,
                    new StopConditions(new int[0], 16, List.of(stop), null), 1, 3);
            ChatSession session = new ChatSession(model, template, "be brief", options);
            List<ChatSession.Reply> replies = new ArrayList<>();
            for (String user : List.of("hello there", "and again", "once more")) {
                List<Map<String, Object>> conversation = session.messages();
                conversation.add(msg("user", user));
                int[] rendered = model.tokenizer().encode(template.render(conversation, true, session.variables()));
                StringBuilder streamed = new StringBuilder();
                ChatSession.Reply reply = session.send(user, streamed::append, () -> false);
                Generation fresh = Generator.generate(model.transformer(), rendered, session.options(),
                        () -> new IncrementalDecoder(model.tokenizer()), GenerationListener.NONE).getFirst();
                assertThat(reply.generation()).usingRecursiveComparison().isEqualTo(fresh);
                assertThat(streamed.toString()).isEqualTo(reply.text());
                assertThat(reply.logprobs()).hasSize(reply.tokens().length);
                replies.add(reply);
                if (replies.size() > 1) {
                    assertThat(reply.prefilled()).as("later turns reuse the cache").isLessThan(rendered.length);
                }
            }
            ChatSession.Reply first = replies.getFirst();
            assertThat(first.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(first.text()).isEqualTo(probeText.substring(0, probeText.indexOf(stop)));
            assertThat(model.tokenizer().decode(first.tokens())).contains(stop);
        }
    }

    /** A template that rewrites history (as Qwen3 drops earlier reasoning) forces the cache back to the shared prefix. */
    @Test
    void historyRewrittenByTheTemplateCutsTheCacheBack() throws Exception {
        String rewriting = "{% for m in messages %}<|{{ m.role }}|>"
                + "{% if m.role == 'assistant' and not loop.last %}{{ m.content[:2] }}{% else %}{{ m.content }}{% endif %}</s>"
                + "{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}";
        Path gguf = dir.resolve("m.gguf");
        RandomModelWriter.write(TinyModels.config(Architecture.LLAMA, 500), GgmlType.F32, 8, 0.3, gguf);
        try (TextModel model = TextModel.open(gguf, 1, 0)) {
            ChatTemplate template = ChatTemplate.parse(rewriting);
            ChatSession session = new ChatSession(model, template, null, greedy(10));
            ChatSession.Reply first = session.send("hello there", s -> { }, () -> false);
            assertThat(first.text().length()).as("the template must really shorten the reply").isGreaterThan(2);
            ChatSession.Reply second = session.send("more", s -> { }, () -> false);
            List<Map<String, Object>> conversation = List.of(msg("user", "hello there"), msg("assistant", first.text()),
                    msg("user", "more"));
            int[] full = model.tokenizer().encode(template.render(conversation, true, Map.of("bos_token", "<s>")));
            Generation fresh = Generator.generate(model.transformer(), full, SamplingParams.GREEDY,
                    StopConditions.of(session.stopIds(), 10));
            assertThat(second.tokens()).containsExactly(fresh.tokens());
            assertThat(session.cachedTokens()).isLessThanOrEqualTo(full.length + second.tokens().length);
        }
    }

    @Test
    void cancellationStopsTheReplyButKeepsTheSession() throws Exception {
        Path gguf = dir.resolve("m.gguf");
        RandomModelWriter.write(TinyModels.config(Architecture.QWEN2, 400), GgmlType.F32, 4, 0.3, gguf);
        try (TextModel model = TextModel.open(gguf, 1, 0)) {
            ChatSession session = new ChatSession(model, ChatTemplate.parse(TEMPLATE), null, greedy(20));
            ChatSession.Reply cut = session.send("hi", s -> { }, () -> true);
            assertThat(cut.tokens()).isEmpty();
            assertThat(session.send("hi again", s -> { }, () -> false).prefilled()).isPositive();
        }
    }

    private static GenerationOptions greedy(int maxTokens) {
        return GenerationOptions.of(SamplingParams.GREEDY, StopConditions.of(new int[0], maxTokens));
    }

    private static Map<String, Object> msg(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }
}

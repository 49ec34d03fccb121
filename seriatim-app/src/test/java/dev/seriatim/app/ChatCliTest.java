package dev.seriatim.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** chat takes generate's sampling options and the model's named template variants. */
class ChatCliTest {

    private static final String DEFAULT = "{{ bos_token }}{% for m in messages %}[{{ m.role }}] {{ m.content }}\n"
            + "{% endfor %}[assistant]";
    private static final String TOOL_USE = "{{ bos_token }}{% for m in messages %}<tool-capable {{ m.role }}>"
            + "{{ m.content }}\n{% endfor %}<tool-capable assistant>";

    @TempDir
    static Path dir;
    static Path model;
    static Path oneLine;

    @BeforeAll
    static void write() throws Exception {
        model = dir.resolve("chat.gguf");
        RandomModelWriter.write(TinyModels.config(Architecture.LLAMA, 600), GgmlType.F32, 12, 0.3,
                Map.of("tokenizer.chat_template", DEFAULT, "tokenizer.chat_template.tool_use", TOOL_USE,
                        "tokenizer.chat_template.rag", "{{ raise_exception('not this one') }}"), model);
        oneLine = dir.resolve("one.txt");
        Files.writeString(oneLine, "hello there\n");
    }

    private static CliTest.Result chat(String... args) {
        List<String> all = new ArrayList<>(List.of("chat", "--model", model.toString(), "--input", oneLine.toString()));
        all.addAll(List.of(args));
        return CliTest.run(all.toArray(String[]::new));
    }

    private static JsonNode json(CliTest.Result r) {
        assertThat(r.code()).as(r.err()).isZero();
        return JsonMapper.builder().build().readTree(r.out().strip());
    }

    /** A chat reply is generate's result for the rendered conversation, with every sampling option and the seed. */
    @Test
    void aReplyEqualsGenerateOnTheRenderedPromptWithTheSameOptions() {
        String[] options = {"--temperature", "0.9", "--top-k", "30", "--min-p", "0.02", "--repeat-penalty", "1.3",
                "--repeat-last-n", "16", "--frequency-penalty", "0.4", "--presence-penalty", "0.2", "--seed", "5",
                "--logprobs", "2", "-n", "12", "--json"};
        JsonNode reply = json(chat(options));
        List<String> gen = new ArrayList<>(List.of("generate", "--model", model.toString()));
        gen.addAll(List.of(options));
        gen.add("[user] hello there\n[assistant]");
        JsonNode generated = json(CliTest.run(gen.toArray(String[]::new)));
        assertThat(reply.get("tokens")).isEqualTo(generated.get("tokens"));
        assertThat(reply.get("reply")).isEqualTo(generated.get("text"));
        assertThat(reply.get("logprobs")).isEqualTo(generated.get("logprobs"));
        assertThat(reply.get("logprobs")).hasSize(reply.get("tokens").size());
        assertThat(reply.get("logprobs").get(0).get("top_logprobs")).hasSize(2);
        assertThat(json(chat("-n", "4", "--json")).has("logprobs")).isFalse();

        // a stop string taken from the middle of the reply cuts it there, as it cuts generate
        String text = reply.get("reply").asString();
        assertThat(text.length()).as("the reply must be long enough to cut").isGreaterThan(5);
        String stop = text.substring(3, 5);
        List<String> withStop = new ArrayList<>(List.of(options));
        withStop.addAll(List.of("--stop", stop));
        JsonNode cut = json(chat(withStop.toArray(String[]::new)));
        assertThat(cut.get("reply").asString()).isEqualTo(text.substring(0, text.indexOf(stop)));
        assertThat(cut.get("finish_reason").asString()).isEqualTo("stop");
    }

    @Test
    void aNamedTemplateIsTheVariantOfThatName() throws Exception {
        Path file = dir.resolve("tool.jinja");
        Files.writeString(file, TOOL_USE);
        JsonNode named = json(chat("--template", "tool_use", "--temperature", "0", "-n", "5", "--json"));
        JsonNode fromFile = json(chat("--template-file", file.toString(), "--temperature", "0", "-n", "5", "--json"));
        JsonNode byDefault = json(chat("--temperature", "0", "-n", "5", "--json"));
        assertThat(named).isEqualTo(fromFile);
        assertThat(named.get("prefilled")).isNotEqualTo(byDefault.get("prefilled"));
        assertThat(json(chat("--template", "default", "--temperature", "0", "-n", "5", "--json"))).isEqualTo(byDefault);
    }

    @Test
    void aMissingTemplateNameListsTheAvailableOnes() {
        CliTest.Result r = chat("--template", "nosuch");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("seriatim: --template: the model has no chat template named 'nosuch'"
                + " (available: default, rag, tool_use)");
        assertThat(chat("--template", oneLine.toString()).err()).contains("a Jinja file goes to --template-file");
        CliTest.Result both = chat("--template", "rag", "--template-file", oneLine.toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("cannot be combined").doesNotContain("\tat ");
        CliTest.Result failing = chat("--template", "rag");
        assertThat(failing.code()).isEqualTo(2);
        assertThat(failing.err()).contains("not this one").doesNotContain("\tat ");
    }

    @Test
    void chatChecksTheSharedOptionsAsGenerateDoes() {
        for (String[] bad : new String[][] {{"--logprobs", "21"}, {"--stop", ""}, {"--samplers", "nonsense"},
                {"--logit-bias", "600=1"}, {"--top-p", "0"}}) {
            CliTest.Result c = chat(bad);
            CliTest.Result g = CliTest.run(concat(new String[] {"generate", "--model", model.toString()}, bad, "hi"));
            assertThat(c.code()).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(c.err()).isEqualTo(g.err()).doesNotContain("\tat ");
        }
    }

    private static String[] concat(String[] a, String[] b, String last) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        all.add(last);
        return all.toArray(String[]::new);
    }
}

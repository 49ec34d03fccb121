package dev.seriatim.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seriatim.tensor.GgmlType;
import dev.seriatim.text.hf.HfFolders;
import dev.seriatim.text.transformer.Architecture;
import dev.seriatim.text.transformer.RandomModelWriter;
import dev.seriatim.text.transformer.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --model DIR for every command, and the chat command scripted through its input. */
class HfFolderCliTest {

    @TempDir
    static Path dir;
    static Path gguf;
    static Path folder;

    @BeforeAll
    static void write() throws Exception {
        gguf = dir.resolve("tiny.gguf");
        RandomModelWriter.write(TinyModels.config(Architecture.LLAMA, 600), GgmlType.F32, 3, gguf);
        folder = dir.resolve("hf");
        HfFolders.fromGguf(gguf, folder, 1);
    }

    @Test
    void everyModelCommandAcceptsAFolder() {
        CliTest.Result info = CliTest.run("info", "--model", folder.toString(), "--json");
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(info.json().get("hf_architecture").asString()).isEqualTo("LlamaForCausalLM");
        assertThat(info.json().get("tensor_types").get("F32").asInt()).isPositive();
        // the folder's q and k rows are used as stored, so RoPE rotates split halves
        assertThat(info.json().get("rope_pairs").asString()).isEqualTo("split_halves");
        assertThat(CliTest.run("info", "--model", gguf.toString(), "--json").json().get("rope_pairs").asString())
                .isEqualTo("adjacent_pairs");
        assertThat(CliTest.run("info", "--model", folder.toString()).out()).contains(" dims, split halves");
        CliTest.Result tok = CliTest.run("tokenize", "--model", folder.toString(), "--text", "hello", "--json");
        CliTest.Result tokGguf = CliTest.run("tokenize", "--model", gguf.toString(), "--text", "hello", "--json");
        assertThat(tok.code()).as(tok.err()).isZero();
        assertThat(tok.json().get("tokens")).isEqualTo(tokGguf.json().get("tokens"));
        CliTest.Result gen = CliTest.run("generate", "--model", folder.toString(), "--temperature", "0", "-n", "5", "--json", "hi");
        CliTest.Result genGguf = CliTest.run("generate", "--model", gguf.toString(), "--temperature", "0", "-n", "5", "--json", "hi");
        assertThat(gen.code()).as(gen.err()).isZero();
        assertThat(gen.json().get("tokens")).isEqualTo(genGguf.json().get("tokens"));
        CliTest.Result score = CliTest.run("score", "--model", folder.toString(), "--text", "the cat", "--json");
        assertThat(score.code()).as(score.err()).isZero();
    }

    @Test
    void chatReadsOneMessagePerLineAndPrintsOneReplyPerLine() throws Exception {
        Path input = dir.resolve("messages.txt");
        Files.writeString(input, "hello\nhow are you\n/reset\nhello\n/exit\nnever read\n");
        CliTest.Result r = CliTest.run("chat", "--model", folder.toString(), "--input", input.toString(),
                "--temperature", "0", "-n", "8", "--system", "You are terse.");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().split("\n", -1);
        assertThat(lines).hasSize(4); // three replies and the final empty string
        assertThat(lines[2]).isEqualTo(lines[0]); // after /reset the same first turn gives the same reply
    }

    @Test
    void chatJsonReportsTheCacheReuse() throws Exception {
        Path input = dir.resolve("two.txt");
        Files.writeString(input, "hello\nagain\n");
        CliTest.Result r = CliTest.run("chat", "--model", folder.toString(), "--input", input.toString(),
                "--temperature", "0", "-n", "6", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(2);
        tools.jackson.databind.json.JsonMapper m = tools.jackson.databind.json.JsonMapper.builder().build();
        var first = m.readTree(lines[0]);
        var second = m.readTree(lines[1]);
        assertThat(first.get("tokens").size()).isPositive();
        // the second turn prefills only what follows the first turn's cached tokens
        assertThat(second.get("prefilled").asInt()).isLessThan(second.get("cached").asInt() - second.get("tokens").size());
        // both replies ran out of tokens, so the cache holds the prompt and all but the last reply token
        assertThat(first.get("finish_reason").asString()).isEqualTo("length");
        assertThat(second.get("finish_reason").asString()).isEqualTo("length");
        int firstPrompt = first.get("cached").asInt() - first.get("tokens").size() + 1;
        int secondPrompt = second.get("cached").asInt() - second.get("tokens").size() + 1;
        assertThat(secondPrompt - second.get("prefilled").asInt()).as("reused from the first turn")
                .isGreaterThanOrEqualTo(firstPrompt);
    }

    @Test
    void chatNeedsATemplate() throws Exception {
        Path input = dir.resolve("one.txt");
        Files.writeString(input, "hi\n");
        CliTest.Result none = CliTest.run("chat", "--model", gguf.toString(), "--input", input.toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("no chat template");
        Path template = dir.resolve("t.jinja");
        Files.writeString(template, "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}assistant:");
        CliTest.Result ok = CliTest.run("chat", "--model", gguf.toString(), "--input", input.toString(),
                "--template-file", template.toString(), "-n", "4", "--temperature", "0");
        assertThat(ok.code()).as(ok.err()).isZero();
        Files.writeString(template, "{% for m in messages %}{{ m.nosuch.x }}{% endfor %}");
        CliTest.Result bad = CliTest.run("chat", "--model", gguf.toString(), "--input", input.toString(),
                "--template-file", template.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("template line 1").doesNotContain("\tat ");
    }
}

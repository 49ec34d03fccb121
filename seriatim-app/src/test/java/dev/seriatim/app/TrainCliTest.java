package dev.seriatim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code seriatim train gpt} end to end: its files, and {@code score} reproducing its validation loss. */
class TrainCliTest {

    @TempDir
    Path dir;

    @Test
    void trainsExportsAndScoreReproducesTheValidationLoss() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            text.append("Line ").append(i).append(": the quick brown fox jumps over the lazy dog.\n");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        Path data = dir.resolve("data.txt.gz"); // compressed, as the shipped corpus is
        try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(data))) {
            gz.write(bytes);
        }
        Path out = dir.resolve("out/tiny.gguf");
        CliTest.Result r = CliTest.run("train", "gpt", "--data", data.toString(), "--layers", "1", "--heads", "2",
                "--dim", "32", "--context", "32", "--batch", "4", "--steps", "12", "--eval-every", "6",
                "--checkpoint-every", "5", "--type", "Q8_0", "--threads", "2", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("step 12/12", "checkpoint at step 10");
        for (String name : new String[] {"tiny.gguf", "tiny.ckpt.gguf", "tiny.csv", "tiny.png"}) {
            assertThat(dir.resolve("out").resolve(name)).isNotEmptyFile();
        }
        assertThat(Files.readAllLines(dir.resolve("out/tiny.csv")).getFirst()).isEqualTo(TrainingProgress.CSV_HEADER);
        Matcher m = Pattern.compile("validation loss ([0-9.]+) nats/byte").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        double validation = Double.parseDouble(m.group(1));

        // the held-out last 10%, scored by the inference engine from the F32 checkpoint (the
        // export is Q8_0, so it only comes close)
        Path heldOut = dir.resolve("out/tiny.heldout.txt");
        assertThat(Files.readAllBytes(heldOut))
                .isEqualTo(Arrays.copyOfRange(bytes, (int) Math.round(bytes.length * 0.9), bytes.length));
        CliTest.Result exact = CliTest.run("score", "--model", dir.resolve("out/tiny.ckpt.gguf").toString(), "--file",
                heldOut.toString(), "--json");
        assertThat(exact.code()).as(exact.err()).isZero();
        assertThat(exact.json().get("mean_nll").asDouble()).isCloseTo(validation, within(1e-4));
        CliTest.Result quantized = CliTest.run("score", "--model", out.toString(), "--file", heldOut.toString(),
                "--json");
        assertThat(quantized.json().get("mean_nll").asDouble()).isCloseTo(validation, within(0.05));
    }

    @Test
    void trainsWithTheTokenizerOfAnotherModel() throws Exception {
        Path vocabularyModel = dir.resolve("vocab.gguf");
        dev.seriatim.text.transformer.RandomModelWriter.write(
                dev.seriatim.text.transformer.TinyModels.config(dev.seriatim.text.transformer.Architecture.LLAMA, 600),
                dev.seriatim.tensor.GgmlType.F32, 3, vocabularyModel);
        Path data = dir.resolve("data.txt");
        Files.writeString(data, "the cat sat on the mat and the dog ate the hat. ".repeat(30));
        Path out = dir.resolve("words.gguf");
        CliTest.Result r = CliTest.run("train", "gpt", "--data", data.toString(), "--tokenizer",
                vocabularyModel.toString(), "--layers", "1", "--heads", "2", "--dim", "32", "--context", "16",
                "--batch", "2", "--steps", "3", "--threads", "1", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("nats/token");
        CliTest.Result info = CliTest.run("info", "--model", out.toString(), "--json");
        assertThat(info.json().get("vocab_size").asInt()).isEqualTo(600);
        CliTest.Result tokens = CliTest.run("tokenize", "--model", out.toString(), "--text", "the cat", "--json");
        CliTest.Result expected = CliTest.run("tokenize", "--model", vocabularyModel.toString(), "--text", "the cat",
                "--json");
        assertThat(tokens.json().get("tokens")).isEqualTo(expected.json().get("tokens"));
    }

    @Test
    void minutesChooseAStepCountAndSayHowToRepeatIt() throws Exception {
        Path data = dir.resolve("m.txt");
        Files.writeString(data, "abcdefghij".repeat(100));
        CliTest.Result r = CliTest.run("train", "gpt", "--data", data.toString(), "--layers", "1", "--heads", "2",
                "--dim", "16", "--context", "8", "--batch", "2", "--minutes", "0.01", "--threads", "1", "--out",
                dir.resolve("min.gguf").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("0\\.0 minutes: about \\d+ steps \\(pass --steps \\d+");
    }

    @Test
    void badOptionsAreOneLineInputErrors() throws Exception {
        Path data = dir.resolve("d.txt");
        Files.writeString(data, "x".repeat(500));
        CliTest.Result neither = CliTest.run("train", "gpt", "--data", data.toString(), "--out",
                dir.resolve("m.gguf").toString());
        assertThat(neither.code()).isEqualTo(2);
        assertThat(neither.err()).contains("--steps").doesNotContain("\tat ");
        CliTest.Result heads = CliTest.run("train", "gpt", "--data", data.toString(), "--steps", "1", "--dim", "30",
                "--heads", "4", "--out", dir.resolve("m.gguf").toString());
        assertThat(heads.code()).isEqualTo(2);
        CliTest.Result blocks = CliTest.run("train", "gpt", "--data", data.toString(), "--steps", "1", "--dim", "48",
                "--heads", "4", "--context", "8", "--type", "Q8_0", "--out", dir.resolve("m.gguf").toString());
        assertThat(blocks.code()).isEqualTo(2);
        assertThat(blocks.err()).contains("--type Q8_0");
        CliTest.Result resume = CliTest.run("train", "gpt", "--data", data.toString(), "--resume", data.toString(),
                "--out", dir.resolve("m.gguf").toString());
        assertThat(resume.code()).isEqualTo(2);
        assertThat(resume.err().lines().count()).isEqualTo(1);
    }
}

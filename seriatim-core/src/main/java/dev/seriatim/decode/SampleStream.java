package dev.seriatim.decode;

import dev.seriatim.core.CategoricalModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One sample being generated, pulled by the caller (the iterator form of streaming): each
 * {@link #next} returns the next piece of text that has become final, generating as many
 * tokens as that takes; a caller that stops pulling stops the generation (nothing runs in the
 * background). {@link #step} advances one token instead; {@link #finish} runs to the end;
 * {@link #cancel} ends it early.
 * {@link #result} is the whole sample once {@link #finished}. The loop's
 * {@link GenerationListener} is told about every token and piece as well.
 *
 * <p>Obtained from {@link SampleLoop#stream}; it uses the loop's one shared state, so it must
 * be finished before the loop's next sample starts.
 */
public final class SampleStream<S> implements Iterator<String> {

    private final SampleLoop<S> loop;
    private final CategoricalModel<S> model;
    private final S state;
    private final int sample;
    private final StopConditions stop;
    private final int logprobCount;
    private final TokenSampler sampler;
    private final TokenHistory history;
    private final Detokenizer detokenizer;
    private final StopStringMatcher matcher;
    private final StringBuilder text;
    private final List<TokenLogprob> logprobs = new ArrayList<>();
    private final GenerationListener listener;
    private final long deadline;
    private final int[] one = new int[1];
    private final StringBuilder piece = new StringBuilder();
    private float[] logits;
    private int[] out;
    private int produced;
    private FinishReason reason;
    private Generation result;
    private String pendingPiece;

    SampleStream(SampleLoop<S> loop, CategoricalModel<S> model, S state, int sample, float[] firstLogits,
                 GenerationOptions options, TokenSampler sampler, TokenHistory history, Detokenizer detokenizer,
                 GenerationListener listener, long deadline) {
        this.loop = loop;
        this.model = model;
        this.state = state;
        this.sample = sample;
        this.stop = options.stop();
        this.logprobCount = options.logprobs();
        this.sampler = sampler;
        this.history = history;
        this.detokenizer = detokenizer;
        this.matcher = detokenizer == null ? null : new StopStringMatcher(stop.stopStrings());
        this.text = detokenizer == null ? null : new StringBuilder();
        this.listener = listener;
        this.deadline = deadline;
        this.logits = firstLogits;
        this.out = new int[Math.min(stop.maxTokens(), 1024)];
    }

    /** Which sample of the loop this is (0 for the first). */
    public int sample() {
        return sample;
    }

    public boolean finished() {
        return result != null;
    }

    /**
     * Generates one token (or finds that the sample has ended); returns the text that became
     * final with it, possibly empty, or null once the sample has finished.
     */
    public String step() {
        if (result != null) {
            return null;
        }
        loop.checkCurrent(this);
        piece.setLength(0);
        if (produced >= stop.maxTokens()) {
            finish(FinishReason.LENGTH, piece);
            return piece.toString();
        }
        if (System.nanoTime() - deadline >= 0) {
            finish(FinishReason.TIME_LIMIT, piece);
            return piece.toString();
        }
        int token = sampler.sample(logits, model.vocabSize(), history);
        if (stop.isStopToken(token)) {
            finish(FinishReason.STOP, piece);
            return piece.toString();
        }
        if (produced == out.length) {
            out = Arrays.copyOf(out, Math.min(stop.maxTokens(), out.length * 2));
        }
        out[produced++] = token;
        history.add(token);
        TokenLogprob lp = logprobCount < 0 ? null : TokenLogprob.of(logits, model.vocabSize(), token, logprobCount);
        if (lp != null) {
            logprobs.add(lp);
        }
        listener.onToken(sample, token, lp);
        if (detokenizer != null) {
            emit(matcher.push(detokenizer.push(token)), piece);
            if (matcher.stopped()) {
                finish(FinishReason.STOP, piece);
                return piece.toString();
            }
        }
        // the last token needs no room in the state: it is emitted but never appended
        if (produced == stop.maxTokens() || model.length(state) >= model.maxLength()) {
            finish(FinishReason.LENGTH, piece);
            return piece.toString();
        }
        one[0] = token;
        logits = model.append(state, one, 0, 1);
        return piece.toString();
    }

    /** Whether another non-empty piece of text will come (generating until one does or the sample ends). */
    @Override
    public boolean hasNext() {
        while (pendingPiece == null || pendingPiece.isEmpty()) {
            if (result != null) {
                return false;
            }
            pendingPiece = step();
        }
        return true;
    }

    /** The next non-empty piece of final text. */
    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the sample has finished");
        }
        String p = pendingPiece;
        pendingPiece = null;
        return p;
    }

    /** Runs the sample to its end and returns it. */
    public Generation finish() {
        while (result == null) {
            step();
        }
        return result;
    }

    /**
     * Ends the sample now, before another token is picked, as a stop condition would (finish
     * reason {@code stop}): the caller cancelled it (Ctrl-C in a chat). Text held back for a
     * possible stop string is released. Returns the text that became final with it, or null
     * when the sample had already finished.
     */
    public String cancel() {
        if (result != null) {
            return null;
        }
        loop.checkCurrent(this);
        piece.setLength(0);
        finish(FinishReason.STOP, piece);
        return piece.toString();
    }

    /** The finished sample; throws before {@link #finished}. */
    public Generation result() {
        if (result == null) {
            throw new IllegalStateException("the sample has not finished; call finish() or keep stepping");
        }
        return result;
    }

    private void finish(FinishReason why, StringBuilder piece) {
        FinishReason r = why;
        if (detokenizer != null) {
            emit(matcher.push(detokenizer.flush()), piece);
            if (matcher.stopped()) {
                r = FinishReason.STOP;
            } else {
                emit(matcher.finish(), piece);
            }
        }
        reason = r;
        result = new Generation(Arrays.copyOf(out, produced), text == null ? null : text.toString(), reason, logprobs);
        loop.finished(this);
        listener.onFinish(sample, result);
    }

    private void emit(String s, StringBuilder piece) {
        if (!s.isEmpty()) {
            text.append(s);
            piece.append(s);
            listener.onText(sample, s);
        }
    }
}

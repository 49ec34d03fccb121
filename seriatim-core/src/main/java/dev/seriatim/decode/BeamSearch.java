package dev.seriatim.decode;

import dev.seriatim.core.CategoricalModel;
import dev.seriatim.core.LogSoftmax;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Beam search with Hugging Face {@code generate()}'s rules: at each step every running beam is
 * extended by every token, scored by its total log-probability; of the best {@code 2 * numBeams}
 * extensions, those ending in a stop token among the best {@code numBeams} become finished
 * hypotheses (scored {@code sum / length^lengthPenalty}) and the best {@code numBeams} others
 * run on. Ties go to the lower beam, then the lower token id. At the token budget the running
 * beams are finished too. The result is the best finished hypotheses, best first.
 *
 * <p>The prompt is prefilled once; a beam that continues into several children gives its state
 * to the first and a copy to the others, so no beam is ever re-prefilled.
 */
public final class BeamSearch {

    private BeamSearch() {
    }

    private static final class Beam<S> {
        S state;
        float[] logits;
        final TokenHistory history;
        final double sum;
        final double[] logprobs;

        Beam(S state, float[] logits, TokenHistory history, double sum, double[] logprobs) {
            this.state = state;
            this.logits = logits;
            this.history = history;
            this.sum = sum;
            this.logprobs = logprobs;
        }
    }

    public static <S> List<BeamHypothesis> search(CategoricalModel<S> model, int[] context, BeamSearchParams params,
                                                  StopConditions stop) {
        if (context.length == 0) {
            throw new IllegalArgumentException("beam search needs at least one context token");
        }
        if (context.length >= model.maxLength()) {
            throw new IllegalArgumentException("prompt of " + context.length + " tokens leaves no room in the context of "
                    + model.maxLength());
        }
        if (!stop.stopStrings().isEmpty()) {
            throw new IllegalArgumentException("stop strings are not supported by beam search (stop tokens are)");
        }
        long deadline = stop.timeLimit() == null ? Long.MAX_VALUE : System.nanoTime() + stop.timeLimit().toNanos();
        int vocab = model.vocabSize();
        int beams = params.numBeams();
        // the longest a hypothesis can get: the budget, or what the context leaves (+1: the last
        // token is scored without being appended)
        int maxLength = Math.min(stop.maxTokens(), model.maxLength() - context.length + 1);
        NoRepeatNgram ngram = params.noRepeatNgramSize() > 0 ? new NoRepeatNgram(params.noRepeatNgramSize()) : null;
        Candidates candidates = ngram == null ? null : new Candidates(vocab);
        Finished finished = new Finished(beams);

        S first = model.newState();
        model.reserve(first, context.length + maxLength - 1);
        float[] logits = model.append(first, context, 0, context.length);
        List<Beam<S>> running = new ArrayList<>();
        running.add(new Beam<>(first, logits, new TokenHistory(context), 0, new double[0]));

        int width = Math.min(2 * beams, beams * vocab);
        double[] topScore = new double[width];
        int[] topBeam = new int[width];
        int[] topToken = new int[width];
        for (int step = 0; !running.isEmpty(); step++) {
            if (step == maxLength || System.nanoTime() - deadline >= 0) {
                for (Beam<S> b : running) {
                    finished.add(b.history.generated(), b.logprobs, b.sum, score(b.sum, step, params), FinishReason.LENGTH);
                }
                break;
            }
            int filled = 0;
            for (int bi = 0; bi < running.size(); bi++) {
                Beam<S> b = running.get(bi);
                double lse = LogSoftmax.logSumExp(b.logits, 0, vocab);
                if (candidates != null) {
                    candidates.reset(b.logits, vocab);
                    ngram.apply(candidates, b.history);
                }
                for (int t = 0; t < vocab; t++) {
                    // the candidates are the whole vocabulary in id order: position t is token t
                    if (candidates != null && candidates.logit(t) == Float.NEGATIVE_INFINITY) {
                        continue;
                    }
                    double s = b.sum + (b.logits[t] - lse);
                    if (filled == width && !(s > topScore[width - 1])) {
                        continue;
                    }
                    int pos = filled == width ? width - 1 : filled++;
                    while (pos > 0 && s > topScore[pos - 1]) {
                        topScore[pos] = topScore[pos - 1];
                        topBeam[pos] = topBeam[pos - 1];
                        topToken[pos] = topToken[pos - 1];
                        pos--;
                    }
                    topScore[pos] = s;
                    topBeam[pos] = bi;
                    topToken[pos] = t;
                }
            }
            List<Beam<S>> next = new ArrayList<>();
            int[] parents = new int[beams];
            int[] tokens = new int[beams];
            for (int r = 0; r < filled && next.size() < beams; r++) {
                Beam<S> parent = running.get(topBeam[r]);
                double lp = topScore[r] - parent.sum;
                if (stop.isStopToken(topToken[r])) {
                    if (r < beams) {
                        finished.add(parent.history.generated(), parent.logprobs, topScore[r],
                                score(topScore[r], step + 1, params), FinishReason.STOP);
                    }
                    continue;
                }
                TokenHistory h = parent.history.copy();
                h.add(topToken[r]);
                double[] lps = Arrays.copyOf(parent.logprobs, parent.logprobs.length + 1);
                lps[lps.length - 1] = lp;
                parents[next.size()] = topBeam[r];
                tokens[next.size()] = topToken[r];
                next.add(new Beam<>(null, null, h, topScore[r], lps));
            }
            if (finished.size() >= beams && (params.earlyStopping() || !canImprove(next, finished, step + 1,
                    maxLength, params))) {
                break;
            }
            if (step + 1 == maxLength) {
                // budget reached: these are finished at the top of the next round, no forward pass needed
                running = next;
                continue;
            }
            // a parent's state goes to its first child, copies to the others; copy before appending
            boolean[] claimed = new boolean[running.size()];
            for (int i = 0; i < next.size(); i++) {
                Beam<S> parent = running.get(parents[i]);
                next.get(i).state = claimed[parents[i]] ? model.copyState(parent.state) : null;
                claimed[parents[i]] = true;
            }
            for (int i = 0; i < next.size(); i++) {
                Beam<S> child = next.get(i);
                if (child.state == null) {
                    child.state = running.get(parents[i]).state;
                }
                child.logits = model.append(child.state, tokens, i, 1);
            }
            running = next;
        }
        return finished.best(params.numReturnSequences());
    }

    private static double score(double sum, int length, BeamSearchParams params) {
        return params.lengthPenalty() == 0f || length == 0 ? sum : sum / Math.pow(length, params.lengthPenalty());
    }

    /**
     * Whether some running beam could still finish with a better score than the worst kept
     * hypothesis: its sum can only fall, so its best is its sum over the most favourable
     * length still reachable.
     */
    private static <S> boolean canImprove(List<? extends Beam<S>> running, Finished finished, int length, int maxLength,
                                          BeamSearchParams params) {
        double worst = finished.worst();
        for (Beam<S> b : running) {
            int bestLength = params.lengthPenalty() > 0 ? maxLength : Math.min(length + 1, maxLength);
            if (score(b.sum, bestLength, params) > worst) {
                return true;
            }
        }
        return false;
    }

    /** The best {@code capacity} finished hypotheses, earlier ones first among equal scores. */
    private static final class Finished {
        private final int capacity;
        private final List<BeamHypothesis> list = new ArrayList<>();

        Finished(int capacity) {
            this.capacity = capacity;
        }

        int size() {
            return list.size();
        }

        double worst() {
            return list.getLast().score();
        }

        void add(int[] tokens, double[] logprobs, double sum, double score, FinishReason reason) {
            if (list.size() == capacity && !(score > worst())) {
                return;
            }
            int pos = list.size();
            while (pos > 0 && score > list.get(pos - 1).score()) {
                pos--;
            }
            list.add(pos, new BeamHypothesis(tokens, logprobs.clone(), sum, score, reason));
            if (list.size() > capacity) {
                list.removeLast();
            }
        }

        List<BeamHypothesis> best(int n) {
            return List.copyOf(list.subList(0, Math.min(n, list.size())));
        }
    }
}

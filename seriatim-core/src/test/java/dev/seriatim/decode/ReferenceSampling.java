package dev.seriatim.decode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A deliberately plain second implementation of the processors, written from their
 * definitions over the whole vocabulary (removed tokens are -infinity), for the statistical
 * tests to compare the real chain against.
 */
final class ReferenceSampling {

    private ReferenceSampling() {
    }

    /** The exact distribution the chain of {@code params} samples from. */
    static double[] distribution(float[] logits, SamplingParams params, int[] prompt, int[] generated) {
        int n = logits.length;
        double[] l = new double[n];
        for (int i = 0; i < n; i++) {
            l[i] = logits[i];
        }
        for (SamplerStage stage : params.order()) {
            switch (stage) {
                case LOGIT_BIAS -> {
                    for (Map.Entry<Integer, Float> e : params.logitBias().entrySet()) {
                        l[e.getKey()] += e.getValue();
                    }
                }
                case PENALTIES -> penalties(l, params, prompt, generated);
                case TOP_K -> {
                    if (params.topK() > 0) {
                        List<Integer> order = byLogit(l);
                        for (int r = Math.max(params.topK(), params.minKeep()); r < n; r++) {
                            l[order.get(r)] = Double.NEGATIVE_INFINITY;
                        }
                    }
                }
                case TOP_P -> {
                    if (params.topP() < 1) {
                        double[] p = softmax(l);
                        List<Integer> order = byLogit(l);
                        double cum = 0;
                        int keep = n;
                        for (int r = 0; r < n; r++) {
                            cum += p[order.get(r)];
                            if (cum >= params.topP() && r + 1 >= params.minKeep()) {
                                keep = r + 1;
                                break;
                            }
                        }
                        for (int r = keep; r < n; r++) {
                            l[order.get(r)] = Double.NEGATIVE_INFINITY;
                        }
                    }
                }
                case MIN_P -> {
                    if (params.minP() > 0) {
                        double[] p = softmax(l);
                        double max = 0;
                        for (double x : p) {
                            max = Math.max(max, x);
                        }
                        for (int i = 0; i < n; i++) {
                            if (p[i] < params.minP() * max) {
                                l[i] = Double.NEGATIVE_INFINITY;
                            }
                        }
                    }
                }
                case TYPICAL_P -> {
                    if (params.typicalP() < 1) {
                        double[] p = softmax(l);
                        double h = 0;
                        for (double x : p) {
                            if (x > 0) {
                                h -= x * Math.log(x);
                            }
                        }
                        double entropy = h;
                        List<Integer> order = new ArrayList<>();
                        for (int i = 0; i < n; i++) {
                            if (p[i] > 0) {
                                order.add(i);
                            }
                        }
                        order.sort(Comparator.comparingDouble((Integer i) -> Math.abs(-Math.log(p[i]) - entropy))
                                .thenComparing(i -> -l[i]).thenComparing(i -> i));
                        double cum = 0;
                        int keep = order.size();
                        for (int r = 0; r < order.size(); r++) {
                            cum += p[order.get(r)];
                            if (cum >= params.typicalP() && r + 1 >= params.minKeep()) {
                                keep = r + 1;
                                break;
                            }
                        }
                        for (int r = keep; r < order.size(); r++) {
                            l[order.get(r)] = Double.NEGATIVE_INFINITY;
                        }
                    }
                }
                case TEMPERATURE -> {
                    for (int i = 0; i < n; i++) {
                        l[i] /= params.temperature();
                    }
                }
            }
        }
        return softmax(l);
    }

    private static void penalties(double[] l, SamplingParams params, int[] prompt, int[] generated) {
        int lastN = params.repeatLastN();
        if (lastN == 0) {
            return;
        }
        List<Integer> all = new ArrayList<>();
        for (int t : prompt) {
            all.add(t);
        }
        for (int t : generated) {
            all.add(t);
        }
        List<Integer> window = lastN < 0 ? all : all.subList(Math.max(0, all.size() - lastN), all.size());
        for (int t = 0; t < l.length; t++) {
            if (window.contains(t)) {
                l[t] = l[t] > 0 ? l[t] / params.repeatPenalty() : l[t] * params.repeatPenalty();
            }
        }
        List<Integer> gen = new ArrayList<>();
        for (int t : generated) {
            gen.add(t);
        }
        List<Integer> genWindow = lastN < 0 ? gen : gen.subList(Math.max(0, gen.size() - lastN), gen.size());
        for (int t = 0; t < l.length; t++) {
            int c = 0;
            for (int x : genWindow) {
                if (x == t) {
                    c++;
                }
            }
            if (c > 0) {
                l[t] -= c * params.frequencyPenalty() + params.presencePenalty();
            }
        }
    }

    static List<Integer> byLogit(double[] l) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < l.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -l[i]).thenComparing(i -> i));
        return order;
    }

    static double[] softmax(double[] l) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : l) {
            max = Math.max(max, x);
        }
        double[] p = new double[l.length];
        double sum = 0;
        for (int i = 0; i < l.length; i++) {
            p[i] = Math.exp(l[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < l.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}

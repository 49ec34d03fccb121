package dev.seriatim.autograd;

/**
 * Softmax and negative log-likelihood fused: the mean over rows of -log softmax(logits)[target].
 * The fused gradient, (softmax - onehot) / rows, needs neither the probabilities kept nor a
 * separate softmax op; sums are in double, as in the scorer of the inference engine.
 */
public final class CrossEntropy {

    private CrossEntropy() {}

    /** logits [rows, vocab], one target per row; returns a [1] tensor, the mean loss in nats. */
    public static Tensor mean(Tape tape, Tensor logits, int[] targets) {
        int vocab = logits.dim(-1);
        int rows = logits.rows();
        if (targets.length != rows) {
            throw new IllegalArgumentException(targets.length + " targets for " + rows + " rows of logits");
        }
        float[] x = logits.data();
        double[] rowLoss = new double[rows];
        float[] rowMax = new float[rows];
        double[] rowSum = new double[rows];
        tape.parallel().forRange(rows, (start, end) -> {
            for (int r = start; r < end; r++) {
                int t = targets[r];
                if (t < 0 || t >= vocab) {
                    throw new IllegalArgumentException("target " + t + " is outside the vocabulary of " + vocab);
                }
                int o = r * vocab;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < vocab; i++) {
                    max = Math.max(max, x[o + i]);
                }
                double sum = 0;
                for (int i = 0; i < vocab; i++) {
                    sum += Math.exp(x[o + i] - max);
                }
                rowMax[r] = max;
                rowSum[r] = sum;
                rowLoss[r] = Math.log(sum) - (x[o + t] - max);
            }
        });
        double total = 0;
        for (double l : rowLoss) {
            total += l;
        }
        Tensor result = Tensor.result(new float[] {(float) (total / rows)}, tape.needsGrad(logits), 1);
        if (result.requiresGrad()) {
            tape.record(() -> {
                float g = result.grad()[0] / rows;
                float[] dx = logits.grad();
                tape.parallel().forRange(rows, (start, end) -> {
                    for (int r = start; r < end; r++) {
                        int o = r * vocab;
                        for (int i = 0; i < vocab; i++) {
                            dx[o + i] += (float) (Math.exp(x[o + i] - rowMax[r]) / rowSum[r]) * g;
                        }
                        dx[o + targets[r]] -= g;
                    }
                });
            });
        }
        return result;
    }
}

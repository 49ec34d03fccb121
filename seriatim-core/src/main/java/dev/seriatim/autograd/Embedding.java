package dev.seriatim.autograd;

/** Row lookup in a table: the token embedding. */
public final class Embedding {

    private Embedding() {}

    /** out[i, :] = table[ids[i], :], shape [ids.length, dim]; the backward adds into those rows. */
    public static Tensor lookup(Tape tape, Tensor table, int[] ids) {
        int vocab = table.dim(0);
        int dim = table.dim(1);
        float[] y = new float[ids.length * dim];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IllegalArgumentException("id " + ids[i] + " is outside the table of " + vocab + " rows");
            }
            System.arraycopy(table.data(), ids[i] * dim, y, i * dim, dim);
        }
        Tensor result = Tensor.result(y, tape.needsGrad(table), ids.length, dim);
        if (result.requiresGrad()) {
            int[] rows = ids.clone();
            tape.record(() -> {
                for (int i = 0; i < rows.length; i++) {
                    dev.seriatim.tensor.Kernels.add(table.grad(), rows[i] * dim, result.grad(), i * dim, dim);
                }
            });
        }
        return result;
    }
}

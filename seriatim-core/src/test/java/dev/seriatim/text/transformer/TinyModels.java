package dev.seriatim.text.transformer;

/** Small configurations of each architecture for tests. */
public final class TinyModels {

    private TinyModels() {
    }

    /** A small model: 64 wide, 2 layers, 4 heads (GQA with 2 kv heads where rotary), 96 tokens of context. */
    public static TransformerConfig config(Architecture a, int vocab) {
        boolean rope = a.rope() != Architecture.Rope.NONE;
        int kvHeads = a == Architecture.GPT2 ? 4 : 2;
        return new TransformerConfig(a, 64, 2, 4, kvHeads, 16, 96, vocab, 96, 1e-5f, 10000f,
                rope ? 16 : 0, 1f, a == Architecture.GPT2);
    }
}

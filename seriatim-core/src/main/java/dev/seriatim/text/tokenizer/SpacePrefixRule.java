package dev.seriatim.text.tokenizer;

/**
 * Which plain stretches of the input SentencePiece-style tokenizers prefix with a space (when
 * {@link TokenizerSpec#addSpacePrefix()} is set). The stretches are the pieces of text between
 * split-out control and user-defined tokens.
 */
public enum SpacePrefixRule {
    /** Every stretch that starts the input or follows a split-out token: llama.cpp, and a
     * {@code tokenizer.json} whose normalizer prepends U+2581. */
    EVERY_STRETCH,
    /** As {@link #EVERY_STRETCH}, but not a stretch that already starts with a space: a
     * {@code Metaspace} pre-tokenizer with {@code prepend_scheme} "always". */
    EVERY_STRETCH_NOT_STARTING_WITH_SPACE,
    /** Only a stretch that starts the input, and not if it starts with a space: a
     * {@code Metaspace} pre-tokenizer with {@code prepend_scheme} "first". */
    FIRST_STRETCH_NOT_STARTING_WITH_SPACE
}

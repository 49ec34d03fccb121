package dev.seriatim.nn;

import dev.seriatim.autograd.Tensor;

/**
 * A trained tensor and its name (the GGUF tensor name when a model is exported).
 *
 * @param decayed whether AdamW applies weight decay to it: matrices yes; norm scales no, as in
 *                nanoGPT, since decaying a scale towards 0 fights the normalisation
 */
public record Parameter(String name, Tensor tensor, boolean decayed) {}

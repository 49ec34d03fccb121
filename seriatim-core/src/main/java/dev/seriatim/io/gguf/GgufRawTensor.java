package dev.seriatim.io.gguf;

import dev.seriatim.tensor.GgmlType;

/**
 * A tensor info entry as stored on disk, before it is placed in the file: its offset is still
 * relative to the data section (and unsigned, so negative means >= 2^63).
 */
record GgufRawTensor(String name, long[] shape, GgmlType type, long relativeOffset, long byteSize) {}

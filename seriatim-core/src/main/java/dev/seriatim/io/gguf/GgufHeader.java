package dev.seriatim.io.gguf;

import java.util.List;

/**
 * Everything before a GGUF file's tensor data: version, metadata and the tensor info entries,
 * plus {@code end}, the file offset just after the last tensor info (before padding).
 */
record GgufHeader(int version, GgufMetadata metadata, List<GgufRawTensor> tensors, long end) {}

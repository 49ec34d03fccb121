package dev.seriatim.io.safetensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses and validates the JSON header of a safetensors file: every entry names a known dtype, a
 * shape of non-negative dimensions and {@code [begin, end]} offsets inside the data section whose
 * length is exactly shape x dtype size, and the entries tile the data section without overlaps or
 * holes, as the format's specification requires.
 */
final class SafetensorsHeader {

    /** Largest header accepted: real headers are a few hundred kilobytes at most. */
    static final long MAX_HEADER_BYTES = 100L << 20;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private SafetensorsHeader() {
    }

    record Parsed(Map<String, String> metadata, List<SafetensorsTensor> tensors) {}

    static Parsed parse(String file, byte[] json, long dataBytes) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new SafetensorsFormatException(file + ": header is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(file + ": header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<SafetensorsTensor> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equals("__metadata__")) {
                readMetadata(file, e.getValue(), metadata);
            } else {
                tensors.add(tensor(file, e.getKey(), e.getValue(), dataBytes));
            }
        }
        checkTiling(file, tensors, dataBytes);
        return new Parsed(Map.copyOf(metadata), List.copyOf(tensors));
    }

    private static void readMetadata(String file, JsonNode node, Map<String, String> out) {
        if (!node.isObject()) {
            throw new SafetensorsFormatException(file + ": __metadata__ is not an object");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isString()) {
                throw new SafetensorsFormatException(file + ": __metadata__ value of '" + e.getKey() + "' is not a string");
            }
            out.put(e.getKey(), e.getValue().stringValue());
        }
    }

    private static SafetensorsTensor tensor(String file, String name, JsonNode node, long dataBytes) {
        String where = file + ": tensor '" + shorten(name) + "'";
        if (!node.isObject()) {
            throw new SafetensorsFormatException(where + " is not an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isString()) {
            throw new SafetensorsFormatException(where + " has no dtype string");
        }
        SafetensorsDtype dtype = SafetensorsDtype.parse(dtypeNode.stringValue()).orElseThrow(
                () -> new SafetensorsFormatException(where + " has unknown dtype '" + shorten(dtypeNode.stringValue()) + "'"));
        long[] shape = longs(where, "shape", node.get("shape"), -1);
        long[] offsets = longs(where, "data_offsets", node.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end || end > dataBytes) {
            throw new SafetensorsFormatException(where + " has data_offsets [" + begin + ", " + end
                    + "] outside the data section of " + dataBytes + " bytes");
        }
        long bytes = dtype.bytes();
        for (long d : shape) {
            try {
                bytes = Math.multiplyExact(bytes, d);
            } catch (ArithmeticException overflow) {
                throw new SafetensorsFormatException(where + " has shape " + Arrays.toString(shape) + " too large to address");
            }
        }
        if (bytes != end - begin) {
            throw new SafetensorsFormatException(where + " of shape " + Arrays.toString(shape) + " " + dtype + " needs "
                    + bytes + " bytes but its data_offsets span " + (end - begin));
        }
        return new SafetensorsTensor(name, dtype, shape, begin, end);
    }

    /** A JSON array of non-negative integers; of exactly {@code length} entries unless it is -1. */
    private static long[] longs(String where, String key, JsonNode node, int length) {
        if (node == null || !node.isArray()) {
            throw new SafetensorsFormatException(where + " has no " + key + " array");
        }
        if (length >= 0 && node.size() != length) {
            throw new SafetensorsFormatException(where + ": " + key + " has " + node.size() + " entries, expected " + length);
        }
        if (node.size() > 16) {
            throw new SafetensorsFormatException(where + ": " + key + " has " + node.size() + " dimensions (at most 16)");
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new SafetensorsFormatException(where + ": " + key + "[" + i + "] is not a non-negative integer");
            }
            out[i] = v.longValue();
        }
        return out;
    }

    private static void checkTiling(String file, List<SafetensorsTensor> tensors, long dataBytes) {
        List<SafetensorsTensor> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(SafetensorsTensor::begin).thenComparingLong(SafetensorsTensor::end));
        long covered = 0;
        for (SafetensorsTensor t : byOffset) {
            if (t.begin() < covered) {
                throw new SafetensorsFormatException(file + ": tensor '" + shorten(t.name()) + "' overlaps the tensor before it");
            }
            if (t.begin() > covered) {
                throw new SafetensorsFormatException(file + ": bytes [" + covered + ", " + t.begin()
                        + ") of the data section belong to no tensor");
            }
            covered = t.end();
        }
        if (covered != dataBytes) {
            throw new SafetensorsFormatException(file + ": the data section has " + dataBytes
                    + " bytes but the tensors cover " + covered);
        }
    }

    static String shorten(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder b = new StringBuilder();
        t.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return shorten(nl < 0 ? s : s.substring(0, nl));
    }
}

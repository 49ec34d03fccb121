package dev.seriatim.text.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The value model of the interpreter and Python's rules on it. Values are {@code null} (None),
 * {@link Undefined}, Boolean, Long, Double, String, List, Map (string keys, insertion order),
 * {@link Namespace} and callables ({@link JinjaFunction}).
 */
final class JinjaValues {

    private JinjaValues() {
    }

    /** An undefined variable or missing attribute: empty when printed, false when tested. */
    record Undefined(String name) {}

    /** The mutable object {@code namespace(...)} returns; the one way to carry state out of a loop. */
    static final class Namespace {
        final Map<String, Object> attributes = new java.util.LinkedHashMap<>();
    }

    @FunctionalInterface
    interface JinjaFunction {
        Object call(List<Object> args, Map<String, Object> kwargs);
    }

    static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Undefined u -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0;
            case String s -> !s.isEmpty();
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            default -> true;
        };
    }

    /** Python's {@code str()}, as Jinja prints a value. */
    static String str(Object v) {
        return switch (v) {
            case null -> "None";
            case Undefined u -> "";
            case String s -> s;
            default -> repr(v);
        };
    }

    /** Python's {@code repr()}: quoted strings, True/False/None, [..] and {..}. */
    static String repr(Object v) {
        return switch (v) {
            case null -> "None";
            case Undefined u -> "";
            case Boolean b -> b ? "True" : "False";
            case Long l -> l.toString();
            case Double d -> pythonFloat(d);
            case String s -> quote(s);
            case List<?> l -> {
                StringBuilder b = new StringBuilder("[");
                for (int i = 0; i < l.size(); i++) {
                    b.append(i > 0 ? ", " : "").append(repr(l.get(i)));
                }
                yield b.append(']').toString();
            }
            case Map<?, ?> m -> {
                StringBuilder b = new StringBuilder("{");
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    b.append(i++ > 0 ? ", " : "").append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                }
                yield b.append('}').toString();
            }
            case Namespace n -> "<Namespace " + repr(n.attributes) + ">";
            default -> "<function>";
        };
    }

    private static String quote(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder().append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c == q) {
                        b.append('\\');
                    }
                    b.append(c);
                }
            }
        }
        return b.append(q).toString();
    }

    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e).replaceAll("\\.0$", "");
        int exp = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exp));
    }

    /** JSON as Python's json.dumps(ensure_ascii=False) writes it, as HF's tojson does. */
    static String toJson(Object v, Integer indent) {
        StringBuilder b = new StringBuilder();
        json(v, indent, 0, b);
        return b.toString();
    }

    private static void json(Object v, Integer indent, int depth, StringBuilder b) {
        switch (v) {
            case null -> b.append("null");
            case Undefined u -> b.append("null");
            case Boolean x -> b.append(x ? "true" : "false");
            case Long l -> b.append(l);
            case Double d -> b.append(d == Math.rint(d) && Math.abs(d) < 1e16 ? pythonFloat(d) : pythonFloat(d));
            case String s -> jsonString(s, b);
            case List<?> l -> {
                if (l.isEmpty()) {
                    b.append("[]");
                    return;
                }
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        b.append(indent == null ? ", " : ",");
                    }
                    newline(indent, depth + 1, b);
                    json(l.get(i), indent, depth + 1, b);
                }
                newline(indent, depth, b);
                b.append(']');
            }
            case Map<?, ?> m -> jsonObject(m, indent, depth, b);
            case Namespace n -> jsonObject(n.attributes, indent, depth, b);
            default -> throw new TemplateException("cannot convert a function to JSON");
        }
    }

    private static void jsonObject(Map<?, ?> m, Integer indent, int depth, StringBuilder b) {
        if (m.isEmpty()) {
            b.append("{}");
            return;
        }
        b.append('{');
        int i = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (i++ > 0) {
                b.append(indent == null ? ", " : ",");
            }
            newline(indent, depth + 1, b);
            jsonString(String.valueOf(e.getKey()), b);
            b.append(": ");
            json(e.getValue(), indent, depth + 1, b);
        }
        newline(indent, depth, b);
        b.append('}');
    }

    private static void newline(Integer indent, int depth, StringBuilder b) {
        if (indent != null) {
            b.append('\n').append(" ".repeat(indent * depth));
        }
    }

    private static void jsonString(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** Python equality: numbers by value across int/float, lists and maps deeply. */
    static boolean equal(Object a, Object b) {
        if (a instanceof Undefined && b instanceof Undefined) {
            return true;
        }
        if (a instanceof Number x && b instanceof Number y && !(a instanceof Boolean) && !(b instanceof Boolean)) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return java.util.Objects.equals(a, b);
    }

    /** Python ordering of numbers with numbers and strings with strings; anything else is an error. */
    static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        throw new TemplateException("cannot compare " + typeName(a) + " with " + typeName(b));
    }

    static String typeName(Object v) {
        return switch (v) {
            case null -> "none";
            case Undefined u -> "undefined '" + u.name() + "'";
            case Boolean b -> "boolean";
            case Long l -> "integer";
            case Double d -> "float";
            case String s -> "string";
            case List<?> l -> "list";
            case Map<?, ?> m -> "mapping";
            case Namespace n -> "namespace";
            default -> "function";
        };
    }

    /** The items a for loop or filter walks: a list, a string's characters, a map's keys. */
    static List<Object> iterate(Object v) {
        return switch (v) {
            case List<?> l -> new ArrayList<>(l);
            case String s -> {
                List<Object> chars = new ArrayList<>();
                s.codePoints().forEach(c -> chars.add(new String(Character.toChars(c))));
                yield chars;
            }
            case Map<?, ?> m -> new ArrayList<>(m.keySet());
            case Undefined u -> new ArrayList<>();
            default -> throw new TemplateException("cannot iterate over " + typeName(v));
        };
    }

    static long toLong(Object v, String what) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new TemplateException(what + " must be an integer, got " + typeName(v));
    }
}

package dev.seriatim.text.chat;

import static dev.seriatim.text.chat.JinjaValues.str;
import static dev.seriatim.text.chat.JinjaValues.truthy;
import static dev.seriatim.text.chat.JinjaValues.typeName;

import dev.seriatim.text.chat.JinjaValues.JinjaFunction;
import dev.seriatim.text.chat.JinjaValues.Namespace;
import dev.seriatim.text.chat.JinjaValues.Undefined;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The globals, filters, tests and methods of strings, lists and mappings that real chat
 * templates call, with Python's semantics. Anything else is a {@link TemplateException} naming
 * it, never a silent empty result.
 */
final class JinjaBuiltins {

    private JinjaBuiltins() {
    }

    static Map<String, Object> globals() {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("range", (JinjaFunction) (args, kw) -> range(args));
        g.put("namespace", (JinjaFunction) (args, kw) -> {
            Namespace ns = new Namespace();
            for (Object a : args) {
                if (a instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> ns.attributes.put(String.valueOf(k), v));
                }
            }
            ns.attributes.putAll(kw);
            return ns;
        });
        g.put("dict", (JinjaFunction) (args, kw) -> new LinkedHashMap<>(kw));
        g.put("raise_exception", (JinjaFunction) (args, kw) -> {
            throw new TemplateException("the template raised an error: " + (args.isEmpty() ? "" : str(args.getFirst())));
        });
        g.put("strftime_now", (JinjaFunction) (args, kw) -> strftime(LocalDateTime.now(), str(args.getFirst())));
        return g;
    }

    private static List<Object> range(List<Object> args) {
        long start = 0;
        long stop;
        long step = 1;
        if (args.size() == 1) {
            stop = JinjaValues.toLong(args.get(0), "range stop");
        } else if (args.size() == 2 || args.size() == 3) {
            start = JinjaValues.toLong(args.get(0), "range start");
            stop = JinjaValues.toLong(args.get(1), "range stop");
            step = args.size() == 3 ? JinjaValues.toLong(args.get(2), "range step") : 1;
        } else {
            throw new TemplateException("range takes 1 to 3 arguments");
        }
        if (step == 0) {
            throw new TemplateException("range step must not be zero");
        }
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            if (out.size() >= 1_000_000) {
                throw new TemplateException("range of more than 1000000 items");
            }
            out.add(i);
        }
        return out;
    }

    /** The few strftime codes chat templates use (Llama 3.1: {@code %d %b %Y}). */
    static String strftime(LocalDateTime t, String format) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                b.append(c);
                continue;
            }
            char code = format.charAt(++i);
            String pattern = switch (code) {
                case 'd' -> "dd";
                case 'b' -> "MMM";
                case 'B' -> "MMMM";
                case 'Y' -> "yyyy";
                case 'y' -> "yy";
                case 'm' -> "MM";
                case 'H' -> "HH";
                case 'M' -> "mm";
                case 'S' -> "ss";
                case 'A' -> "EEEE";
                case 'a' -> "EEE";
                case '%' -> "'%'";
                default -> throw new TemplateException("strftime code %" + code + " is not supported");
            };
            b.append(t.format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH)));
        }
        return b.toString();
    }

    // ---- access

    static Object attribute(Object target, String name) {
        return switch (target) {
            case Map<?, ?> m -> m.containsKey(name) ? m.get(name) : new Undefined(name);
            case Namespace ns -> ns.attributes.containsKey(name) ? ns.attributes.get(name) : new Undefined(name);
            case Undefined u -> throw new TemplateException("'" + u.name() + "' is undefined (reading ." + name + ")");
            case null -> throw new TemplateException("None has no attribute '" + name + "'");
            default -> new Undefined(name);
        };
    }

    static Object item(Object target, Object key) {
        return switch (target) {
            case Map<?, ?> m -> m.containsKey(key) ? m.get(key) : new Undefined(str(key));
            case Namespace ns -> attribute(ns, str(key));
            case List<?> l -> {
                long i = JinjaValues.toLong(key, "list index");
                long k = i < 0 ? l.size() + i : i;
                yield k >= 0 && k < l.size() ? l.get((int) k) : new Undefined("[" + i + "]");
            }
            case String s -> {
                List<Object> chars = JinjaValues.iterate(s);
                long i = JinjaValues.toLong(key, "string index");
                long k = i < 0 ? chars.size() + i : i;
                yield k >= 0 && k < chars.size() ? chars.get((int) k) : new Undefined("[" + i + "]");
            }
            case Undefined u -> throw new TemplateException("'" + u.name() + "' is undefined (reading [" + str(key) + "])");
            default -> throw new TemplateException(typeName(target) + " cannot be subscripted");
        };
    }

    static Object slice(Object target, Object startV, Object stopV, Object stepV) {
        List<Object> items = switch (target) {
            case List<?> l -> new ArrayList<>(l);
            case String s -> JinjaValues.iterate(s);
            default -> throw new TemplateException(typeName(target) + " cannot be sliced");
        };
        int n = items.size();
        long step = stepV == null ? 1 : JinjaValues.toLong(stepV, "slice step");
        if (step == 0) {
            throw new TemplateException("slice step must not be zero");
        }
        long start;
        long stop;
        if (step > 0) {
            start = startV == null ? 0 : clamp(JinjaValues.toLong(startV, "slice start"), n, 0, n);
            stop = stopV == null ? n : clamp(JinjaValues.toLong(stopV, "slice stop"), n, 0, n);
        } else {
            start = startV == null ? n - 1 : clamp(JinjaValues.toLong(startV, "slice start"), n, -1, n - 1);
            stop = stopV == null ? -1 : clamp(JinjaValues.toLong(stopV, "slice stop"), n, -1, n - 1);
        }
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            out.add(items.get((int) i));
        }
        if (target instanceof String) {
            StringBuilder b = new StringBuilder();
            out.forEach(b::append);
            return b.toString();
        }
        return out;
    }

    private static long clamp(long i, int n, long lo, long hi) {
        long k = i < 0 ? i + n : i;
        return Math.max(lo, Math.min(hi, k));
    }

    static boolean contains(Object container, Object needle) {
        return switch (container) {
            case String s -> {
                if (!(needle instanceof String t)) {
                    throw new TemplateException("'in <string>' needs a string on the left, got " + typeName(needle));
                }
                yield s.contains(t);
            }
            case List<?> l -> l.stream().anyMatch(x -> JinjaValues.equal(x, needle));
            case Map<?, ?> m -> m.containsKey(needle);
            case Namespace ns -> ns.attributes.containsKey(needle);
            case Undefined u -> throw new TemplateException("'" + u.name() + "' is undefined (used with 'in')");
            default -> throw new TemplateException("'in' needs a string, list or mapping, got " + typeName(container));
        };
    }

    static Object arithmetic(String op, Object l, Object r) {
        if (op.equals("+") && l instanceof String a && r instanceof String b) {
            return a + b;
        }
        if (op.equals("+") && l instanceof List<?> a && r instanceof List<?> b) {
            List<Object> out = new ArrayList<>(a);
            out.addAll(b);
            return out;
        }
        if (op.equals("*") && l instanceof String s && r instanceof Long k) {
            return s.repeat((int) Math.max(0, Math.min(k, 1 << 20)));
        }
        if (!(l instanceof Long || l instanceof Double) || !(r instanceof Long || r instanceof Double)) {
            throw new TemplateException("unsupported operand types for " + op + ": " + typeName(l) + " and " + typeName(r));
        }
        if (l instanceof Long a && r instanceof Long b) {
            return switch (op) {
                case "+" -> a + b;
                case "-" -> a - b;
                case "*" -> a * b;
                case "/" -> {
                    if (b == 0) {
                        throw new TemplateException("division by zero");
                    }
                    yield (double) a / b;
                }
                case "//" -> {
                    if (b == 0) {
                        throw new TemplateException("division by zero");
                    }
                    yield Math.floorDiv(a, b);
                }
                case "%" -> {
                    if (b == 0) {
                        throw new TemplateException("modulo by zero");
                    }
                    yield Math.floorMod(a, b);
                }
                case "**" -> (long) Math.pow(a, b);
                default -> throw new TemplateException("unknown operator " + op);
            };
        }
        double a = ((Number) l).doubleValue();
        double b = ((Number) r).doubleValue();
        return switch (op) {
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/" -> a / b;
            case "//" -> Math.floor(a / b);
            case "%" -> a - b * Math.floor(a / b);
            case "**" -> Math.pow(a, b);
            default -> throw new TemplateException("unknown operator " + op);
        };
    }

    // ---- filters

    static Object filter(String name, Object v, List<Object> args, Map<String, Object> kw) {
        return switch (name) {
            case "length", "count" -> (long) switch (v) {
                case String s -> s.codePointCount(0, s.length());
                case List<?> l -> l.size();
                case Map<?, ?> m -> m.size();
                case Namespace ns -> ns.attributes.size();
                default -> throw new TemplateException("length of " + typeName(v));
            };
            case "tojson" -> {
                Object indent = kw.getOrDefault("indent", args.isEmpty() ? null : args.getFirst());
                yield JinjaValues.toJson(v, indent == null ? null : (int) JinjaValues.toLong(indent, "tojson indent"));
            }
            case "trim" -> args.isEmpty() ? stripChars(str(v), null, true, true) : stripChars(str(v), str(args.getFirst()), true, true);
            case "upper" -> str(v).toUpperCase(Locale.ROOT);
            case "lower" -> str(v).toLowerCase(Locale.ROOT);
            case "capitalize" -> capitalize(str(v));
            case "title" -> title(str(v));
            case "string" -> str(v);
            case "safe", "e", "escape" -> name.equals("safe") ? v : str(v).replace("&", "&amp;").replace("<", "&lt;")
                    .replace(">", "&gt;").replace("\"", "&#34;").replace("'", "&#39;");
            case "default", "d" -> {
                Object fallback = args.isEmpty() ? "" : args.get(0);
                boolean boolean_ = args.size() > 1 && truthy(args.get(1)) || truthy(kw.get("boolean"));
                yield v instanceof Undefined || boolean_ && !truthy(v) ? fallback : v;
            }
            case "first" -> {
                List<Object> l = JinjaValues.iterate(v);
                yield l.isEmpty() ? new Undefined("first") : l.getFirst();
            }
            case "last" -> {
                List<Object> l = JinjaValues.iterate(v);
                yield l.isEmpty() ? new Undefined("last") : l.getLast();
            }
            case "list" -> JinjaValues.iterate(v);
            case "reverse" -> {
                if (v instanceof String s) {
                    yield new StringBuilder(s).reverse().toString();
                }
                List<Object> l = JinjaValues.iterate(v);
                Collections.reverse(l);
                yield l;
            }
            case "join" -> {
                String sep = args.isEmpty() ? str(kw.getOrDefault("d", "")) : str(args.getFirst());
                StringBuilder b = new StringBuilder();
                List<Object> l = JinjaValues.iterate(v);
                for (int i = 0; i < l.size(); i++) {
                    b.append(i > 0 ? sep : "").append(str(l.get(i)));
                }
                yield b.toString();
            }
            case "int" -> switch (v) {
                case Long l -> l;
                case Double d -> (long) (double) d;
                case Boolean b -> b ? 1L : 0L;
                case String s -> {
                    try {
                        yield Long.parseLong(s.strip());
                    } catch (NumberFormatException e) {
                        yield args.isEmpty() ? 0L : args.getFirst();
                    }
                }
                default -> 0L;
            };
            case "float" -> v instanceof Number n ? n.doubleValue() : 0.0;
            case "abs" -> v instanceof Long l ? Math.abs(l) : Math.abs(((Number) v).doubleValue());
            case "items" -> method(v, "items", List.of(), Map.of());
            case "replace" -> str(v).replace(str(args.get(0)), str(args.get(1)));
            case "map" -> {
                List<Object> out = new ArrayList<>();
                for (Object x : JinjaValues.iterate(v)) {
                    if (kw.containsKey("attribute")) {
                        Object a = attribute(x, str(kw.get("attribute")));
                        out.add(a instanceof Undefined && kw.containsKey("default") ? kw.get("default") : a);
                    } else if (!args.isEmpty()) {
                        out.add(filter(str(args.getFirst()), x, args.subList(1, args.size()), Map.of()));
                    } else {
                        throw new TemplateException("map needs a filter name or attribute=");
                    }
                }
                yield out;
            }
            case "select", "reject" -> {
                List<Object> out = new ArrayList<>();
                for (Object x : JinjaValues.iterate(v)) {
                    boolean ok = args.isEmpty() ? truthy(x) : test(str(args.getFirst()), x, args.subList(1, args.size()));
                    if (ok == name.equals("select")) {
                        out.add(x);
                    }
                }
                yield out;
            }
            case "selectattr", "rejectattr" -> {
                List<Object> out = new ArrayList<>();
                for (Object x : JinjaValues.iterate(v)) {
                    Object a = x instanceof Map<?, ?> || x instanceof Namespace ? attribute(x, str(args.getFirst()))
                            : new Undefined(str(args.getFirst()));
                    boolean ok = args.size() < 2 ? truthy(a) : test(str(args.get(1)), a, args.subList(2, args.size()));
                    if (ok == name.equals("selectattr")) {
                        out.add(x);
                    }
                }
                yield out;
            }
            case "unique" -> {
                List<Object> out = new ArrayList<>();
                for (Object x : JinjaValues.iterate(v)) {
                    if (out.stream().noneMatch(y -> JinjaValues.equal(x, y))) {
                        out.add(x);
                    }
                }
                yield out;
            }
            case "indent" -> {
                int width = args.isEmpty() ? 4 : (int) JinjaValues.toLong(args.getFirst(), "indent width");
                boolean first = args.size() > 1 && truthy(args.get(1)) || truthy(kw.get("first"));
                String pad = " ".repeat(width);
                String s = str(v);
                String body = s.replace("\n", "\n" + pad).replaceAll("\n" + pad + "(?=\n|$)", "\n");
                yield first ? pad + body : body;
            }
            case "round" -> {
                int precision = args.isEmpty() ? 0 : (int) JinjaValues.toLong(args.getFirst(), "round precision");
                double d = ((Number) v).doubleValue();
                double f = Math.pow(10, precision);
                yield Math.rint(d * f) / f;
            }
            case "wordcount" -> (long) str(v).trim().split("\\s+").length;
            default -> throw new TemplateException("filter '" + name + "' is not supported");
        };
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String title(String s) {
        StringBuilder b = new StringBuilder();
        boolean start = true;
        for (char c : s.toCharArray()) {
            b.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = !Character.isLetterOrDigit(c);
        }
        return b.toString();
    }

    // ---- tests

    static boolean test(String name, Object v, List<Object> args) {
        return switch (name) {
            case "defined" -> !(v instanceof Undefined);
            case "undefined" -> v instanceof Undefined;
            case "none" -> v == null;
            case "string" -> v instanceof String;
            case "number" -> v instanceof Long || v instanceof Double;
            case "integer" -> v instanceof Long;
            case "float" -> v instanceof Double;
            case "boolean" -> v instanceof Boolean;
            case "true" -> Boolean.TRUE.equals(v);
            case "false" -> Boolean.FALSE.equals(v);
            case "mapping" -> v instanceof Map<?, ?> || v instanceof Namespace;
            case "sequence" -> v instanceof List<?> || v instanceof String || v instanceof Map<?, ?>;
            case "iterable" -> v instanceof List<?> || v instanceof String || v instanceof Map<?, ?>;
            case "callable" -> v instanceof JinjaFunction;
            case "even" -> JinjaValues.toLong(v, "even test") % 2 == 0;
            case "odd" -> JinjaValues.toLong(v, "odd test") % 2 != 0;
            case "divisibleby" -> JinjaValues.toLong(v, "divisibleby") % JinjaValues.toLong(args.getFirst(), "divisor") == 0;
            case "equalto", "eq", "==", "sameas" -> JinjaValues.equal(v, args.getFirst());
            case "ne", "!=" -> !JinjaValues.equal(v, args.getFirst());
            case "in" -> contains(args.getFirst(), v);
            case "lower" -> v instanceof String s && s.equals(s.toLowerCase(Locale.ROOT));
            case "upper" -> v instanceof String s && s.equals(s.toUpperCase(Locale.ROOT));
            default -> throw new TemplateException("test '" + name + "' is not supported");
        };
    }

    // ---- methods

    static Object method(Object target, String name, List<Object> args, Map<String, Object> kw) {
        switch (target) {
            case String s -> {
                return stringMethod(s, name, args);
            }
            case Map<?, ?> m -> {
                switch (name) {
                    case "items" -> {
                        List<Object> out = new ArrayList<>();
                        m.forEach((k, v) -> out.add(new ArrayList<>(java.util.Arrays.asList(k, v))));
                        return out;
                    }
                    case "keys" -> {
                        return new ArrayList<Object>(m.keySet());
                    }
                    case "values" -> {
                        return new ArrayList<Object>(m.values());
                    }
                    case "get" -> {
                        Object k = args.getFirst();
                        return m.containsKey(k) ? m.get(k) : args.size() > 1 ? args.get(1) : null;
                    }
                    default -> {
                        Object f = m.get(name);
                        if (f instanceof JinjaFunction fn) {
                            return fn.call(args, kw);
                        }
                        throw new TemplateException("mapping has no method '" + name + "'");
                    }
                }
            }
            case List<?> l -> {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) l;
                switch (name) {
                    case "append" -> {
                        list.add(args.getFirst());
                        return null;
                    }
                    case "index" -> {
                        for (int i = 0; i < list.size(); i++) {
                            if (JinjaValues.equal(list.get(i), args.getFirst())) {
                                return (long) i;
                            }
                        }
                        throw new TemplateException("value is not in the list");
                    }
                    case "count" -> {
                        return list.stream().filter(x -> JinjaValues.equal(x, args.getFirst())).count();
                    }
                    default -> throw new TemplateException("list has no method '" + name + "'");
                }
            }
            case Undefined u -> throw new TemplateException("'" + u.name() + "' is undefined (calling ." + name + "())");
            default -> throw new TemplateException(typeName(target) + " has no method '" + name + "'");
        }
    }

    private static Object stringMethod(String s, String name, List<Object> args) {
        return switch (name) {
            case "strip" -> stripChars(s, charsArg(args), true, true);
            case "lstrip" -> stripChars(s, charsArg(args), true, false);
            case "rstrip" -> stripChars(s, charsArg(args), false, true);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> capitalize(s);
            case "startswith", "endswith" -> {
                Object p = args.getFirst();
                List<Object> options = p instanceof List<?> l ? new ArrayList<>(l) : List.of(p);
                boolean any = false;
                for (Object o : options) {
                    String t = str(o);
                    any |= name.equals("startswith") ? s.startsWith(t) : s.endsWith(t);
                }
                yield any;
            }
            case "split" -> split(s, args.isEmpty() || args.getFirst() == null ? null : str(args.getFirst()),
                    args.size() > 1 ? JinjaValues.toLong(args.get(1), "maxsplit") : -1);
            case "replace" -> {
                long count = args.size() > 2 ? JinjaValues.toLong(args.get(2), "count") : -1;
                String from = str(args.get(0));
                String to = str(args.get(1));
                if (count < 0) {
                    yield s.replace(from, to);
                }
                String r = s;
                StringBuilder b = new StringBuilder();
                int at = 0;
                for (long k = 0; k < count; k++) {
                    int i = r.indexOf(from, at);
                    if (i < 0 || from.isEmpty()) {
                        break;
                    }
                    b.append(r, at, i).append(to);
                    at = i + from.length();
                }
                yield b.append(r.substring(at)).toString();
            }
            case "find" -> (long) s.indexOf(str(args.getFirst()));
            case "count" -> {
                String t = str(args.getFirst());
                long n = 0;
                for (int i = t.isEmpty() ? -1 : s.indexOf(t); i >= 0; i = s.indexOf(t, i + t.length())) {
                    n++;
                }
                yield n;
            }
            case "join" -> {
                StringBuilder b = new StringBuilder();
                List<Object> l = JinjaValues.iterate(args.getFirst());
                for (int i = 0; i < l.size(); i++) {
                    b.append(i > 0 ? s : "").append(str(l.get(i)));
                }
                yield b.toString();
            }
            case "isdigit" -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isspace" -> !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
            default -> throw new TemplateException("string has no method '" + name + "'");
        };
    }

    private static String charsArg(List<Object> args) {
        return args.isEmpty() || args.getFirst() == null ? null : str(args.getFirst());
    }

    /** Python's strip family: whitespace when chars is null, else any of chars. */
    static String stripChars(String s, String chars, boolean left, boolean right) {
        int a = 0;
        int b = s.length();
        while (left && a < b && (chars == null ? Character.isWhitespace(s.charAt(a)) : chars.indexOf(s.charAt(a)) >= 0)) {
            a++;
        }
        while (right && b > a && (chars == null ? Character.isWhitespace(s.charAt(b - 1)) : chars.indexOf(s.charAt(b - 1)) >= 0)) {
            b--;
        }
        return s.substring(a, b);
    }

    /** Python's str.split: on whitespace runs when sep is null, else on sep exactly. */
    private static List<Object> split(String s, String sep, long maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            String rest = s.stripLeading();
            while (!rest.isEmpty()) {
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(rest.stripTrailing());
                    return out;
                }
                int i = 0;
                while (i < rest.length() && !Character.isWhitespace(rest.charAt(i))) {
                    i++;
                }
                out.add(rest.substring(0, i));
                rest = rest.substring(i).stripLeading();
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw new TemplateException("split: empty separator");
        }
        int at = 0;
        while (true) {
            int i = s.indexOf(sep, at);
            if (i < 0 || maxsplit >= 0 && out.size() == maxsplit) {
                out.add(s.substring(at));
                return out;
            }
            out.add(s.substring(at, i));
            at = i + sep.length();
        }
    }
}

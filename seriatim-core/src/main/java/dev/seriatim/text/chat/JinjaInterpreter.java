package dev.seriatim.text.chat;

import dev.seriatim.text.chat.JinjaExpr.Attr;
import dev.seriatim.text.chat.JinjaValues.JinjaFunction;
import dev.seriatim.text.chat.JinjaValues.Namespace;
import dev.seriatim.text.chat.JinjaValues.Undefined;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders parsed template nodes. Scoping follows Jinja: a for loop body (and a macro) gets its
 * own scope, so {@code set} inside a loop does not leak out, which is why templates carry loop
 * state in a {@code namespace}; {@code if} blocks share the enclosing scope.
 */
final class JinjaInterpreter {

    /** Upper bound on output, so a runaway template cannot exhaust memory. */
    static final int MAX_OUTPUT_CHARS = 16 << 20;

    private enum Flow { NORMAL, BREAK, CONTINUE }

    private static final class Scope {
        final Map<String, Object> vars = new HashMap<>();
        final Scope parent;

        Scope(Scope parent) {
            this.parent = parent;
        }

        Object lookup(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.vars.containsKey(name)) {
                    return s.vars.get(name);
                }
            }
            return new Undefined(name);
        }
    }

    private int line;
    private int depth;

    String render(List<JinjaNode> nodes, Map<String, Object> context) {
        Scope globals = new Scope(null);
        globals.vars.putAll(JinjaBuiltins.globals());
        Scope root = new Scope(globals);
        root.vars.putAll(context);
        StringBuilder out = new StringBuilder();
        try {
            exec(nodes, root, out, false);
        } catch (TemplateException e) {
            throw e.getMessage().startsWith("template line") ? e
                    : new TemplateException("template line " + line + ": " + e.getMessage());
        } catch (StackOverflowError e) {
            throw new TemplateException("template line " + line + ": expression nested too deeply");
        } catch (RuntimeException e) {
            throw new TemplateException("template line " + line + ": " + e);
        }
        return out.toString();
    }

    private Flow exec(List<JinjaNode> nodes, Scope scope, StringBuilder out, boolean inLoop) {
        for (JinjaNode n : nodes) {
            Flow f = exec(n, scope, out, inLoop);
            if (f != Flow.NORMAL) {
                return f;
            }
            if (out.length() > MAX_OUTPUT_CHARS) {
                throw new TemplateException("template output exceeds " + MAX_OUTPUT_CHARS + " characters");
            }
        }
        return Flow.NORMAL;
    }

    private Flow exec(JinjaNode node, Scope scope, StringBuilder out, boolean inLoop) {
        switch (node) {
            case JinjaNode.Text t -> out.append(t.text());
            case JinjaNode.Output o -> {
                line = o.line();
                out.append(JinjaValues.str(eval(o.value(), scope)));
            }
            case JinjaNode.If i -> {
                line = i.line();
                for (int k = 0; k < i.conditions().size(); k++) {
                    if (JinjaValues.truthy(eval(i.conditions().get(k), scope))) {
                        return exec(i.bodies().get(k), scope, out, inLoop);
                    }
                }
                return exec(i.otherwise(), scope, out, inLoop);
            }
            case JinjaNode.For f -> forLoop(f, scope, out);
            case JinjaNode.Set s -> {
                line = s.line();
                Object v = eval(s.value(), scope);
                if (s.attribute() != null) {
                    Object target = scope.lookup(s.names().getFirst());
                    if (!(target instanceof Namespace ns)) {
                        throw error("cannot set attribute '" + s.attribute() + "' on " + JinjaValues.typeName(target));
                    }
                    ns.attributes.put(s.attribute(), v);
                } else if (s.names().size() == 1) {
                    scope.vars.put(s.names().getFirst(), v);
                } else {
                    unpack(s.names(), v, scope);
                }
            }
            case JinjaNode.SetBlock s -> {
                line = s.line();
                StringBuilder body = new StringBuilder();
                exec(s.body(), scope, body, inLoop);
                scope.vars.put(s.name(), body.toString());
            }
            case JinjaNode.Macro m -> scope.vars.put(m.name(), macro(m, scope));
            case JinjaNode.Do d -> {
                line = d.line();
                eval(d.value(), scope);
            }
            case JinjaNode.Break b -> {
                if (!inLoop) {
                    throw new TemplateException("template line " + b.line() + ": break outside a loop");
                }
                return Flow.BREAK;
            }
            case JinjaNode.Continue c -> {
                if (!inLoop) {
                    throw new TemplateException("template line " + c.line() + ": continue outside a loop");
                }
                return Flow.CONTINUE;
            }
        }
        return Flow.NORMAL;
    }

    private void forLoop(JinjaNode.For f, Scope scope, StringBuilder out) {
        line = f.line();
        Object iterable = eval(f.iterable(), scope);
        List<Object> items;
        if (iterable instanceof Map<?, ?> m && f.targets().size() == 2) {
            throw error("iterating a mapping gives its keys; use .items() to unpack key, value");
        }
        items = JinjaValues.iterate(iterable);
        if (f.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                Scope s = new Scope(scope);
                bind(f.targets(), item, s);
                if (JinjaValues.truthy(eval(f.filter(), s))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        if (items.isEmpty()) {
            exec(f.otherwise(), scope, out, false);
            return;
        }
        int n = items.size();
        for (int i = 0; i < n; i++) {
            Scope s = new Scope(scope);
            bind(f.targets(), items.get(i), s);
            Map<String, Object> loop = new LinkedHashMap<>();
            loop.put("index", (long) i + 1);
            loop.put("index0", (long) i);
            loop.put("revindex", (long) (n - i));
            loop.put("revindex0", (long) (n - i - 1));
            loop.put("first", i == 0);
            loop.put("last", i == n - 1);
            loop.put("length", (long) n);
            loop.put("previtem", i > 0 ? items.get(i - 1) : new Undefined("loop.previtem"));
            loop.put("nextitem", i < n - 1 ? items.get(i + 1) : new Undefined("loop.nextitem"));
            s.vars.put("loop", loop);
            if (exec(f.body(), s, out, true) == Flow.BREAK) {
                break;
            }
        }
    }

    private void bind(List<String> targets, Object item, Scope s) {
        if (targets.size() == 1) {
            s.vars.put(targets.getFirst(), item);
        } else {
            unpack(targets, item, s);
        }
    }

    private void unpack(List<String> names, Object v, Scope s) {
        if (!(v instanceof List<?> l) || l.size() != names.size()) {
            throw error("cannot unpack " + JinjaValues.typeName(v) + " into " + names.size() + " names");
        }
        for (int i = 0; i < names.size(); i++) {
            s.vars.put(names.get(i), l.get(i));
        }
    }

    private JinjaFunction macro(JinjaNode.Macro m, Scope definition) {
        return (args, kwargs) -> {
            if (++depth > 100) {
                throw error("macro recursion deeper than 100");
            }
            try {
                Scope s = new Scope(definition);
                for (int i = 0; i < m.params().size(); i++) {
                    String p = m.params().get(i);
                    Object v;
                    if (i < args.size()) {
                        v = args.get(i);
                    } else if (kwargs.containsKey(p)) {
                        v = kwargs.get(p);
                    } else if (m.defaults().get(i) != null) {
                        v = eval(m.defaults().get(i), s);
                    } else {
                        v = new Undefined(p);
                    }
                    s.vars.put(p, v);
                }
                StringBuilder out = new StringBuilder();
                exec(m.body(), s, out, false);
                return out.toString();
            } finally {
                depth--;
            }
        };
    }

    // ---- expressions

    private Object eval(JinjaExpr e, Scope scope) {
        return switch (e) {
            case JinjaExpr.Literal l -> l.value();
            case JinjaExpr.Name n -> scope.lookup(n.name());
            case JinjaExpr.Attr a -> JinjaBuiltins.attribute(eval(a.target(), scope), a.name());
            case JinjaExpr.Item i -> JinjaBuiltins.item(eval(i.target(), scope), eval(i.key(), scope));
            case JinjaExpr.Slice s -> JinjaBuiltins.slice(eval(s.target(), scope), optional(s.start(), scope),
                    optional(s.stop(), scope), optional(s.step(), scope));
            case JinjaExpr.Call c -> call(c, scope);
            case JinjaExpr.Filter f -> JinjaBuiltins.filter(f.name(), eval(f.value(), scope), evalAll(f.args(), scope),
                    evalMap(f.kwargs(), scope));
            case JinjaExpr.Test t -> {
                boolean r = JinjaBuiltins.test(t.name(), eval(t.value(), scope), evalAll(t.args(), scope));
                yield t.negated() != r;
            }
            case JinjaExpr.Unary u -> unary(u.op(), eval(u.operand(), scope));
            case JinjaExpr.Binary b -> binary(b, scope);
            case JinjaExpr.Conditional c -> JinjaValues.truthy(eval(c.condition(), scope)) ? eval(c.then(), scope)
                    : c.otherwise() == null ? new Undefined("conditional") : eval(c.otherwise(), scope);
            case JinjaExpr.ListLiteral l -> evalAll(l.items(), scope);
            case JinjaExpr.DictLiteral d -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < d.keys().size(); i++) {
                    Object k = eval(d.keys().get(i), scope);
                    if (!(k instanceof String ks)) {
                        throw error("dict keys must be strings, got " + JinjaValues.typeName(k));
                    }
                    m.put(ks, eval(d.values().get(i), scope));
                }
                yield m;
            }
        };
    }

    private Object optional(JinjaExpr e, Scope scope) {
        return e == null ? null : eval(e, scope);
    }

    private List<Object> evalAll(List<JinjaExpr> es, Scope scope) {
        List<Object> out = new ArrayList<>(es.size());
        for (JinjaExpr e : es) {
            out.add(eval(e, scope));
        }
        return out;
    }

    private Map<String, Object> evalMap(Map<String, JinjaExpr> es, Scope scope) {
        Map<String, Object> out = new LinkedHashMap<>();
        es.forEach((k, v) -> out.put(k, eval(v, scope)));
        return out;
    }

    private Object call(JinjaExpr.Call c, Scope scope) {
        List<Object> args = evalAll(c.args(), scope);
        Map<String, Object> kwargs = evalMap(c.kwargs(), scope);
        if (c.function() instanceof Attr a) {
            Object target = eval(a.target(), scope);
            if (!(target instanceof Namespace) && !(target instanceof Map<?, ?> m && m.get(a.name()) instanceof JinjaFunction)) {
                return JinjaBuiltins.method(target, a.name(), args, kwargs);
            }
        }
        Object fn = eval(c.function(), scope);
        if (fn instanceof JinjaFunction f) {
            return f.call(args, kwargs);
        }
        if (fn instanceof Undefined u) {
            throw error("'" + u.name() + "' is undefined and cannot be called");
        }
        throw error(JinjaValues.typeName(fn) + " is not callable");
    }

    private Object unary(String op, Object v) {
        return switch (op) {
            case "not" -> !JinjaValues.truthy(v);
            case "-" -> switch (v) {
                case Long l -> -l;
                case Double d -> -d;
                default -> throw error("cannot negate " + JinjaValues.typeName(v));
            };
            default -> {
                if (!(v instanceof Long) && !(v instanceof Double)) {
                    throw error("unary + needs a number, got " + JinjaValues.typeName(v));
                }
                yield v;
            }
        };
    }

    private Object binary(JinjaExpr.Binary b, Scope scope) {
        String op = b.op();
        if (op.equals("and")) {
            Object l = eval(b.left(), scope);
            return JinjaValues.truthy(l) ? eval(b.right(), scope) : l;
        }
        if (op.equals("or")) {
            Object l = eval(b.left(), scope);
            return JinjaValues.truthy(l) ? l : eval(b.right(), scope);
        }
        Object l = eval(b.left(), scope);
        Object r = eval(b.right(), scope);
        return switch (op) {
            case "==" -> JinjaValues.equal(l, r);
            case "!=" -> !JinjaValues.equal(l, r);
            case "<" -> JinjaValues.compare(l, r) < 0;
            case ">" -> JinjaValues.compare(l, r) > 0;
            case "<=" -> JinjaValues.compare(l, r) <= 0;
            case ">=" -> JinjaValues.compare(l, r) >= 0;
            case "in" -> JinjaBuiltins.contains(r, l);
            case "not in" -> !JinjaBuiltins.contains(r, l);
            case "~" -> JinjaValues.str(l) + JinjaValues.str(r);
            default -> JinjaBuiltins.arithmetic(op, l, r);
        };
    }

    private TemplateException error(String message) {
        return new TemplateException("template line " + line + ": " + message);
    }
}

package dev.seriatim.text.chat;

import dev.seriatim.text.chat.JinjaExpr.Binary;
import dev.seriatim.text.chat.JinjaExpr.Literal;
import dev.seriatim.text.chat.JinjaToken.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser for the Jinja subset chat templates use, with Jinja's operator
 * precedence: conditional expression, or, and, not, comparisons (incl. in / not in), + -, ~,
 * * / // %, **, unary - +, then primaries with postfix . [] () and filters | / tests is.
 */
final class JinjaParser {

    private static final Set<String> BLOCK_ENDS = Set.of("elif", "else", "endif", "endfor", "endset", "endmacro");

    private final List<JinjaToken> tokens;
    private int at;

    private JinjaParser(List<JinjaToken> tokens) {
        this.tokens = tokens;
    }

    static List<JinjaNode> parse(String source) {
        JinjaParser p = new JinjaParser(JinjaLexer.tokenize(source));
        List<JinjaNode> body = p.nodes(Set.of());
        if (p.peek().kind() != Kind.EOF) {
            throw p.error("unexpected '" + p.peekKeyword() + "' tag");
        }
        return body;
    }

    // ---- statements

    /** Nodes up to EOF or a block tag whose keyword is in {@code stops} (not consumed). */
    private List<JinjaNode> nodes(Set<String> stops) {
        List<JinjaNode> out = new ArrayList<>();
        while (true) {
            JinjaToken t = peek();
            switch (t.kind()) {
                case EOF -> {
                    if (!stops.isEmpty()) {
                        throw error("template ended inside a block; expected one of " + stops);
                    }
                    return out;
                }
                case TEXT -> {
                    at++;
                    out.add(new JinjaNode.Text(t.text()));
                }
                case VAR_BEGIN -> {
                    at++;
                    JinjaExpr e = expression();
                    expect(Kind.VAR_END, "}}");
                    out.add(new JinjaNode.Output(e, t.line()));
                }
                case BLOCK_BEGIN -> {
                    String kw = peekKeyword();
                    if (stops.contains(kw)) {
                        return out;
                    }
                    if (BLOCK_ENDS.contains(kw)) {
                        throw error("unexpected '" + kw + "' tag");
                    }
                    at++;
                    out.add(statement());
                }
                default -> throw error("unexpected " + t.text());
            }
        }
    }

    private String peekKeyword() {
        JinjaToken next = at + 1 < tokens.size() ? tokens.get(at + 1) : peek();
        return next.kind() == Kind.NAME ? next.text() : next.text();
    }

    private JinjaNode statement() {
        JinjaToken kw = next();
        int line = kw.line();
        if (kw.kind() != Kind.NAME) {
            throw error("expected a statement keyword");
        }
        switch (kw.text()) {
            case "if" -> {
                List<JinjaExpr> conds = new ArrayList<>();
                List<List<JinjaNode>> bodies = new ArrayList<>();
                conds.add(expression());
                endTag();
                bodies.add(nodes(Set.of("elif", "else", "endif")));
                List<JinjaNode> otherwise = List.of();
                while (true) {
                    expect(Kind.BLOCK_BEGIN, "{%");
                    String k = next().text();
                    if (k.equals("elif")) {
                        conds.add(expression());
                        endTag();
                        bodies.add(nodes(Set.of("elif", "else", "endif")));
                    } else if (k.equals("else")) {
                        endTag();
                        otherwise = nodes(Set.of("endif"));
                    } else {
                        endTag();
                        return new JinjaNode.If(conds, bodies, otherwise, line);
                    }
                }
            }
            case "for" -> {
                List<String> targets = new ArrayList<>();
                targets.add(name());
                while (peek().isOp(",")) {
                    at++;
                    targets.add(name());
                }
                if (!next().isName("in")) {
                    throw error("expected 'in' in for loop");
                }
                JinjaExpr iterable = conditionalFree();
                JinjaExpr filter = null;
                if (peek().isName("if")) {
                    at++;
                    filter = expression();
                }
                if (peek().isName("recursive")) {
                    throw error("recursive loops are not supported");
                }
                endTag();
                List<JinjaNode> body = nodes(Set.of("else", "endfor"));
                List<JinjaNode> otherwise = List.of();
                expect(Kind.BLOCK_BEGIN, "{%");
                if (next().text().equals("else")) {
                    endTag();
                    otherwise = nodes(Set.of("endfor"));
                    expect(Kind.BLOCK_BEGIN, "{%");
                    next();
                }
                endTag();
                return new JinjaNode.For(targets, iterable, filter, body, otherwise, line);
            }
            case "set" -> {
                String first = name();
                if (peek().isOp(".")) {
                    at++;
                    String attr = name();
                    expect(Kind.OP, "=");
                    JinjaExpr v = expression();
                    endTag();
                    return new JinjaNode.Set(List.of(first), attr, v, line);
                }
                List<String> names = new ArrayList<>(List.of(first));
                while (peek().isOp(",")) {
                    at++;
                    names.add(name());
                }
                if (peek().kind() == Kind.BLOCK_END && names.size() == 1) {
                    endTag();
                    List<JinjaNode> body = nodes(Set.of("endset"));
                    expect(Kind.BLOCK_BEGIN, "{%");
                    next();
                    endTag();
                    return new JinjaNode.SetBlock(first, body, line);
                }
                expect(Kind.OP, "=");
                JinjaExpr v = expression();
                endTag();
                return new JinjaNode.Set(names, null, v, line);
            }
            case "macro" -> {
                String name = name();
                expect(Kind.OP, "(");
                List<String> params = new ArrayList<>();
                List<JinjaExpr> defaults = new ArrayList<>();
                while (!peek().isOp(")")) {
                    params.add(name());
                    if (peek().isOp("=")) {
                        at++;
                        defaults.add(expression());
                    } else {
                        defaults.add(null);
                    }
                    if (!peek().isOp(",")) {
                        break;
                    }
                    at++;
                }
                expect(Kind.OP, ")");
                endTag();
                List<JinjaNode> body = nodes(Set.of("endmacro"));
                expect(Kind.BLOCK_BEGIN, "{%");
                next();
                endTag();
                return new JinjaNode.Macro(name, params, defaults, body, line);
            }
            case "do" -> {
                JinjaExpr e = expression();
                endTag();
                return new JinjaNode.Do(e, line);
            }
            case "break" -> {
                endTag();
                return new JinjaNode.Break(line);
            }
            case "continue" -> {
                endTag();
                return new JinjaNode.Continue(line);
            }
            default -> throw error("the '" + kw.text() + "' tag is not supported");
        }
    }

    private void endTag() {
        expect(Kind.BLOCK_END, "%}");
    }

    private String name() {
        JinjaToken t = next();
        if (t.kind() != Kind.NAME) {
            throw error("expected a name, found '" + t.text() + "'");
        }
        return t.text();
    }

    // ---- expressions

    JinjaExpr expression() {
        JinjaExpr e = or();
        if (peek().isName("if")) {
            at++;
            JinjaExpr cond = or();
            JinjaExpr otherwise = null;
            if (peek().isName("else")) {
                at++;
                otherwise = expression();
            }
            return new JinjaExpr.Conditional(e, cond, otherwise);
        }
        return e;
    }

    /** A for loop's iterable: an expression without a trailing {@code if}, which is the loop filter. */
    private JinjaExpr conditionalFree() {
        return or();
    }

    private JinjaExpr or() {
        JinjaExpr e = and();
        while (peek().isName("or")) {
            at++;
            e = new Binary("or", e, and());
        }
        return e;
    }

    private JinjaExpr and() {
        JinjaExpr e = not();
        while (peek().isName("and")) {
            at++;
            e = new Binary("and", e, not());
        }
        return e;
    }

    private JinjaExpr not() {
        if (peek().isName("not")) {
            at++;
            return new JinjaExpr.Unary("not", not());
        }
        return compare();
    }

    private JinjaExpr compare() {
        JinjaExpr e = additive();
        while (true) {
            JinjaToken t = peek();
            if (t.kind() == Kind.OP && Set.of("==", "!=", "<", ">", "<=", ">=").contains(t.text())) {
                at++;
                e = new Binary(t.text(), e, additive());
            } else if (t.isName("in")) {
                at++;
                e = new Binary("in", e, additive());
            } else if (t.isName("not") && tokens.get(at + 1).isName("in")) {
                at += 2;
                e = new Binary("not in", e, additive());
            } else {
                return e;
            }
        }
    }

    private JinjaExpr additive() {
        JinjaExpr e = concat();
        while (peek().isOp("+") || peek().isOp("-")) {
            String op = next().text();
            e = new Binary(op, e, concat());
        }
        return e;
    }

    private JinjaExpr concat() {
        JinjaExpr e = multiplicative();
        while (peek().isOp("~")) {
            at++;
            e = new Binary("~", e, multiplicative());
        }
        return e;
    }

    private JinjaExpr multiplicative() {
        JinjaExpr e = power();
        while (peek().isOp("*") || peek().isOp("/") || peek().isOp("//") || peek().isOp("%")) {
            String op = next().text();
            e = new Binary(op, e, power());
        }
        return e;
    }

    private JinjaExpr power() {
        JinjaExpr e = unary(true);
        while (peek().isOp("**")) {
            at++;
            e = new Binary("**", e, unary(true));
        }
        return e;
    }

    private JinjaExpr unary(boolean withFilter) {
        JinjaExpr e;
        if (peek().isOp("-") || peek().isOp("+")) {
            String op = next().text();
            e = new JinjaExpr.Unary(op, unary(false));
        } else {
            e = postfix(primary());
        }
        return withFilter ? filters(e) : e;
    }

    private JinjaExpr primary() {
        JinjaToken t = next();
        switch (t.kind()) {
            case STRING -> {
                StringBuilder s = new StringBuilder(t.text());
                while (peek().kind() == Kind.STRING) { // adjacent literals concatenate
                    s.append(next().text());
                }
                return new Literal(s.toString());
            }
            case INT -> {
                try {
                    return new Literal(Long.parseLong(t.text()));
                } catch (NumberFormatException e) {
                    throw error("integer literal " + t.text() + " is too large");
                }
            }
            case FLOAT -> {
                return new Literal(Double.parseDouble(t.text()));
            }
            case NAME -> {
                return switch (t.text()) {
                    case "true", "True" -> new Literal(Boolean.TRUE);
                    case "false", "False" -> new Literal(Boolean.FALSE);
                    case "none", "None" -> new Literal(null);
                    default -> new JinjaExpr.Name(t.text());
                };
            }
            case OP -> {
                switch (t.text()) {
                    case "(" -> {
                        if (peek().isOp(")")) {
                            at++;
                            return new JinjaExpr.ListLiteral(List.of());
                        }
                        JinjaExpr e = expression();
                        if (peek().isOp(",")) { // a tuple: a list for our purposes
                            List<JinjaExpr> items = new ArrayList<>(List.of(e));
                            while (peek().isOp(",")) {
                                at++;
                                if (peek().isOp(")")) {
                                    break;
                                }
                                items.add(expression());
                            }
                            e = new JinjaExpr.ListLiteral(items);
                        }
                        expect(Kind.OP, ")");
                        return e;
                    }
                    case "[" -> {
                        List<JinjaExpr> items = new ArrayList<>();
                        while (!peek().isOp("]")) {
                            items.add(expression());
                            if (!peek().isOp(",")) {
                                break;
                            }
                            at++;
                        }
                        expect(Kind.OP, "]");
                        return new JinjaExpr.ListLiteral(items);
                    }
                    case "{" -> {
                        List<JinjaExpr> keys = new ArrayList<>();
                        List<JinjaExpr> values = new ArrayList<>();
                        while (!peek().isOp("}")) {
                            keys.add(expression());
                            expect(Kind.OP, ":");
                            values.add(expression());
                            if (!peek().isOp(",")) {
                                break;
                            }
                            at++;
                        }
                        expect(Kind.OP, "}");
                        return new JinjaExpr.DictLiteral(keys, values);
                    }
                    default -> throw error("unexpected '" + t.text() + "'");
                }
            }
            default -> throw error("expected an expression, found '" + t.text() + "'");
        }
    }

    private JinjaExpr postfix(JinjaExpr e) {
        while (true) {
            JinjaToken t = peek();
            if (t.isOp(".")) {
                at++;
                JinjaToken n = next();
                if (n.kind() != Kind.NAME && n.kind() != Kind.INT) {
                    throw error("expected an attribute name after '.'");
                }
                e = n.kind() == Kind.INT ? new JinjaExpr.Item(e, new Literal(Long.parseLong(n.text())))
                        : new JinjaExpr.Attr(e, n.text());
            } else if (t.isOp("[")) {
                at++;
                e = subscript(e);
            } else if (t.isOp("(")) {
                at++;
                e = call(e);
            } else {
                return e;
            }
        }
    }

    private JinjaExpr subscript(JinjaExpr target) {
        JinjaExpr[] parts = new JinjaExpr[3];
        int part = 0;
        boolean slice = false;
        while (!peek().isOp("]")) {
            if (peek().isOp(":")) {
                at++;
                slice = true;
                part++;
                if (part > 2) {
                    throw error("too many ':' in a slice");
                }
                continue;
            }
            parts[part] = expression();
        }
        expect(Kind.OP, "]");
        if (!slice) {
            if (parts[0] == null) {
                throw error("empty subscript");
            }
            return new JinjaExpr.Item(target, parts[0]);
        }
        return new JinjaExpr.Slice(target, parts[0], parts[1], parts[2]);
    }

    private JinjaExpr call(JinjaExpr fn) {
        List<JinjaExpr> args = new ArrayList<>();
        Map<String, JinjaExpr> kwargs = new LinkedHashMap<>();
        parseArgs(args, kwargs);
        return new JinjaExpr.Call(fn, args, kwargs);
    }

    /** Arguments after an opening parenthesis, through the closing one. */
    private void parseArgs(List<JinjaExpr> args, Map<String, JinjaExpr> kwargs) {
        while (!peek().isOp(")")) {
            if (peek().kind() == Kind.NAME && tokens.get(at + 1).isOp("=")) {
                String k = next().text();
                at++;
                kwargs.put(k, expression());
            } else {
                if (!kwargs.isEmpty()) {
                    throw error("positional argument after a keyword argument");
                }
                args.add(expression());
            }
            if (!peek().isOp(",")) {
                break;
            }
            at++;
        }
        expect(Kind.OP, ")");
    }

    private JinjaExpr filters(JinjaExpr e) {
        while (true) {
            if (peek().isOp("|")) {
                at++;
                String name = name();
                List<JinjaExpr> args = new ArrayList<>();
                Map<String, JinjaExpr> kwargs = new LinkedHashMap<>();
                if (peek().isOp("(")) {
                    at++;
                    parseArgs(args, kwargs);
                }
                e = new JinjaExpr.Filter(e, name, args, kwargs);
            } else if (peek().isName("is")) {
                at++;
                boolean negated = false;
                if (peek().isName("not")) {
                    at++;
                    negated = true;
                }
                String name = name();
                List<JinjaExpr> args = new ArrayList<>();
                if (peek().isOp("(")) {
                    at++;
                    parseArgs(args, new LinkedHashMap<>());
                } else if (startsPrimary(peek()) && !peek().isName("and") && !peek().isName("or")
                        && !peek().isName("else") && !peek().isName("if") && !peek().isName("is")
                        && !peek().isName("not") && !peek().isName("in")) {
                    args.add(postfix(primary()));
                }
                e = new JinjaExpr.Test(e, name, args, negated);
            } else {
                return e;
            }
        }
    }

    private static boolean startsPrimary(JinjaToken t) {
        return switch (t.kind()) {
            case STRING, INT, FLOAT, NAME -> true;
            case OP -> t.text().equals("[") || t.text().equals("{");
            default -> false;
        };
    }

    // ---- token helpers

    private JinjaToken peek() {
        return tokens.get(at);
    }

    private JinjaToken next() {
        JinjaToken t = tokens.get(at);
        if (t.kind() != Kind.EOF) {
            at++;
        }
        return t;
    }

    private void expect(Kind kind, String text) {
        JinjaToken t = next();
        if (t.kind() != kind || !t.text().equals(text)) {
            throw error("expected '" + text + "', found '" + (t.kind() == Kind.EOF ? "end of template" : t.text()) + "'");
        }
    }

    private TemplateException error(String message) {
        return new TemplateException("template line " + peekLine() + ": " + message);
    }

    private int peekLine() {
        return tokens.get(Math.min(at, tokens.size() - 1)).line();
    }
}

package dev.seriatim.text.chat;

import java.util.List;
import java.util.Map;

/** Expressions of the supported Jinja subset. */
sealed interface JinjaExpr {

    record Literal(Object value) implements JinjaExpr {}

    record Name(String name) implements JinjaExpr {}

    record Attr(JinjaExpr target, String name) implements JinjaExpr {}

    record Item(JinjaExpr target, JinjaExpr key) implements JinjaExpr {}

    /** {@code target[start:stop:step]}; absent parts are null. */
    record Slice(JinjaExpr target, JinjaExpr start, JinjaExpr stop, JinjaExpr step) implements JinjaExpr {}

    record Call(JinjaExpr function, List<JinjaExpr> args, Map<String, JinjaExpr> kwargs) implements JinjaExpr {}

    record Filter(JinjaExpr value, String name, List<JinjaExpr> args, Map<String, JinjaExpr> kwargs) implements JinjaExpr {}

    record Test(JinjaExpr value, String name, List<JinjaExpr> args, boolean negated) implements JinjaExpr {}

    /** {@code not}, unary {@code -} and {@code +}. */
    record Unary(String op, JinjaExpr operand) implements JinjaExpr {}

    /** Arithmetic, comparison, {@code and}/{@code or}, {@code in}/{@code not in}, {@code ~}. */
    record Binary(String op, JinjaExpr left, JinjaExpr right) implements JinjaExpr {}

    /** {@code then if condition else otherwise}; otherwise is null when omitted (gives undefined). */
    record Conditional(JinjaExpr then, JinjaExpr condition, JinjaExpr otherwise) implements JinjaExpr {}

    record ListLiteral(List<JinjaExpr> items) implements JinjaExpr {}

    record DictLiteral(List<JinjaExpr> keys, List<JinjaExpr> values) implements JinjaExpr {}
}

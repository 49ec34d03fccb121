package dev.seriatim.text.chat;

import java.util.List;

/** Statements of the supported Jinja subset; {@code line} is the template line, for errors. */
sealed interface JinjaNode {

    record Text(String text) implements JinjaNode {}

    record Output(JinjaExpr value, int line) implements JinjaNode {}

    /** if / elif... / else: {@code bodies.get(i)} runs for the first true {@code conditions.get(i)}. */
    record If(List<JinjaExpr> conditions, List<List<JinjaNode>> bodies, List<JinjaNode> otherwise, int line)
            implements JinjaNode {}

    /** {@code for targets in iterable [if filter]} ... {@code else} (runs when nothing was iterated). */
    record For(List<String> targets, JinjaExpr iterable, JinjaExpr filter, List<JinjaNode> body,
            List<JinjaNode> otherwise, int line) implements JinjaNode {}

    /** {@code set name = value}, {@code set a, b = value} or {@code set ns.attr = value}. */
    record Set(List<String> names, String attribute, JinjaExpr value, int line) implements JinjaNode {}

    /** {@code set name} ... {@code endset}: the rendered body. */
    record SetBlock(String name, List<JinjaNode> body, int line) implements JinjaNode {}

    record Macro(String name, List<String> params, List<JinjaExpr> defaults, List<JinjaNode> body, int line)
            implements JinjaNode {}

    /** {@code do expr}: evaluate for its effect (e.g. {@code list.append}). */
    record Do(JinjaExpr value, int line) implements JinjaNode {}

    record Break(int line) implements JinjaNode {}

    record Continue(int line) implements JinjaNode {}
}

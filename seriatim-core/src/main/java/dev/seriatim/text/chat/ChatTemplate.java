package dev.seriatim.text.chat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's Jinja chat template, parsed once and rendered with the variables Hugging Face passes:
 * {@code messages}, {@code add_generation_prompt}, {@code bos_token}, {@code eos_token},
 * {@code tools} (and any extra ones, e.g. {@code enable_thinking}).
 *
 * <p>The interpreter is Seriatim's own, for the Jinja subset real chat templates use
 * (statements if/for/set/macro/break/continue, whitespace control with trim_blocks and
 * lstrip_blocks, slicing, namespaces, loop variables, the common filters, tests and string
 * methods, {@code raise_exception}). Anything outside it, or a template error, is a
 * {@link TemplateException}; rendering never returns partial or silently altered text.
 *
 * <p>Messages are maps with string keys and JSON-like values (String, Boolean, Long/Integer,
 * Double, List, Map, null).
 */
public final class ChatTemplate {

    private final String source;
    private final List<JinjaNode> nodes;

    private ChatTemplate(String source, List<JinjaNode> nodes) {
        this.source = source;
        this.nodes = nodes;
    }

    /** Parses {@code source}; a syntax error or unsupported tag is a {@link TemplateException}. */
    public static ChatTemplate parse(String source) {
        Objects.requireNonNull(source, "source");
        return new ChatTemplate(source, JinjaParser.parse(source));
    }

    public String source() {
        return source;
    }

    /**
     * Renders the conversation.
     *
     * @param messages            each with at least {@code role} and {@code content}
     * @param addGenerationPrompt whether to end with the start of an assistant turn
     * @param variables           bos_token, eos_token, tools and the like; may be empty
     */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
        Map<String, Object> context = new LinkedHashMap<>();
        variables.forEach((k, v) -> context.put(k, normalize(v)));
        context.put("messages", normalize(messages));
        context.put("add_generation_prompt", addGenerationPrompt);
        return new JinjaInterpreter().render(nodes, context);
    }

    /** Copies caller values into the interpreter's model (Long for integers, mutable lists). */
    private static Object normalize(Object v) {
        return switch (v) {
            case null -> null;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Float f -> (double) f;
            case Long l -> l;
            case Double d -> d;
            case Boolean b -> b;
            case String s -> s;
            case CharSequence cs -> cs.toString();
            case List<?> l -> {
                List<Object> out = new java.util.ArrayList<>(l.size());
                l.forEach(x -> out.add(normalize(x)));
                yield out;
            }
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put(String.valueOf(k), normalize(x)));
                yield out;
            }
            default -> throw new IllegalArgumentException("chat template variables cannot hold " + v.getClass().getName());
        };
    }
}

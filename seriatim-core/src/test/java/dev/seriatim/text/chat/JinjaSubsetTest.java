package dev.seriatim.text.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The Jinja constructs chat templates rely on, one at a time, with Python Jinja2's results. */
class JinjaSubsetTest {

    private static String render(String template, Map<String, ?> vars) {
        return ChatTemplate.parse(template).render(List.of(), false, vars);
    }

    private static String render(String template) {
        return render(template, Map.of());
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "{{ [1,2,3,4][1:3] }} => [2, 3]",
        "{{ [1,2,3,4][::-1] }} => [4, 3, 2, 1]",
        "{{ 'hello'[-3:] }} => llo",
        "{{ '\\n\\nx\\n'.lstrip('\\n') }} => `x\n`",
        "{{ 'xxhixx'.strip('x') }} => hi",
        "{{ 'a</think>b'.split('</think>')[-1] }} => b",
        "{{ 'a b  c'.split() }} => ['a', 'b', 'c']",
        "{{ 7 // 2 }} {{ 7 % 3 }} {{ 7 / 2 }} {{ 2 ** 3 }} => 3 1 3.5 8",
        "{{ 'a' ~ 1 ~ none }} => a1None",
        "{{ true }} {{ none }} {{ 1.0 }} => True None 1.0",
        "{{ x is defined }} {{ x is not defined }} => False True",
        "{{ 'ab' in 'cabd' }} {{ 3 not in [1, 2] }} => True True",
        "{{ [3, 1] | length }} {{ 'héllo' | length }} => 2 5",
        "{{ {'a': [1, 'x'], 'b': none} | tojson }} => {\"a\": [1, \"x\"], \"b\": null}",
        "{{ {'a': 1} | tojson(indent=2) }} => `{\n  \"a\": 1\n}`",
        "{{ '  pad  ' | trim }} => pad",
        "{{ x | default('dflt') }} => dflt",
        "{{ 'yes' if 1 > 2 else 'no' }} => no",
        "{% for i in range(5) %}{% if i == 1 %}{% continue %}{% endif %}{% if i == 3 %}{% break %}{% endif %}{{ i }}{% endfor %} => 02",
        "{% for i in [1,2,3] %}{{ loop.index }}{{ loop.first }}{{ loop.last }},{% endfor %} => 1TrueFalse,2FalseFalse,3FalseTrue,",
        "{% for i in [] %}x{% else %}empty{% endfor %} => empty",
        "{% for x in [1,2,3,4] if x is even %}{{ x }}{% endfor %} => 24",
        "{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }} => 1",
        "{% set ns = namespace(x=1) %}{% for i in [1] %}{% set ns.x = 2 %}{% endfor %}{{ ns.x }} => 2",
        "{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %} => a=1;b=2;",
        "{% macro greet(name, punct='!') %}hi {{ name }}{{ punct }}{% endmacro %}{{ greet('bo') }} => hi bo!",
        "{% set s %}in{{ 1 }}{% endset %}[{{ s }}] => [in1]",
        "a  {%- if true %} b {% endif -%}  c => a b c",
        "{{ [{'r': 'u'}, {'r': 'a'}] | selectattr('r', 'equalto', 'u') | list | length }} => 1",
        "{{ ['a', 'b'] | join(', ') }} => a, b",
        "{{ 'Hello World' | lower }} {{ 'x' | upper }} => hello world X",
        "{{ ('a', 'b') }} => ['a', 'b']",
    })
    void evaluatesLikeJinja2(String template, String expected) {
        assertThat(render(template)).isEqualTo(expected);
    }

    @Test
    void trimBlocksAndLstripBlocksAsHuggingFaceSetsThem() {
        String t = "<ul>\n    {% for x in xs %}\n    <li>{{ x }}</li>\n    {% endfor %}\n</ul>";
        assertThat(render(t, Map.of("xs", List.of("a", "b")))).isEqualTo("<ul>\n    <li>a</li>\n    <li>b</li>\n</ul>");
        assertThat(render("  {%+ if true %}x{% endif %}")).isEqualTo("  x");
        assertThat(render("a\n{# note #}\nb")).isEqualTo("a\nb");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "{{ raise_exception('bad roles') }} => the template raised an error: bad roles",
        "{{ x | nosuchfilter }} => filter 'nosuchfilter' is not supported",
        "{% include 'x' %} => the 'include' tag is not supported",
        "{% if true %}x => template ended inside a block",
        "{{ 1 + }} => expected an expression",
        "{{ 'a' + 1 }} => unsupported operand types for +: string and integer",
        "{{ x.y }} => 'x' is undefined",
        "line1\\n{{ 1 < 'a' }} => template line 2: cannot compare integer with string",
        "{% endfor %} => unexpected 'endfor' tag",
        "{{ 'x'.nosuch() }} => string has no method 'nosuch'",
    })
    void failsClearly(String template, String message) {
        assertThatThrownBy(() -> render(template.replace("\\n", "\n")))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining(message);
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, 300).mapToObj(i -> 0xC4A7L + i);
    }

    /** Random mutations of a real template either render or fail with TemplateException: never another exception. */
    @ParameterizedTest
    @MethodSource("seeds")
    void mutatedTemplatesFailCleanly(long seed) {
        String base = ChatTemplateConformanceTest.read("/chat/templates/Qwen-Qwen3.jinja");
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(base);
        String alphabet = "{}%#-+()[]'\".:|,=<>!~ \nabcxyz019";
        for (int k = 1 + r.nextInt(4); k > 0; k--) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(3)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                default -> b.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
            }
        }
        List<Map<String, Object>> messages = List.of(Map.of("role", "user", "content", "hi"),
                Map.of("role", "assistant", "content", "<think>x</think>yo"));
        try {
            ChatTemplate.parse(b.toString()).render(messages, true, Map.of());
        } catch (TemplateException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}

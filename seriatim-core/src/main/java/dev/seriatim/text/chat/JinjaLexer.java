package dev.seriatim.text.chat;

import dev.seriatim.text.chat.JinjaToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a template into tokens, applying Jinja's whitespace control the way Hugging Face
 * renders chat templates ({@code trim_blocks} and {@code lstrip_blocks} on): a block or comment
 * tag drops the spaces before it on its own line and the newline right after it; {@code -} on a
 * delimiter strips all whitespace on that side; {@code +} after {@code {%} keeps the line's
 * leading spaces.
 */
final class JinjaLexer {

    private static final String[] OPS = {"==", "!=", "<=", ">=", "//", "**", "+", "-", "*", "/", "%", "~", "|", ".",
        ",", ":", "(", ")", "[", "]", "{", "}", "=", "<", ">"};

    private final String src;
    private final List<JinjaToken> out = new ArrayList<>();
    private int pos;
    private int line = 1;

    private JinjaLexer(String src) {
        this.src = src;
    }

    static List<JinjaToken> tokenize(String src) {
        JinjaLexer lx = new JinjaLexer(src);
        lx.run();
        return lx.out;
    }

    private void run() {
        StringBuilder text = new StringBuilder();
        boolean stripLeading = false;
        boolean trimNewline = false;
        while (pos < src.length()) {
            int open = nextTag(pos);
            String chunk = src.substring(pos, open < 0 ? src.length() : open);
            if (stripLeading) {
                chunk = chunk.stripLeading();
            } else if (trimNewline) {
                if (chunk.startsWith("\r\n")) {
                    chunk = chunk.substring(2);
                } else if (chunk.startsWith("\n")) {
                    chunk = chunk.substring(1);
                }
            }
            stripLeading = false;
            trimNewline = false;
            if (open < 0) {
                text.append(chunk);
                countLines(src.length());
                break;
            }
            char kind = src.charAt(open + 1);
            char modifier = open + 2 < src.length() ? src.charAt(open + 2) : ' ';
            if (modifier == '-') {
                chunk = chunk.stripTrailing();
            } else if (kind != '{' && modifier != '+') {
                chunk = lstripBlock(chunk, text, open);
            }
            text.append(chunk);
            countLines(open);
            flushText(text);
            pos = open + 2 + (modifier == '-' || modifier == '+' ? 1 : 0);
            if (kind == '#') {
                int close = src.indexOf("#}", pos);
                if (close < 0) {
                    throw new TemplateException("template line " + line + ": comment is not closed");
                }
                stripLeading = close > pos && src.charAt(close - 1) == '-';
                trimNewline = true;
                countLines(close + 2);
                pos = close + 2;
                continue;
            }
            out.add(new JinjaToken(kind == '{' ? Kind.VAR_BEGIN : Kind.BLOCK_BEGIN, kind == '{' ? "{{" : "{%", line));
            boolean[] strip = new boolean[1];
            expression(kind == '{' ? "}}" : "%}", strip);
            stripLeading = strip[0];
            trimNewline = kind == '%';
        }
        flushText(text);
        out.add(new JinjaToken(Kind.EOF, "", line));
    }

    /** lstrip_blocks: drop spaces and tabs between the start of the line and a block tag. */
    private String lstripBlock(String chunk, StringBuilder before, int open) {
        int k = open;
        while (k > 0 && (src.charAt(k - 1) == ' ' || src.charAt(k - 1) == '\t')) {
            k--;
        }
        if (k > 0 && src.charAt(k - 1) != '\n') {
            return chunk;
        }
        int i = chunk.length();
        while (i > 0 && (chunk.charAt(i - 1) == ' ' || chunk.charAt(i - 1) == '\t')) {
            i--;
        }
        return chunk.substring(0, i);
    }

    private int nextTag(int from) {
        int i = from;
        while (true) {
            i = src.indexOf('{', i);
            if (i < 0 || i + 1 >= src.length()) {
                return -1;
            }
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
            i++;
        }
    }

    private void flushText(StringBuilder text) {
        if (!text.isEmpty()) {
            out.add(new JinjaToken(Kind.TEXT, text.toString(), line));
            text.setLength(0);
        }
    }

    private void countLines(int upTo) {
        for (int i = pos; i < upTo && i < src.length(); i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
    }

    /** Expression tokens up to the closing delimiter; sets strip[0] if it is {@code -}-marked. */
    private void expression(String close, boolean[] strip) {
        while (true) {
            while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
                if (src.charAt(pos) == '\n') {
                    line++;
                }
                pos++;
            }
            if (pos >= src.length()) {
                throw new TemplateException("template line " + line + ": tag is not closed with " + close);
            }
            if (src.startsWith("-" + close, pos)) {
                strip[0] = true;
                pos += 3;
                emitEnd(close);
                return;
            }
            if (src.startsWith(close, pos)) {
                pos += 2;
                emitEnd(close);
                return;
            }
            char c = src.charAt(pos);
            if (c == '\'' || c == '"') {
                string(c);
            } else if (Character.isDigit(c)) {
                number();
            } else if (Character.isLetter(c) || c == '_') {
                int s = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                out.add(new JinjaToken(Kind.NAME, src.substring(s, pos), line));
            } else {
                String op = null;
                for (String o : OPS) {
                    if (src.startsWith(o, pos)) {
                        op = o;
                        break;
                    }
                }
                if (op == null) {
                    throw new TemplateException("template line " + line + ": unexpected character '" + c + "'");
                }
                pos += op.length();
                out.add(new JinjaToken(Kind.OP, op, line));
            }
        }
    }

    private void emitEnd(String close) {
        out.add(new JinjaToken(close.equals("}}") ? Kind.VAR_END : Kind.BLOCK_END, close, line));
    }

    private void number() {
        int s = pos;
        while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
        boolean isFloat = false;
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
            isFloat = true;
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                isFloat = true;
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        out.add(new JinjaToken(isFloat ? Kind.FLOAT : Kind.INT, src.substring(s, pos).replace("_", ""), line));
    }

    private void string(char quote) {
        StringBuilder b = new StringBuilder();
        int startLine = line;
        pos++;
        while (true) {
            if (pos >= src.length()) {
                throw new TemplateException("template line " + startLine + ": string literal is not closed");
            }
            char c = src.charAt(pos++);
            if (c == quote) {
                break;
            }
            if (c == '\n') {
                line++;
            }
            if (c != '\\' || pos >= src.length()) {
                b.append(c);
                continue;
            }
            char e = src.charAt(pos++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case '0' -> b.append('\0');
                case '\\', '\'', '"' -> b.append(e);
                case '\n' -> line++;
                case 'u', 'x' -> {
                    int n = e == 'u' ? 4 : 2;
                    if (pos + n > src.length()) {
                        throw new TemplateException("template line " + line + ": bad \\" + e + " escape");
                    }
                    try {
                        b.append((char) Integer.parseInt(src.substring(pos, pos + n), 16));
                    } catch (NumberFormatException ex) {
                        throw new TemplateException("template line " + line + ": bad \\" + e + " escape");
                    }
                    pos += n;
                }
                default -> b.append('\\').append(e);
            }
        }
        out.add(new JinjaToken(Kind.STRING, b.toString(), startLine));
    }
}

package io.kubenetlab.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.PathNotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * kubectl's {@code -o jsonpath=TEMPLATE}: literal text with {@code {expression}} parts, where an
 * expression is a JSONPath relative to the object ({@code .items[*].status.podIP}) or a quoted
 * string ({@code {"\n"}}); several results print space-separated. Also {@code {range EXPR}...{end}}.
 * Expressions are evaluated by Jayway JsonPath.
 */
public final class JsonPathTemplate {
    private static final Configuration CONF = Configuration.defaultConfiguration()
            .addOptions(Option.SUPPRESS_EXCEPTIONS, Option.ALWAYS_RETURN_LIST);
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonPathTemplate() {}

    public static String render(String template, Object root) {
        List<String> parts = split(template);
        StringBuilder out = new StringBuilder();
        render(parts, 0, parts.size(), root, out);
        return out.toString();
    }

    /** Alternating literal text and "{...}" expressions. */
    static List<String> split(String template) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                parts.add(template.substring(i));
                break;
            }
            if (open > i) parts.add(template.substring(i, open));
            int close = findClose(template, open);
            if (close < 0) throw new IllegalArgumentException("unclosed action in jsonpath template: " + template);
            parts.add(template.substring(open, close + 1));
            i = close + 1;
        }
        return parts;
    }

    private static int findClose(String t, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < t.length(); i++) {
            char c = t.charAt(i);
            if (quoted && c == '\\') i++; // an escaped character, possibly a quote or a backslash
            else if (c == '"') quoted = !quoted;
            else if (!quoted && c == '}') return i;
        }
        return -1;
    }

    private static void render(List<String> parts, int from, int to, Object current, StringBuilder out) {
        for (int i = from; i < to; i++) {
            String p = parts.get(i);
            if (!p.startsWith("{")) {
                out.append(p);
                continue;
            }
            String expr = p.substring(1, p.length() - 1).trim();
            if (expr.startsWith("range ")) {
                int end = matchingEnd(parts, i, to);
                for (Object item : evaluate(expr.substring(6).trim(), current)) render(parts, i + 1, end, item, out);
                i = end;
            } else if (expr.equals("end")) {
                throw new IllegalArgumentException("{end} without {range}");
            } else if (expr.startsWith("\"") && expr.endsWith("\"") && expr.length() >= 2) {
                out.append(unescape(expr.substring(1, expr.length() - 1)));
            } else {
                List<String> values = new ArrayList<>();
                for (Object v : evaluate(expr, current)) values.add(text(v));
                out.append(String.join(" ", values));
            }
        }
    }

    private static int matchingEnd(List<String> parts, int rangeAt, int to) {
        int depth = 0;
        for (int j = rangeAt; j < to; j++) {
            String e = parts.get(j).startsWith("{") ? parts.get(j).substring(1, parts.get(j).length() - 1).trim() : "";
            if (e.startsWith("range ")) depth++;
            if (e.equals("end") && --depth == 0) return j;
        }
        throw new IllegalArgumentException("{range} without {end}");
    }

    static List<Object> evaluate(String expr, Object current) {
        String path = expr.equals("@") || expr.equals(".") ? "$" : expr.startsWith("@") ? "$" + expr.substring(1)
                : expr.startsWith("$") ? expr : "$" + (expr.startsWith(".") || expr.startsWith("[") ? "" : ".") + expr;
        Object result;
        try {
            result = JsonPath.using(CONF).parse(current).read(path);
        } catch (PathNotFoundException e) {
            return List.of();
        }
        List<Object> out = new ArrayList<>();
        if (result instanceof Collection<?> c) out.addAll(c);
        else if (result != null) out.add(result);
        return out;
    }

    private static String text(Object v) {
        if (v instanceof Map || v instanceof List) {
            try {
                return JSON.writeValueAsString(v);
            } catch (Exception e) {
                return String.valueOf(v);
            }
        }
        return String.valueOf(v);
    }

    /** One pass, like Go's strconv.Unquote: an escaped backslash never starts another escape. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '"', '\\' -> out.append(n);
                default -> out.append('\\').append(n);
            }
        }
        return out.toString();
    }
}

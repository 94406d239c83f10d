package io.kubenetlab.api.patch;

import java.util.ArrayList;
import java.util.List;

/** An RFC 6901 JSON Pointer, split into unescaped reference tokens; the empty pointer is the root. */
record Pointer(String text, List<String> tokens) {

    static Pointer parse(String text) {
        if (text.isEmpty()) return new Pointer(text, List.of());
        if (text.charAt(0) != '/') {
            throw PatchException.badRequest("invalid JSON pointer \"" + text + "\": it must be empty or start with /");
        }
        List<String> tokens = new ArrayList<>();
        for (String raw : text.substring(1).split("/", -1)) tokens.add(unescape(raw, text));
        return new Pointer(text, List.copyOf(tokens));
    }

    // ~1 must become / before ~0 becomes ~, or "~01" would wrongly read as "/" (RFC 6901 section 4)
    private static String unescape(String raw, String text) {
        if (raw.indexOf('~') < 0) return raw;
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '~') {
                sb.append(c);
                continue;
            }
            char next = i + 1 < raw.length() ? raw.charAt(i + 1) : ' ';
            if (next != '0' && next != '1') {
                throw PatchException.badRequest("invalid JSON pointer \"" + text + "\": ~ must be followed by 0 or 1");
            }
            sb.append(next == '0' ? '~' : '/');
            i++;
        }
        return sb.toString();
    }

    boolean isRoot() { return tokens.isEmpty(); }

    String last() { return tokens.get(tokens.size() - 1); }

    Pointer parent() {
        return new Pointer(text.substring(0, text.lastIndexOf('/')), tokens.subList(0, tokens.size() - 1));
    }

    /** True when {@code other} lies strictly inside the value this pointer names. */
    boolean isProperPrefixOf(Pointer other) {
        return other.tokens.size() > tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
    }

    @Override
    public String toString() { return text; }
}

package io.kubenetlab.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.Map;

/** JSON helpers the three patch types share. */
final class Json {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    /**
     * JSON equality as RFC 6902 "test" defines it: numbers compare by value (1 equals 1.0, which
     * Jackson's IntNode/DoubleNode equals() does not), objects ignore member order.
     */
    static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) return a == b;
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) return false;
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                if (!same(e.getValue(), b.get(e.getKey()))) return false;
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) return false;
            }
            return true;
        }
        return a.equals(b);
    }

    /** A node for an error message: compact, and cut short so a huge object can't flood a Status. */
    static String show(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}

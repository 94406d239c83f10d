package io.kubenetlab.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * RFC 6902 JSON Patch. The whole patch is checked before anything is applied, so a malformed
 * document is a 400 and an operation that does not fit the object is a 422 (as the apiserver splits
 * decode errors from apply errors). Operations apply in order to one copy: all or nothing.
 */
public final class JsonPatch {
    private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]*");

    private record Operation(String op, Pointer path, Pointer from, JsonNode value) {}

    private JsonPatch() {}

    /** Returns the patched document; neither argument is changed. */
    public static JsonNode apply(JsonNode document, JsonNode patch) {
        List<Operation> operations = decode(patch);
        JsonNode doc = document.deepCopy();
        for (Operation o : operations) doc = apply(doc, o);
        return doc;
    }

    private static List<Operation> decode(JsonNode patch) {
        if (patch == null || !patch.isArray()) {
            throw PatchException.badRequest("a JSON patch must be an array of operations, not " + Json.show(patch));
        }
        List<Operation> operations = new ArrayList<>();
        for (JsonNode o : patch) {
            if (!o.isObject()) throw PatchException.badRequest("a JSON patch operation must be an object: " + Json.show(o));
            String op = text(o, "op");
            Pointer path = Pointer.parse(text(o, "path"));
            Pointer from = null;
            JsonNode value = null;
            switch (op) {
                case "add", "replace", "test" -> {
                    value = o.get("value");
                    if (value == null) throw PatchException.badRequest(op + " operation at " + path + " has no \"value\"");
                }
                case "move", "copy" -> from = Pointer.parse(text(o, "from"));
                case "remove" -> { }
                default -> throw PatchException.badRequest("Unexpected kind: " + op);
            }
            operations.add(new Operation(op, path, from, value));
        }
        return operations;
    }

    private static String text(JsonNode o, String member) {
        JsonNode v = o.get(member);
        if (v == null || !v.isTextual()) {
            throw PatchException.badRequest("JSON patch operation " + Json.show(o) + " needs a string \"" + member + "\"");
        }
        return v.textValue();
    }

    private static JsonNode apply(JsonNode doc, Operation o) {
        return switch (o.op()) {
            case "add" -> add(doc, o.path(), o.value().deepCopy(), "add");
            case "remove" -> {
                remove(doc, o.path(), "remove");
                yield doc;
            }
            case "replace" -> replace(doc, o.path(), o.value().deepCopy());
            case "move" -> {
                if (o.from().equals(o.path())) yield doc;
                if (o.from().isProperPrefixOf(o.path())) {
                    throw PatchException.invalid("move operation cannot move " + o.from() + " into its own child " + o.path());
                }
                yield add(doc, o.path(), remove(doc, o.from(), "move"), "move");
            }
            case "copy" -> add(doc, o.path(), get(doc, o.from(), "copy").deepCopy(), "copy");
            case "test" -> {
                JsonNode actual = find(doc, o.path());
                if (actual == null || !Json.same(actual, o.value())) {
                    throw PatchException.invalid("testing value " + o.path() + " failed: test failed");
                }
                yield doc;
            }
            default -> throw new IllegalStateException(o.op());
        };
    }

    private static JsonNode add(JsonNode doc, Pointer path, JsonNode value, String op) {
        if (path.isRoot()) return value;
        JsonNode parent = container(doc, path, op);
        if (parent instanceof ObjectNode object) {
            object.set(path.last(), value);
        } else {
            ArrayNode array = (ArrayNode) parent;
            // "-" names the slot after the last element; add may also insert at size (append)
            int i = "-".equals(path.last()) ? array.size() : index(path, array.size() + 1, op);
            array.insert(i, value);
        }
        return doc;
    }

    /** Removes and returns the value at {@code path}. */
    private static JsonNode remove(JsonNode doc, Pointer path, String op) {
        if (path.isRoot()) throw PatchException.invalid(op + " operation cannot remove the whole document");
        JsonNode parent = container(doc, path, op);
        if (parent instanceof ObjectNode object) {
            if (!object.has(path.last())) throw missing(op, path);
            return object.remove(path.last());
        }
        ArrayNode array = (ArrayNode) parent;
        return array.remove(index(path, array.size(), op));
    }

    private static JsonNode replace(JsonNode doc, Pointer path, JsonNode value) {
        if (path.isRoot()) return value;
        JsonNode parent = container(doc, path, "replace");
        if (parent instanceof ObjectNode object) {
            if (!object.has(path.last())) throw missing("replace", path);
            object.set(path.last(), value);
        } else {
            ArrayNode array = (ArrayNode) parent;
            array.set(index(path, array.size(), "replace"), value);
        }
        return doc;
    }

    /** The object or array that holds the last token of {@code path}. */
    private static JsonNode container(JsonNode doc, Pointer path, String op) {
        JsonNode parent = find(doc, path.parent());
        if (parent == null || !parent.isContainerNode()) throw missing(op, path);
        return parent;
    }

    private static JsonNode get(JsonNode doc, Pointer path, String op) {
        JsonNode v = find(doc, path);
        if (v == null) throw missing(op, path);
        return v;
    }

    /** The value at {@code path}, or null when there is none. */
    private static JsonNode find(JsonNode doc, Pointer path) {
        JsonNode cur = doc;
        for (String token : path.tokens()) {
            if (cur.isObject()) {
                cur = cur.get(token);
            } else if (cur.isArray() && INDEX.matcher(token).matches() && token.length() < 10) {
                cur = cur.get(Integer.parseInt(token));
            } else {
                return null;
            }
            if (cur == null) return null;
        }
        return cur;
    }

    /** The array index in the last token of {@code path}, which must be below {@code limit}. */
    private static int index(Pointer path, int limit, String op) {
        String token = path.last();
        if (!INDEX.matcher(token).matches() || token.length() >= 10 || Integer.parseInt(token) >= limit) {
            throw PatchException.invalid(op + " operation does not apply: " + path
                    + ": Unable to access invalid index: " + token);
        }
        return Integer.parseInt(token);
    }

    private static PatchException missing(String op, Pointer path) {
        return PatchException.invalid(op + " operation does not apply: doc is missing path: \"" + path + "\": missing value");
    }
}

package io.kubenetlab.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes strategic merge patch, applied as the apiserver does (apimachinery strategicpatch with
 * MergeParallelList and IgnoreUnmatchedNulls): maps merge and null deletes; lists the schema marks
 * as merging are unioned (primitives) or merged element by element on their merge key; all other
 * lists are replaced. Directives: {@code $patch} (replace, delete; merge is accepted as the
 * default), {@code $retainKeys}, {@code $setElementOrder/<list>} and
 * {@code $deleteFromPrimitiveList/<list>}.
 *
 * <p>Where upstream would copy a patch subtree verbatim into a field the object lacks, this one
 * merges it into an empty value instead, so directives and nulls never end up stored in the object.
 */
public final class StrategicMergePatch {
    static final String DIRECTIVE = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String SET_ELEMENT_ORDER = "$setElementOrder/";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

    private StrategicMergePatch() {}

    /** Returns the patched object; neither argument is changed. */
    public static ObjectNode apply(JsonNode original, JsonNode patch, PatchSchema schema) {
        if (patch == null || !patch.isObject()) {
            throw PatchException.badRequest("a strategic merge patch must be a JSON object, not " + Json.show(patch));
        }
        ObjectNode target = original instanceof ObjectNode o ? o.deepCopy() : Json.NODES.objectNode();
        return mergeObject(target, (ObjectNode) patch, schema);
    }

    /** Merges {@code patch} into {@code target}, a private copy changed in place, and returns the result. */
    private static ObjectNode mergeObject(ObjectNode target, ObjectNode patch, PatchSchema schema) {
        JsonNode directive = patch.get(DIRECTIVE);
        if (directive != null) {
            switch (directiveName(directive)) {
                case "replace" -> {
                    // the map becomes the patch; merging it into nothing strips directives and nulls
                    ObjectNode body = patch.deepCopy();
                    body.remove(DIRECTIVE);
                    return mergeObject(Json.NODES.objectNode(), body, schema);
                }
                case "delete" -> {
                    return Json.NODES.objectNode();
                }
                case "merge" -> { } // the default behaviour, spelled out
                default -> throw unknownDirective(directive, patch);
            }
        }
        retainKeys(target, patch);
        Set<String> ordered = mergeOrderedLists(target, patch, schema);
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String name = e.getKey();
            if (isDirective(name) || ordered.contains(name)) continue;
            mergeField(target, name, e.getValue(), schema.field(name));
        }
        // after the merges, so a value both added and deleted by one patch ends up deleted
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getKey().startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                deleteFromList(target, e.getKey().substring(DELETE_FROM_PRIMITIVE_LIST.length()), e.getValue());
            }
        }
        return target;
    }

    private static boolean isDirective(String name) {
        return name.equals(DIRECTIVE) || name.equals(RETAIN_KEYS)
                || name.startsWith(SET_ELEMENT_ORDER) || name.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    }

    private static void mergeField(ObjectNode target, String name, JsonNode patchValue, PatchSchema.Field field) {
        if (patchValue.isNull()) {
            target.remove(name);
            return;
        }
        JsonNode current = target.get(name);
        if (patchValue instanceof ObjectNode patchObject) {
            if (current == null && isDelete(patchObject)) return; // deleting what is not there
            ObjectNode base = current instanceof ObjectNode o ? o : Json.NODES.objectNode();
            target.set(name, mergeObject(base, patchObject, field.type()));
        } else if (patchValue instanceof ArrayNode patchList) {
            ArrayNode base = current instanceof ArrayNode a ? a : Json.NODES.arrayNode();
            target.set(name, mergeList(base, patchList, field, name));
        } else {
            target.set(name, patchValue.deepCopy());
        }
    }

    private static boolean isDelete(JsonNode element) {
        JsonNode d = element.get(DIRECTIVE);
        return d != null && "delete".equals(d.textValue());
    }

    // ---- $retainKeys -------------------------------------------------------------------------

    /** Drops every key of {@code target} the directive does not name (a union member switched, say). */
    private static void retainKeys(ObjectNode target, ObjectNode patch) {
        JsonNode keep = patch.get(RETAIN_KEYS);
        if (keep == null) return;
        if (!keep.isArray()) throw PatchException.badRequest("invalid patch format of retainKeys");
        Set<String> names = new HashSet<>();
        for (JsonNode k : keep) {
            if (!k.isTextual()) throw PatchException.badRequest("invalid patch format of retainKeys");
            names.add(k.textValue());
        }
        // a patch that sets a key it does not retain contradicts itself
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull() || isDirective(e.getKey())) continue;
            if (!names.contains(e.getKey())) throw PatchException.badRequest("invalid patch format of retainKeys");
        }
        target.retain(names);
    }

    // ---- $setElementOrder ----------------------------------------------------------------------

    /**
     * Merges each list that has a {@code $setElementOrder/<name>} and puts it in that order; server-only
     * elements keep their place relative to their neighbours. Returns the names it handled.
     */
    private static Set<String> mergeOrderedLists(ObjectNode target, ObjectNode patch, PatchSchema schema) {
        Set<String> handled = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (!e.getKey().startsWith(SET_ELEMENT_ORDER)) continue;
            String name = e.getKey().substring(SET_ELEMENT_ORDER.length());
            if (!(e.getValue() instanceof ArrayNode order)) {
                throw PatchException.badRequest("invalid patch format of setElementOrder list");
            }
            JsonNode patchList = patch.get(name);
            if (patchList != null && patchList.isNull()) continue; // the list is deleted: nothing to order
            if (patchList != null && !patchList.isArray()) {
                throw PatchException.badRequest("invalid patch format of setElementOrder list");
            }
            PatchSchema.Field field = schema.field(name);
            ArrayNode current = target.get(name) instanceof ArrayNode a ? a : null;
            if (patchList == null && current == null) continue;
            if (field.merge() && patchList != null) validateOrder((ArrayNode) patchList, order, field.mergeKey());

            ArrayNode base = current == null ? Json.NODES.arrayNode() : current;
            List<JsonNode> serverOrder = list(base);
            ArrayNode merged = patchList == null ? base : mergeList(base, (ArrayNode) patchList, field, name);
            if (field.merge()) merged = order(list(merged), list(order), serverOrder, field.mergeKey());
            target.set(name, merged);
            handled.add(name);
        }
        return handled;
    }

    /** The patch list must not contradict the order list (both list the patch's elements in one order). */
    private static void validateOrder(ArrayNode patchList, ArrayNode order, String mergeKey) {
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode item : patchList) {
            if (!(item.isObject() && item.has(DIRECTIVE))) items.add(item);
        }
        int p = 0;
        for (int s = 0; p < items.size() && s < order.size(); s++) {
            if (sameElement(items.get(p), order.get(s), mergeKey)) p++;
        }
        if (p < items.size()) {
            throw PatchException.badRequest("The order in patch list:\n" + Json.show(patchList)
                    + "\n doesn't match $setElementOrder list:\n" + Json.show(order));
        }
    }

    // ---- lists ---------------------------------------------------------------------------------

    /** Merges {@code patch} into {@code base} (a private copy) as the field's strategy says. */
    private static ArrayNode mergeList(ArrayNode base, ArrayNode patch, PatchSchema.Field field, String name) {
        if (!field.merge()) return patch.deepCopy();
        if (base.isEmpty() && patch.isEmpty()) return base;
        if (!holdsObjects(base, patch)) {
            List<JsonNode> merged = new ArrayList<>();
            for (JsonNode v : base) addIfAbsent(merged, v);
            for (JsonNode v : patch) addIfAbsent(merged, v.deepCopy());
            return order(merged, list(patch), list(base), null);
        }
        if (field.mergeKey() == null) {
            throw PatchException.invalid("cannot merge lists without merge key for " + name);
        }
        return mergeByKey(base, patch, field);
    }

    private static ArrayNode mergeByKey(ArrayNode base, ArrayNode patch, PatchSchema.Field field) {
        String key = field.mergeKey();
        List<JsonNode> server = list(base);
        List<JsonNode> plain = new ArrayList<>();
        boolean replace = false;
        for (JsonNode element : patch) {
            JsonNode directive = element.get(DIRECTIVE);
            if (directive == null) {
                plain.add(element);
                continue;
            }
            switch (directiveName(directive)) {
                case "delete" -> {
                    JsonNode value = element.get(key);
                    if (value == null) throw noMergeKey(element, key);
                    server.removeIf(s -> Json.same(s.get(key), value));
                }
                case "replace" -> replace = true; // the list becomes the patch's other elements
                case "merge" -> {
                    ObjectNode copy = (ObjectNode) element.deepCopy();
                    copy.remove(DIRECTIVE);
                    if (copy.has(key)) plain.add(copy);
                }
                default -> throw unknownDirective(directive, element);
            }
        }
        if (replace) {
            ArrayNode out = Json.NODES.arrayNode();
            for (JsonNode p : plain) out.add(mergeObject(Json.NODES.objectNode(), (ObjectNode) p, field.type()));
            return out;
        }
        List<JsonNode> serverOrder = List.copyOf(server);
        List<JsonNode> merged = new ArrayList<>(server);
        for (JsonNode p : plain) {
            if (!p.has(key)) throw noMergeKey(p, key);
            int i = indexOf(merged, p, key);
            if (i >= 0) {
                merged.set(i, mergeObject((ObjectNode) merged.get(i), (ObjectNode) p, field.type()));
            } else {
                merged.add(mergeObject(Json.NODES.objectNode(), (ObjectNode) p, field.type()));
            }
        }
        return order(merged, plain, serverOrder, key);
    }

    /**
     * Upstream's ordering rule: elements named in {@code patchOrder} come in that order, the others
     * in their server order, and a server element goes before a patch element only when both are
     * in the server list and it came first there. So an element the server lacks, sent without
     * {@code $setElementOrder}, lands at the front (as upstream does).
     */
    private static ArrayNode order(List<JsonNode> merged, List<JsonNode> patchOrder, List<JsonNode> serverOrder,
                                   String key) {
        List<JsonNode> fromPatch = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        for (JsonNode m : merged) (indexOf(patchOrder, m, key) >= 0 ? fromPatch : serverOnly).add(m);
        fromPatch.sort(Comparator.comparingInt(m -> indexOf(patchOrder, m, key)));
        serverOnly.sort(Comparator.comparingInt(m -> rank(serverOrder, m, key)));

        ArrayNode out = Json.NODES.arrayNode();
        int i = 0;
        int j = 0;
        while (i < serverOnly.size() || j < fromPatch.size()) {
            boolean takeServer;
            if (j >= fromPatch.size()) {
                takeServer = true;
            } else if (i >= serverOnly.size()) {
                takeServer = false;
            } else {
                int left = indexOf(serverOrder, serverOnly.get(i), key);
                int right = indexOf(serverOrder, fromPatch.get(j), key);
                takeServer = left >= 0 && right >= 0 && left < right;
            }
            out.add(takeServer ? serverOnly.get(i++) : fromPatch.get(j++));
        }
        return out;
    }

    private static int rank(List<JsonNode> order, JsonNode element, String key) {
        int i = indexOf(order, element, key);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    /** Position of {@code element} in {@code list}, by merge key (maps) or by value (primitives). */
    private static int indexOf(List<JsonNode> list, JsonNode element, String key) {
        for (int i = 0; i < list.size(); i++) {
            if (sameElement(list.get(i), element, key)) return i;
        }
        return -1;
    }

    private static boolean sameElement(JsonNode a, JsonNode b, String key) {
        if (key == null) return Json.same(a, b);
        JsonNode ka = a.get(key);
        JsonNode kb = b.get(key);
        return ka != null && kb != null && Json.same(ka, kb);
    }

    private static void addIfAbsent(List<JsonNode> list, JsonNode v) {
        if (indexOf(list, v, null) < 0) list.add(v);
    }

    /** Whether the lists hold maps (true) or primitives (false); a mix cannot be merged. */
    private static boolean holdsObjects(ArrayNode base, ArrayNode patch) {
        Boolean objects = null;
        for (ArrayNode l : List.of(base, patch)) {
            for (JsonNode v : l) {
                if (v.isArray()) throw PatchException.invalid("lists of lists are not supported");
                if (objects == null) {
                    objects = v.isObject();
                } else if (objects != v.isObject()) {
                    throw PatchException.invalid("list element types are not identical: "
                            + Json.show(base) + " " + Json.show(patch));
                }
            }
        }
        return Boolean.TRUE.equals(objects);
    }

    private static void deleteFromList(ObjectNode target, String name, JsonNode toDelete) {
        if (!toDelete.isArray()) throw PatchException.badRequest("invalid patch format of primitive list");
        if (!(target.get(name) instanceof ArrayNode current)) return;
        List<JsonNode> deletions = list((ArrayNode) toDelete);
        ArrayNode kept = Json.NODES.arrayNode();
        for (JsonNode v : current) {
            if (indexOf(deletions, v, null) < 0) kept.add(v);
        }
        target.set(name, kept);
    }

    private static List<JsonNode> list(ArrayNode array) {
        List<JsonNode> out = new ArrayList<>(array.size());
        array.forEach(out::add);
        return out;
    }

    private static String directiveName(JsonNode directive) {
        return directive.isTextual() ? directive.textValue() : Json.show(directive);
    }

    private static PatchException unknownDirective(JsonNode directive, JsonNode in) {
        return PatchException.invalid("unknown patch type: " + directiveName(directive) + " in map: " + Json.show(in));
    }

    private static PatchException noMergeKey(JsonNode element, String key) {
        return PatchException.invalid("map: " + Json.show(element) + " does not contain declared merge key: " + key);
    }
}

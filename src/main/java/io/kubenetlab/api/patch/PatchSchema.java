package io.kubenetlab.api.patch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The strategic-merge metadata of one object type, as a tree: each field says whether it is a
 * merging list (upstream struct tag {@code patchStrategy:"merge"}), its {@code patchMergeKey}, and
 * the schema of the object (or list element) below it. A type is reused wherever it appears, so the
 * one PodSpec node serves a Pod's {@code spec} and a Deployment's {@code spec.template.spec}.
 *
 * <p>Fields not listed have no metadata: maps merge, lists are replaced whole. {@code retainKeys}
 * strategies are left out on purpose: they only steer how a client <em>creates</em> a patch; the
 * server honours the {@code $retainKeys} directive wherever the patch carries it.
 */
public final class PatchSchema {
    /** No metadata at all: the schema for types we do not know. */
    public static final PatchSchema EMPTY = new PatchSchema(Map.of());

    /**
     * What one field declares.
     *
     * @param merge    the field is a list that merges (primitives are unioned, maps merged by key)
     * @param mergeKey for a merging list of maps, the member that identifies an element; else null
     * @param type     the schema of the field's object, or of its list elements
     */
    public record Field(boolean merge, String mergeKey, PatchSchema type) {
        static final Field NONE = new Field(false, null, EMPTY);
    }

    /** One named field, to build schemas with {@link #of}. */
    public record Entry(String name, Field field) {}

    private final Map<String, Field> fields;

    private PatchSchema(Map<String, Field> fields) {
        this.fields = fields;
    }

    public static PatchSchema of(Entry... entries) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (fields.put(e.name(), e.field()) != null) throw new IllegalArgumentException("duplicate field " + e.name());
        }
        return new PatchSchema(Map.copyOf(fields));
    }

    /** A struct field without a strategy of its own, whose type has metadata below it. */
    public static Entry object(String name, PatchSchema type) {
        return new Entry(name, new Field(false, null, type));
    }

    /** A list of maps merged element by element on {@code mergeKey}. */
    public static Entry mergeByKey(String name, String mergeKey, PatchSchema elementType) {
        return new Entry(name, new Field(true, mergeKey, elementType));
    }

    public static Entry mergeByKey(String name, String mergeKey) {
        return mergeByKey(name, mergeKey, EMPTY);
    }

    /** A list of primitives merged as a set (finalizers, podCIDRs). */
    public static Entry mergePrimitives(String name) {
        return new Entry(name, new Field(true, null, EMPTY));
    }

    /** The field's metadata; {@link Field#NONE} when it declares none. */
    public Field field(String name) {
        return fields.getOrDefault(name, Field.NONE);
    }
}

package io.kubenetlab.api.patch;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/**
 * The PATCH verb's body handling: picks the patch type from the request's Content-Type and applies
 * it to a copy of the stored object.
 *
 * <p>Strategic merge patch needs the type's merge keys; for a type without built-in metadata
 * ({@link KubeSchemas#lookup} empty, e.g. a CRD) it runs with {@link PatchSchema#EMPTY}: maps merge,
 * null deletes, every list is replaced, which is exactly RFC 7386 merge patch for a patch without
 * {@code $} directives (the apiserver instead refuses SMP for CRDs with 415; being lenient costs
 * nothing here and kubectl sends merge patches for CRDs anyway).
 */
public final class Patches {
    public static final String JSON_PATCH = "application/json-patch+json";
    public static final String MERGE_PATCH = "application/merge-patch+json";
    public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    public static final String APPLY_PATCH = "application/apply-patch+yaml";

    /** The apiserver's wording, word for word: clients and tests match on it. */
    static final String UNKNOWN_FORMAT = "the body of the request was in an unknown format - accepted media types include: "
            + JSON_PATCH + ", " + MERGE_PATCH + ", " + APPLY_PATCH + ", " + STRATEGIC_MERGE_PATCH;

    private Patches() {}

    /**
     * Applies {@code patch} to {@code original} and returns the new object; neither argument changes.
     *
     * @param contentType the request's Content-Type; parameters such as {@code ; charset=utf-8} are ignored
     * @param apiVersion  the object's apiVersion ({@code v1}, {@code apps/v1}, ...), to find its merge keys
     * @param kind        the object's kind ({@code Pod}, ...)
     * @throws PatchException 415 for a media type we do not take, 400 for a malformed patch,
     *                        422 for a patch that does not apply to this object
     */
    public static JsonNode apply(String contentType, JsonNode original, JsonNode patch, String apiVersion, String kind)
            throws PatchException {
        JsonNode result = switch (mediaType(contentType)) {
            case JSON_PATCH -> JsonPatch.apply(original, patch);
            case MERGE_PATCH -> {
                // a merge patch that is not an object would replace the whole object with it
                if (patch == null || !patch.isObject()) throw PatchException.badRequest("Invalid JSON Patch");
                yield MergePatch.apply(original, patch);
            }
            case STRATEGIC_MERGE_PATCH -> StrategicMergePatch.apply(original, patch,
                    KubeSchemas.lookup(apiVersion, kind).orElse(PatchSchema.EMPTY));
            case APPLY_PATCH -> throw PatchException.unsupportedMediaType(
                    "server-side apply (" + APPLY_PATCH + ") is not supported by this server: "
                            + "use client-side apply (kubectl apply without --server-side)");
            default -> throw PatchException.unsupportedMediaType(UNKNOWN_FORMAT);
        };
        if (!result.isObject()) {
            throw PatchException.invalid("the patched document is not a JSON object: " + Json.show(result));
        }
        return result;
    }

    /** {@code "Application/JSON-Patch+JSON; charset=utf-8"} -> {@code "application/json-patch+json"}. */
    static String mediaType(String contentType) {
        if (contentType == null) return "";
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }
}

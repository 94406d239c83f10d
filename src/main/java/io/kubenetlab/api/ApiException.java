package io.kubenetlab.api;

import java.util.List;

/**
 * An error the API answers with a {@code Status} object, worded as the Kubernetes API server words it,
 * so kubectl prints it as it would for a real cluster ("Error from server (NotFound): ...").
 */
public final class ApiException extends RuntimeException {
    /** One invalid field: {@code reason} is FieldValueInvalid, FieldValueRequired, FieldValueNotSupported... */
    public record Cause(String reason, String message, String field) {}

    private final int code;
    private final String reason;
    private final String kind;
    private final String name;
    private final String group;
    private final List<Cause> causes;

    public ApiException(int code, String reason, String message, String group, String kind, String name, List<Cause> causes) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.kind = kind;
        this.name = name;
        this.group = group;
        this.causes = List.copyOf(causes);
    }

    public static ApiException notFound(ResourceType t, String name) {
        return new ApiException(404, "NotFound", t.qualified() + " \"" + name + "\" not found", t.group(), t.resource(), name, List.of());
    }

    public static ApiException alreadyExists(ResourceType t, String name) {
        return new ApiException(409, "AlreadyExists", t.qualified() + " \"" + name + "\" already exists", t.group(), t.resource(), name, List.of());
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, null, null, null, List.of());
    }

    public static ApiException methodNotAllowed(String message) {
        return new ApiException(405, "MethodNotAllowed", message, null, null, null, List.of());
    }

    /** 422: {@code <Kind> "<name>" is invalid: <field>: <detail>}, the apiserver's validation error. */
    public static ApiException invalid(ResourceType t, String name, String field, String detail) {
        String msg = t.kind() + " \"" + name + "\" is invalid: " + (field == null || field.isEmpty() ? "" : field + ": ") + detail;
        return new ApiException(422, "Invalid", msg, t.group(), t.kind(), name,
                List.of(new Cause("FieldValueInvalid", detail, field == null ? "" : field)));
    }

    /** 500: "Internal error occurred: ...", as the apiserver answers an allocation that fails after validation. */
    public static ApiException internal(String message) {
        String detail = message.startsWith(INTERNAL) ? message.substring(INTERNAL.length()) : message;
        return new ApiException(500, "InternalError", INTERNAL + detail, null, null, null, List.of(new Cause("", detail, "")));
    }

    private static final String INTERNAL = "Internal error occurred: ";

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public String group() {
        return group;
    }

    public List<Cause> causes() {
        return causes;
    }
}

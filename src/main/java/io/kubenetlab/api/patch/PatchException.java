package io.kubenetlab.api.patch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A patch the server refuses, carrying what a Kubernetes {@code Status} needs: the HTTP code, the
 * reason and the message. For 422 the apiserver answers with a fixed message and puts the actual
 * error in {@code details.causes[0].message}; {@link #cause()} holds that text, so a caller can build
 * the same Status that kubectl prints ("The request is invalid: the server rejected our request ...").
 */
public final class PatchException extends RuntimeException {
    /** The apiserver's message for any 422 it builds from a patch error (NewGenericServerResponse). */
    public static final String INVALID_MESSAGE = "the server rejected our request due to an error in our request";

    private final int code;
    private final String reason;
    private final String cause;

    private PatchException(int code, String reason, String message, String cause) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.cause = cause;
    }

    /** 400: the patch document itself is malformed (not the right JSON shape, a bad directive). */
    public static PatchException badRequest(String message) {
        return new PatchException(400, "BadRequest", message, message);
    }

    /** 415: the Content-Type is not a patch type we accept. */
    public static PatchException unsupportedMediaType(String message) {
        return new PatchException(415, "UnsupportedMediaType", message, message);
    }

    /** 422: a well-formed patch that does not apply to this object. */
    public static PatchException invalid(String cause) {
        return new PatchException(422, "Invalid", INVALID_MESSAGE, cause);
    }

    public int code() { return code; }

    /** The Status reason: BadRequest, UnsupportedMediaType or Invalid. */
    public String reason() { return reason; }

    /** The specific error; equals {@link #getMessage()} except for 422. */
    public String cause() { return cause; }

    /** This error as a {@code meta/v1 Status}, the body an apiserver sends with the code. */
    public ObjectNode toStatus() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode status = f.objectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.set("metadata", f.objectNode());
        status.put("status", "Failure");
        status.put("message", getMessage());
        status.put("reason", reason);
        if (code == 422) {
            ObjectNode details = status.putObject("details");
            details.putArray("causes").addObject().put("message", cause);
        }
        status.put("code", code);
        return status;
    }
}
